"""Served emulators (in a thread or a process) and local web services that call the emulator back
while a call waits for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

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


@contextmanager
def served_process(*options: str, env: dict[str, str] | None = None) -> Iterator[EmulatorServer]:
    """``telephony-emulator serve --port 0 *options`` in a subprocess (its environment plus ``env``);
    the port is read from the banner."""
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0", "--log-level", "warning", *options]
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
    try:
        first = process.stdout.readline() if process.stdout else ""
        assert first.startswith("Yemot API:"), first + (process.stderr.read() if process.stderr else "")
        server = EmulatorServer(first.split()[-1].removesuffix("/ym/api/"))
        deadline = time.monotonic() + 20
        while True:  # the banner comes once the port is bound; wait for the app to answer
            try:
                server.clock()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.05)
        try:
            yield server
        finally:
            server.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
