"""The request object the API mounts are served with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request, empty_send
from starlette.responses import Response
from starlette.types import Receive, Scope

# An API's wire endpoint: the request, the running emulator, and the path's target (a Yemot method
# name, a Simotel service path).
ApiEndpoint = Callable[[Request, Any, str], Awaitable[Response]]


def routed(endpoint: ApiEndpoint, param: str) -> Callable[[Request], Awaitable[Response]]:
    """``endpoint`` as a Starlette route's endpoint: the emulator from ``app.state``, the target from
    the path parameter ``param``. (The dispatcher calls the endpoint directly with both.)"""

    async def route(request: Request) -> Response:
        return await endpoint(request, request.app.state.emulator, request.path_params[param])

    return route


class ApiRequest(Request):
    """A Starlette request whose ``body()`` reads the ASGI channel in a plain loop.

    Same bytes, same caching (a later ``body()``, ``stream()`` or ``form()`` sees the body read) and
    the same ``ClientDisconnect`` as Starlette's ``body()``, without the async generator and context
    manager it runs through: on a small API request those cost more than the read itself.
    (``tests/unit/test_requests.py`` holds its attributes to Starlette's.)
    """

    def __init__(self, scope: Scope, receive: Receive) -> None:
        # ``Request.__init__``'s attributes in one call rather than two (an API request is always HTTP).
        self.scope = scope
        self._receive = receive
        self._send = empty_send
        self._stream_consumed = False
        self._is_disconnected = False
        self._form = None

    async def body(self) -> bytes:
        try:
            return self._body
        except AttributeError:
            pass
        if self._stream_consumed:
            raise RuntimeError("Stream consumed")
        chunks: list[bytes] = []
        while True:
            message = await self._receive()
            kind = message["type"]
            if kind == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            elif kind == "http.disconnect":
                self._is_disconnected = True
                raise ClientDisconnect()
        self._stream_consumed = True
        self._body: bytes = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return self._body
