"""The hot path: one ASGI entry that sends API requests straight to their wire endpoint.

Yemot (``/ym/api/<Method>``) and Simotel (``/api/v4/<path>``) requests are most of the traffic; they
go from here to the endpoint with one prefix test, without Starlette's middleware stack, router and
mounts. Everything else (control plane, pages) goes to the Starlette app behind. A failure inside an
endpoint still ends as a plain 500 response, then propagates to the server to be logged.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]

_SLASHES = re.compile(r"/{2,}")


class ApiMount:
    """One API under a path prefix: ``/<prefix>/<rest>`` calls ``endpoint`` with ``{param: rest}``."""

    def __init__(self, prefix: str, endpoint: Endpoint, param: str, single_segment: bool) -> None:
        self.prefix = prefix.rstrip("/") + "/"
        self.endpoint = endpoint
        self.param = param
        self.single_segment = single_segment

    def match(self, path: str) -> str | None:
        if not path.startswith(self.prefix):
            return None
        rest = path[len(self.prefix) :]
        if not rest or (self.single_segment and "/" in rest):
            return None
        return rest


class Dispatcher:
    """Route API prefixes directly to their endpoints; hand everything else to ``fallback``.

    Paths are taken with repeated slashes collapsed (``//api/v4//pbx/users/add`` is
    ``/api/v4/pbx/users/add``, as the real servers' front ends treat it).
    """

    def __init__(self, fallback: Starlette, mounts: list[ApiMount]) -> None:
        self.fallback = fallback
        self.mounts = mounts

    @property
    def state(self) -> State:
        """The Starlette app's state (``app.state.emulator`` is the running emulator)."""
        return self.fallback.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.fallback(scope, receive, send)
            return
        path = scope["path"]
        if "//" in path:
            path = _SLASHES.sub("/", path)
            scope = {**scope, "path": path}
        for mount in self.mounts:
            rest = mount.match(path)
            if rest is not None:
                await self._serve(mount, rest, scope, receive, send)
                return
        await self.fallback(scope, receive, send)

    async def _serve(self, mount: ApiMount, rest: str, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.fallback  # ``request.app.state`` is the Starlette app's state
        scope["path_params"] = {mount.param: rest}
        try:
            response = await mount.endpoint(Request(scope, receive))
        except Exception:
            # As Starlette's ServerErrorMiddleware: answer 500, then re-raise so the server logs it
            # and an in-process test client raises it in the test.
            await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
            raise
        await response(scope, receive, send)
