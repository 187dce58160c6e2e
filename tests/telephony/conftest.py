"""Fixtures for the telephony tests: a frozen emulator, a call placer and a real HTTP receiver."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

START = "2026-03-01T10:00:00Z"
SYSTEM = "0773137770"


@pytest.fixture
def tel(emulator: Any) -> Any:
    """The default emulator with its clock frozen at ``START``."""
    emulator.freeze(START)
    return emulator


@pytest.fixture
def place(tel: Any) -> Callable[..., str]:
    """Place a Yemot call straight on the engine; return its id (the Yemot methods are not needed)."""

    def make(to: str, **options: Any) -> str:
        options.setdefault("api", "yemot")
        options.setdefault("tenant", SYSTEM)
        options.setdefault("kind", "tts")
        options.setdefault("caller_id", SYSTEM)
        return tel.runtime.telephony.place(to=to, **options).id

    return make


@pytest.fixture
def show(tel: Any) -> Callable[[str], dict[str, Any]]:
    """One call as ``GET /__emulator__/calls`` shows it."""

    def find(call_id: str) -> dict[str, Any]:
        return next(call for call in tel.calls() if call["id"] == call_id)

    return find


class Receiver:
    """A tiny real HTTP server on a free loopback port that records every POST it gets."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_first = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver._lock:
                    status = 500 if receiver.fail_first > 0 else 200
                    receiver.fail_first -= 1
                    receiver.requests.append(
                        {"path": self.path, "type": self.headers.get("content-type", ""), "raw": raw, "status": status}
                    )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def bodies(self, *, ok_only: bool = True) -> list[dict[str, Any]]:
        """Decoded bodies (JSON or form) of the requests, those answered 200 only by default."""
        out = []
        for request in self.requests:
            if ok_only and request["status"] != 200:
                continue
            if request["type"].startswith("application/json"):
                out.append(json.loads(request["raw"]))
            else:
                out.append(dict(parse_qsl(request["raw"].decode())))
        return out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
