"""A real emulator on a loopback port per test, with plain httpx clients: every check goes over the wire."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.config import EmulatorConfig
from emulator.testing.harness import RemoteControlPlane, ServerUrls, serve_in_thread

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make ``hostile`` importable
    sys.path.insert(0, str(Path(__file__).parent))

TOKEN = "0773137770:1234"
SIMOTEL_AUTH = ("test", "Aa123456")
SIMOTEL_KEY = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
TIMEOUT = 10.0


@dataclass
class Wire:
    """One served emulator: its URLs, the control plane helpers and one client per plane."""

    urls: ServerUrls
    port: int
    control: RemoteControlPlane
    yemot: httpx.Client
    simotel: httpx.Client
    admin: httpx.Client
    raw: httpx.Client

    def yemot_call(self, method: str, **params: Any) -> dict[str, Any]:
        """A Yemot GET with the default token; the JSON answer (HTTP 200 is asserted)."""
        response = self.yemot.get(method, params={"token": TOKEN, **params})
        assert response.status_code == 200, response.text
        return response.json()


def start(app: Any = None, **settings: Any) -> Iterator[Wire]:
    """Serve an emulator (strict, default fixture, ``settings``; or ``app``) and yield its ``Wire``."""
    settings.setdefault("strict", True)
    log_level = settings.pop("server_log_level", "warning")
    config = app.state.emulator.config if app is not None else EmulatorConfig.from_env({}, **settings)
    with serve_in_thread(config, app, log_level=log_level) as urls:
        port = int(urls.base.rsplit(":", 1)[1])
        with (
            httpx.Client(base_url=urls.yemot, timeout=TIMEOUT) as yemot,
            httpx.Client(
                base_url=urls.simotel, timeout=TIMEOUT, auth=SIMOTEL_AUTH, headers={"X-APIKEY": SIMOTEL_KEY}
            ) as simotel,
            httpx.Client(base_url=urls.admin, timeout=TIMEOUT) as admin,
            httpx.Client(base_url=urls.base, timeout=TIMEOUT) as raw,
        ):
            control = RemoteControlPlane(urls.admin)
            try:
                yield Wire(urls, port, control, yemot, simotel, admin, raw)
            finally:
                control.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Wire]:
    """One emulator per test module, served on a free loopback port (strict mode, default fixture)."""
    yield from start()


@pytest.fixture
def wire(served: Wire) -> Wire:
    """The module's emulator, reset to the fixture with a running clock and an empty outbox."""
    served.control.reset()
    served.control.control("POST", "clock", json={"freeze": False})
    return served


@pytest.fixture
def wire_factory() -> Iterator[Any]:
    """Serve emulators with custom settings: ``wire_factory(outbox_retention=5)``; all stop at teardown."""
    import contextlib

    with contextlib.ExitStack() as stack:

        def make(**settings: Any) -> Wire:
            return stack.enter_context(contextlib.contextmanager(start)(**settings))

        yield make


def logged_within(capfd: pytest.CaptureFixture[str], marker: str, timeout: float = 3.0) -> str:
    """Everything the server logged until a line containing ``marker`` appeared (or ``timeout``):
    lines are written in batches, within 50 ms."""
    logged, deadline = "", time.monotonic() + timeout
    while marker not in logged and time.monotonic() < deadline:
        time.sleep(0.02)
        logged += "".join(capfd.readouterr())
    return logged
