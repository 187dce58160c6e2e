"""Served emulators and local web services that call the emulator back while a call waits for them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from emulator.config import EmulatorConfig
from emulator.testing.harness import EmulatorServer, serve_in_thread

SYSTEM = "0771234567"
TOKEN = f"{SYSTEM}:1234"
START = "2023-11-14T22:13:20Z"


def yemot_fixture(tree: dict[str, str], *, systems: tuple[str, ...] = (SYSTEM,)) -> str:
    """A fixture with Yemot systems whose trees hold ``tree`` ({path: text}), and the default Simotel PBX."""
    files = {path: {"text": text} for path, text in tree.items()}
    document = {
        "description": "execution tests",
        "seed": 7,
        "anchor": "2023-11-01T00:00:00Z",
        "yemot": {"systems": [{"number": n, "password": "1234", "units": 100, "files": files} for n in systems]},
    }
    return json.dumps(document)


@contextmanager
def served(**settings: Any) -> Iterator[EmulatorServer]:
    """The emulator under uvicorn on a free loopback port (a real server: its loop serves everything)."""
    with serve_in_thread(EmulatorConfig.from_env({}, strict=True, **settings)) as urls:
        server = EmulatorServer(urls.base)
        try:
            yield server
        finally:
            server.close()
