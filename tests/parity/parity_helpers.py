"""Helpers of the parity tests: a served emulator standing in for the real server, and a served
recording proxy in front of it."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

from emulator.config import EmulatorConfig
from emulator.parity.proxy import RecordingProxy
from emulator.testing.harness import EmulatorServer, running_in_thread, serve_in_thread


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Any ASGI app under uvicorn on a free loopback port (own thread); yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False))
    with running_in_thread(server, sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.contextmanager
def served_emulator(**options: Any) -> Iterator[EmulatorServer]:
    """A fresh emulator on a socket, with the control-plane helpers."""
    with serve_in_thread(EmulatorConfig.from_env({}, **options)) as urls:
        server = EmulatorServer(urls.base)
        try:
            yield server
        finally:
            server.close()


@contextlib.contextmanager
def recording_proxy(target: str, folder: Path, **options: Any) -> Iterator[tuple[str, RecordingProxy]]:
    """A recording proxy to ``target`` writing into ``folder``; yields its URL and the proxy."""
    proxy = RecordingProxy(target, folder, **options)
    with serve_asgi(proxy) as url:
        yield url, proxy
