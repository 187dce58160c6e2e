"""A real HTTP receiver on 127.0.0.1 for tests of callbacks and webhooks the emulator sends.

with Receiver() as receiver:
    ...  # point a webhook at receiver.url
    [hit] = receiver.wait_for(1)
    hit.json, hit.path, hit.query, hit.headers

A web service that answers: ``Receiver(respond=lambda hit: {"ok": "1", "case": "3"})``; ``respond``
returns a JSON-able object, ``str``/``bytes`` for a raw body, or ``Response(status, body, delay_s)``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Hit:
    """One request the receiver got."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Response:
    """An answer of the receiver: ``body`` JSON-able, ``str`` or ``bytes``, sent after ``delay_s``."""

    status: int = 200
    body: Any = b""
    delay_s: float = 0.0


class Receiver:
    """Records every request; answers 200 (or ``status``), or what ``respond(hit)`` says. Use as a
    context manager."""

    def __init__(self, status: int = 200, respond: Callable[[Hit], Any] | None = None) -> None:
        self.status = status
        self.respond = respond
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
                hit = Hit(self.command, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body)
                with receiver._lock:
                    receiver.hits.append(hit)
                answer = receiver._answer(hit)
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                body = answer.body
                if not isinstance(body, bytes | str):
                    body = json.dumps(body, ensure_ascii=False)
                payload = body.encode("utf-8") if isinstance(body, str) else body
                try:
                    self.send_response(answer.status)
                    self.send_header("content-length", str(len(payload)))
                    if payload:
                        self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting

            do_GET = do_POST = do_PUT = _record

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def _answer(self, hit: Hit) -> Response:
        if self.respond is None:
            return Response(self.status)
        answer = self.respond(hit)
        return answer if isinstance(answer, Response) else Response(200, answer)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Hit]:
        """Wait (real time) until at least ``count`` requests arrived; return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.hits) >= count:
                    return list(self.hits)
            time.sleep(0.01)
        with self._lock:
            return list(self.hits)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
