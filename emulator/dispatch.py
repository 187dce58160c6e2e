"""The hot path: one ASGI entry that sends API requests straight to their wire endpoint.

Yemot (``/ym/api/<Method>``) and Simotel (``/api/v4/<path>``) requests are most of the traffic; they
go from here to the endpoint with one prefix test, without Starlette's middleware stack, router and
mounts. ``/sb/<id>/…`` goes to that sandbox's own app with the prefix taken off. Everything else
(control plane, pages) goes to the Starlette app behind, once the site guard
(``emulator/admin/sites.py``) has checked its Host, origin and body type. A failure inside an
endpoint still ends as a plain 500 response, then propagates to the server to be logged.

Before routing, every HTTP request passes the edge: its listening address is noted (so callbacks
can never target this server) and, when its body needs watching, the body cap wraps the rest.
These run as plain calls, not as middleware layers, since every request pays for each layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.core.http.requests import ApiEndpoint, ApiRequest
from emulator.core.sim import flights

if TYPE_CHECKING:
    from emulator.core.http.limits import BodyLimit
    from emulator.core.outbound.targets import Listeners
    from emulator.sandboxes import SandboxRegistry

SANDBOX_PREFIX = "/sb/"

_SLASHES = re.compile(r"/{2,}")


class ApiMount:
    """One API under a path prefix: ``/<prefix>/<rest>`` calls ``endpoint(request, emulator, rest)``
    (``rest`` is also the scope's path parameter ``param``)."""

    def __init__(self, prefix: str, endpoint: ApiEndpoint, param: str, single_segment: bool) -> None:
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

    def __init__(
        self,
        fallback: Starlette,
        mounts: list[ApiMount],
        sandboxes: SandboxRegistry | None = None,
        *,
        listeners: Listeners | None = None,
        body_limit: Callable[[ASGIApp], BodyLimit] | None = None,
        site_guard: Callable[[Scope], Response | None] | None = None,
    ) -> None:
        self.fallback = fallback
        self.emulator = fallback.state.emulator
        self.mounts = mounts
        self.sandboxes = sandboxes
        self.listeners = listeners
        self.body_limit = body_limit(self._route) if body_limit is not None else None
        self.site_guard = site_guard

    @property
    def state(self) -> State:
        """The Starlette app's state (``app.state.emulator`` is the running emulator)."""
        return self.fallback.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.fallback(scope, receive, send)
            return
        if "//" in scope["path"]:
            scope = {**scope, "path": _SLASHES.sub("/", scope["path"])}
        listeners, server = self.listeners, scope.get("server")
        if listeners is not None and (type(server) is not tuple or server not in listeners.noted):
            listeners.note_scope(scope)  # (each local end once)
        rule = self.body_limit.watch(scope) if self.body_limit is not None else None
        token = flights.collecting()
        try:
            send = _after_flights(send)
            if rule is not None:
                await self.body_limit.guard(rule, scope, receive, send)  # counts or refuses the body, then routes
            else:
                await self._route(scope, receive, send)
        except ClientDisconnect:
            pass  # the client left before its body arrived: the request did nothing, no one awaits an answer
        finally:
            flights.stop(token)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pick the handler: a sandbox, an API mount, else the Starlette app."""
        path = scope["path"]
        if path.startswith(SANDBOX_PREFIX) and self.sandboxes is not None:
            await self._sandbox(path, scope, receive, send)
            return
        for mount in self.mounts:
            rest = mount.match(path)
            if rest is None:
                continue
            scope["app"] = self.fallback  # ``request.app.state`` is the Starlette app's state
            scope["path_params"] = {mount.param: rest}
            try:
                response = await mount.endpoint(ApiRequest(scope, receive), self.emulator, rest)
            except Exception:
                # As Starlette's ServerErrorMiddleware: answer 500, then re-raise so the server
                # logs it and an in-process test client raises it in the test.
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
                raise
            await response(scope, receive, send)
            return
        refusal = self.site_guard(scope) if self.site_guard is not None else None
        if refusal is not None:  # the control plane and pages answer this server's own names and origin
            await refusal(scope, receive, send)
            return
        await self.fallback(scope, receive, send)

    async def _sandbox(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        """``/sb/<id>/<rest>``: the sandbox's own app serves ``/<rest>``; a sandbox deleted before or
        during the request answers 404 (its world is gone: whatever the request did there is too)."""
        registry = self.sandboxes
        assert registry is not None
        sandbox_id, _, rest = path[len(SANDBOX_PREFIX) :].partition("/")
        sandbox = registry.get(sandbox_id)
        if sandbox is None:
            await _sandbox_gone(sandbox_id)(scope, receive, send)
            return
        sandbox.touch()
        inner = {**scope, "path": "/" + rest, "raw_path": ("/" + rest).encode(), "emulator.sandbox": sandbox_id}
        answered = False

        async def checked_receive() -> Message:
            message = await receive()
            if sandbox.deleted:  # deleted while the body was arriving: stop before the request acts
                raise SandboxGone(sandbox_id)
            return message

        async def checked_send(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start" and sandbox.deleted and not answered:
                answered = True
                registry.silence(sandbox)
                await _sandbox_gone(sandbox_id)(scope, receive, send)
            if answered:
                return  # (the rest of the answer of a sandbox that is gone)
            await send(message)

        try:
            await sandbox.app(inner, checked_receive, checked_send)
        except SandboxGone:
            if not answered:
                registry.silence(sandbox)
                await _sandbox_gone(sandbox_id)(scope, receive, send)


class SandboxGone(Exception):
    """Raised inside a sandbox request's ``receive`` once the sandbox has been deleted."""


def _sandbox_gone(sandbox_id: str) -> JSONResponse:
    message = (
        f"sandbox '{sandbox_id}' does not exist on this server: it was deleted, expired after its "
        "TTL, or lived on a server that has gone away"
    )
    return JSONResponse({"error": message, "sandbox": sandbox_id}, status_code=404)


def _after_flights(send: Send) -> Send:
    """``send`` that starts the answer only once the frozen-clock runs this request launched are
    done: a request that places a call answers after the call's first steps, web services included,
    as when they held it (``emulator.core.sim.flights``)."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            await flights.landed()
        await send(message)

    return sending
