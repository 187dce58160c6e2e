"""Helpers of the softphone tests: a local IVR web service in a thread that answers from a function
and records each request, a Server-Sent Events reader, and calls into the default Yemot system."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

SYSTEM = "0773137770"  # the default fixture's first Yemot system
CALLER = "0501234567"


class IvrService:
    """Answers Yemot API-extension requests with ``answer(params)`` (a reply string); keeps every request."""

    def __init__(self, answer: Callable[[dict[str, str]], str]) -> None:
        self.answer = answer
        self.requests: list[dict[str, str]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = dict(parse_qsl(urlsplit(self.path).query))
                service.requests.append(params)
                body = service.answer(params).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/ivr"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def code_reader(prompt: str, said: str) -> Callable[[dict[str, str]], str]:
    """A service that reads a 4-digit ``code`` after ``prompt``, then says ``said`` and the digits
    and sends the caller to hang up; the hang-up notice gets an empty reply."""

    def answer(params: dict[str, str]) -> str:
        if params.get("hangup") == "yes":
            return ""
        if "code" in params:
            return f"id_list_message=t-{said}.d-{params['code']}&go_to_folder=hangup"
        return f"read=t-{prompt}=code,no,4,1,7,No"

    return answer


def api_extension(client: httpx.Client, folder: str, url: str) -> None:
    """Make ``folder`` of the default system an API extension calling ``url``."""
    response = client.put(f"yemot/systems/{SYSTEM}/files", params={"path": f"{folder}/ext.ini"},
                          content=f"type=api\napi_link={url}\n".encode())  # fmt: skip
    assert response.status_code == 200, response.text


def live_call(client: httpx.Client, path: str) -> str:
    response = client.post(f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "path": path})
    assert response.status_code == 201, response.text
    return response.json()["id"]


class EventReader:
    """Reads ``GET calls/{id}/events`` in a thread: ``events`` is a list of (event, id, data) as they come."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.events: list[tuple[str, str | None, Any]] = []
        self.status: int | None = None
        self.closed = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers or {}), daemon=True)
        self._thread.start()

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with httpx.stream("GET", url, headers=headers, timeout=30) as response:
                self.status = response.status_code
                event, event_id, data = "message", None, []
                for line in response.iter_lines():
                    if line == "":
                        if data:
                            self.events.append((event, event_id, json.loads("\n".join(data))))
                        event, event_id, data = "message", None, []
                    elif line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("id: "):
                        event_id = line[4:]
                    elif line.startswith("data: "):
                        data.append(line[6:])
        finally:
            self.closed.set()

    def wait_for(self, test: Callable[[list[tuple[str, str | None, Any]]], bool], timeout: float = 10) -> None:
        """Wait until ``test(events)`` holds (AssertionError after ``timeout`` seconds)."""
        import time

        deadline = time.monotonic() + timeout
        while not test(list(self.events)):
            assert time.monotonic() < deadline, f"events so far: {self.events}"
            time.sleep(0.02)

    def names(self) -> list[str]:
        return [event for event, _, _ in self.events]
