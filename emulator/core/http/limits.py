"""Request-body size caps enforced at the ASGI edge, before any body is buffered.

``BodyLimit`` wraps the whole app. For each HTTP request it finds the first ``BodyRule`` whose
prefix matches the path, asks it for the cap that applies (uploads, fixtures and snapshots have
their own), and then:

- refuses at once, without reading a byte of the body, when ``Content-Length`` exceeds the cap;
- otherwise counts the bytes as the app reads them, and the moment the count passes the cap
  raises ``BodyTooLarge`` inside the app's read; the refusal replaces whatever the app would
  have answered.

The refusal is the rule's own response (each API answers in its own error shape, with 413).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("telephony_emulator.limits")


class BodyTooLarge(Exception):
    """Raised inside ``receive`` once a body passes its cap; never a ``ValueError`` (parsers must not swallow it)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"request body is larger than {limit} bytes")


@dataclass(frozen=True)
class BodyRule:
    """``limit(scope)`` gives the cap for a request under ``prefix``; ``refuse(limit)`` the 413 answer."""

    prefix: str
    limit: Callable[[Scope], int]
    refuse: Callable[[int], Response]


def header(scope: Scope, name: bytes) -> str:
    """One request header of an ASGI scope, as text ('' when absent)."""
    value = header_map(scope).get(name)
    return "" if value is None else value.decode("latin-1")


def headers(scope: Scope, *names: bytes) -> list[str | None]:
    """The first value of each named request header (lower-case names) of an ASGI scope, as text or
    None when absent."""
    found = header_map(scope)
    values: list[str | None] = []
    for name in names:
        value = found.get(name)
        values.append(None if value is None else value.decode("latin-1"))
    return values


_HEADER_MAP = "emulator.headers"


def header_map(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers by lower-case name, the first value of a repeated one; made once per
    request (kept in the scope), since the body cap, the media type and the credentials all read it."""
    found = scope.get(_HEADER_MAP)
    if found is None:
        raw = scope.get("headers") or ()
        pairs = raw if isinstance(raw, list | tuple) else list(raw)
        found = dict(reversed(pairs))  # (servers send lower-case names, as ASGI asks: one C call)
        if not b"".join(found).islower():
            found = {key.lower(): value for key, value in reversed(pairs)}
        scope[_HEADER_MAP] = found
    return found


def _body_headers(scope: Scope) -> tuple[bytes, bool]:
    """The request's ``Content-Length`` value (b"" when absent) and whether it is sent chunked."""
    found = header_map(scope)
    return found.get(b"content-length", b""), b"transfer-encoding" in found


def media_type(scope: Scope) -> str:
    """The request's ``Content-Type`` without parameters, lower-cased."""
    value = header_map(scope).get(b"content-type")
    return "" if value is None else value.decode("latin-1").split(";", 1)[0].strip().lower()


class BodyLimit:
    """The body caps in front of ``app``: the first matching ``BodyRule`` applies (the last rule
    should match ``/``). ``watch`` tells which requests need it; ``guard`` serves those."""

    def __init__(self, app: ASGIApp, rules: list[BodyRule], floor: int = 0) -> None:
        self.app = app
        self.rules = rules
        self.floor = floor  # no rule caps a body below this: a declared length up to it needs no rule

    def _rule(self, path: str) -> BodyRule | None:
        return next((rule for rule in self.rules if path.startswith(rule.prefix)), None)

    def watch(self, scope: Scope) -> BodyRule | None:
        """The rule an HTTP request's body must be held to, or None when it needs no watching: no
        body, or a declared length within the cap (the server's HTTP parser hands over exactly
        that many bytes). Bodies of unknown length (chunked) or over the cap need it."""
        declared, chunked = _body_headers(scope)
        if not declared and not chunked:
            return None
        length = declared.strip()
        within = length.isdigit() and not chunked
        if within and int(length) <= self.floor:
            return None
        rule = self._rule(scope.get("path", ""))
        if rule is None or (within and int(length) <= rule.limit(scope)):
            return None
        return rule

    async def guard(self, rule: BodyRule, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request through ``app`` with its body held to ``rule``: refused at once when the
        declared length is over the cap, else counted as it arrives."""
        limit = rule.limit(scope)
        length = _body_headers(scope)[0].strip()
        if length.isdigit() and int(length) > limit:
            await rule.refuse(limit)(scope, receive, send)
            return
        state = {"read": 0, "exceeded": False, "started": False, "refused": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["exceeded"] = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"]:  # the app answered after its read failed: answer 413 instead
                if not state["started"] and not state["refused"]:
                    state["refused"] = True
                    await rule.refuse(limit)(scope, receive, send)
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            # An expected end, not a failure: one line, no traceback. (A response the app had
            # already begun cannot become a 413; the server then closes the connection.)
            if not state["started"] and not state["refused"]:
                state["refused"] = True
                await rule.refuse(limit)(scope, receive, send)
        if state["exceeded"]:
            refused_line(scope, limit)


def refused_line(scope: Scope, limit: int) -> None:
    """Log one WARNING line for a body cut off at its cap (path escaped by the formatter)."""
    LOG.warning("%s %s: request body over %d bytes refused with 413", scope.get("method"), scope.get("path"), limit)
