"""What every emulated request goes through, whichever API serves it.

1. due scheduled events run (so state reflects the clock),
2. an injected fault may delay, replace or drop the answer,
3. the API's own wire code fills in the ``Reply``; a refusal it raises (an ``ApiError``) is caught
   here, once for every API, and becomes the answer,
4. in strict mode the reply is checked against the contract,
5. the request and reply are journaled, then rendered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator.core.http.contracts import Operation
from emulator.core.http.errors import ApiError
from emulator.core.http.faults import Fault
from emulator.core.http.jsonsafe import jsonable
from emulator.core.http.params import Upload
from emulator.core.http.streaming import Base64Body
from emulator.core.observe.logs import Outcome, request_line

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator


class Reply(msgspec.Struct):
    """An API answer before rendering: JSON-able ``body``, or ``bytes`` for binary answers.

    (A Struct: one is made per request, and msgspec builds it in C.)
    """

    status: int
    body: Any
    media_type: str = "application/json"
    headers: dict[str, str] = {}
    operation: Operation | None = None
    operation_name: str | None = None
    params: dict[str, Any] = {}
    warnings: list[str] = []
    checked: bool = True
    tenant: str | None = None
    fault: int | None = None  # the id of the injected fault that answered instead


# Compact UTF-8 JSON (non-ASCII text as is, like ``json.dumps(ensure_ascii=False)``), in C.
_json = msgspec.json.Encoder()


class DroppedConnection(Exception):
    """Raised after sending headers so the server closes the connection mid-response."""


class DroppedConnectionFilter(logging.Filter):
    """Keeps the server's log from calling an injected dropped connection an application error: the
    access line (status 0) has recorded it already."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


class _DropResponse(Response):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
        raise DroppedConnection("connection dropped by an injected fault")


class _Rendered(Response):
    """A response whose raw headers are built once, directly (no header-mapping round trips)."""

    def __init__(self, content: bytes, status: int, media_type: str, headers: dict[str, str]) -> None:
        self.status_code = status
        self.body = content
        self.background = None
        raw = [(b"content-length", str(len(content)).encode()), (b"content-type", media_type.encode("latin-1"))]
        if headers:
            raw.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())
        self.raw_headers = raw


class _Streamed(_Rendered):
    """A stored file's bytes, sent a piece at a time (``core/http/streaming.py``): no whole copy."""

    def __init__(self, body: Base64Body, status: int, media_type: str, headers: dict[str, str]) -> None:
        super().__init__(b"", status, media_type, headers)
        self.raw_headers[0] = (b"content-length", str(len(body)).encode())
        self.file = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        if scope["method"] != "HEAD":
            for piece in self.file.pieces():
                await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def render(reply: Reply) -> Response:
    content = _content(reply)
    if content is None:
        return _Streamed(reply.body, reply.status, reply.media_type, _headers(reply))
    return _Rendered(content, reply.status, reply.media_type, _headers(reply))


def _content(reply: Reply) -> bytes | None:
    """The body's bytes; None for a body sent in pieces (a ``Base64Body``)."""
    if isinstance(reply.body, bytes | bytearray):
        return bytes(reply.body)
    if reply.body is None and not reply.media_type.startswith("application/json"):
        return b""
    if reply.body.__class__ is Base64Body:
        return None
    return _json.encode(reply.body)


def _headers(reply: Reply) -> dict[str, str]:
    return {**reply.headers, WARNING_HEADER: warning_header(reply.warnings)} if reply.warnings else reply.headers


WARNING_HEADER = "X-Emulator-Warning"


def warning_header(warnings: list[str]) -> str:
    """The journal's warnings of a request as one header value (ASCII, joined by `` | ``)."""
    text = " | ".join(warnings)
    return text.encode("ascii", "backslashreplace").decode("ascii").replace("\r", " ").replace("\n", " ")


# ``produce(request, emulator, reply, parse_only)`` fills in ``reply`` (made by ``serve`` with the
# operation and its name) as it reads the request: parameters, tenant and warnings as soon as they are
# known, then the answer. It refuses by raising an ``ApiError``, which ``serve`` turns into the answer
# (keeping what the reply has learnt). With ``parse_only`` it stops before the service runs: a fault
# answers instead, and the journal wants what was asked.
Producer = Callable[[Request, Any, Reply, bool], Awaitable[None]]
FaultReply = Callable[[int, Any], Reply]
Refused = Callable[[ApiError, Reply], None]
# What the API's envelope says of an answer's body, for its access line (``*/envelope.py``'s ``outcome``).
OutcomeOf = Callable[[Any], Outcome | None]


class Wire:
    """What an API's endpoint hands the pipeline: the API's name, its producer, the answer of an
    injected fault, what its envelope says of an answer for the access log (``outcome``) and what the
    API adds to a refusal's answer (``refused``, optional)."""

    __slots__ = ("api", "fault", "outcome", "produce", "refused")

    def __init__(
        self, api: str, produce: Producer, fault: FaultReply, outcome: OutcomeOf, refused: Refused | None = None
    ) -> None:
        self.api = api
        self.produce = produce
        self.fault = fault
        self.outcome = outcome
        self.refused = refused


def refusal(exc: ApiError, reply: Reply) -> Reply:
    """``reply`` answering with the error's status, body (the API's envelope), media type and headers."""
    reply.status = exc.status
    reply.body = exc.body()
    reply.media_type = exc.media_type
    if exc.headers:
        reply.headers = exc.headers
    if not exc.checked:
        reply.checked = False
    return reply


async def serve(
    emulator: Emulator, wire: Wire, request: Request, operation_name: str | None, operation: Operation | None
) -> Response:
    """Run one API request through faults, the producer, the strict check and the journal."""
    started = time.perf_counter()
    emulator.revision += 1
    scheduler = emulator.scheduler
    if scheduler.next_due_at != math.inf and scheduler.next_due_at <= emulator.clock.now():
        scheduler.run_due()
    api = wire.api
    faults = emulator.faults
    fault = faults.take(api, operation_name) if operation_name and faults.entries else None
    if fault is not None and fault.delay_ms:
        await asyncio.sleep(fault.delay_ms / 1000)
    if fault is not None and (fault.drop_connection or fault.status is not None or fault.body is not None):
        reply = await _faulted(emulator, wire, request, operation_name, operation, fault)
        if fault.drop_connection:
            _journal(emulator, api, request, reply)
            request_line(api, reply.operation_name, reply.tenant, 0, None, started)
            return _DropResponse()
    else:
        reply = Reply(status=200, body=None, operation=operation, operation_name=operation_name)
        try:
            await wire.produce(request, emulator, reply, False)
        except ApiError as exc:  # (every API's refusals, here and nowhere else)
            refusal(exc, reply)
            if wire.refused is not None:
                wire.refused(exc, reply)
        emulator.revision += 1  # again: a change made after an await must not look saved already
    if emulator.config.strict and reply.checked and reply.operation is not None:
        body = reply.body if not isinstance(reply.body, bytes | bytearray | Base64Body) else None
        reply.operation.check_response(reply.status, reply.media_type, body, verb=request.method)
    content = _content(reply)
    _journal(emulator, api, request, reply, content)
    request_line(api, reply.operation_name, reply.tenant, reply.status, wire.outcome(reply.body), started)
    if content is None:
        return _Streamed(reply.body, reply.status, reply.media_type, _headers(reply))
    return _Rendered(content, reply.status, reply.media_type, _headers(reply))


async def _faulted(
    emulator: Emulator,
    wire: Wire,
    request: Request,
    operation_name: str | None,
    operation: Operation | None,
    fault: Fault,
) -> Reply:
    """The fault's answer (status 0 for a dropped connection), carrying the parameters, tenant and
    operation the request was read as, so the journal can count a client's retries."""
    asked = Reply(status=0, body=None, operation=operation, operation_name=operation_name)
    with contextlib.suppress(ApiError):  # (a request the API would refuse: what it was read as is in ``asked``)
        await wire.produce(request, emulator, asked, True)
    if fault.drop_connection:
        reply = Reply(status=0, body=None)
    else:
        reply = wire.fault(fault.status or 200, fault.body)
        reply.checked = False
    reply.operation_name = asked.operation_name or operation_name
    reply.params, reply.tenant, reply.fault = asked.params, asked.tenant, fault.id
    return reply


def _journal(emulator: Emulator, api: str, request: Request, reply: Reply, content: bytes | None = b"") -> None:
    """Record the request; parameters and answer are kept as JSON bytes (the answer's are the wire's
    own) and redacted when the journal is read."""
    body = reply.body
    if isinstance(body, bytes | bytearray | Base64Body):
        response: Any = {"binary": len(body)}
    elif body is None:
        response = None
    else:
        response = content  # the wire's JSON bytes
    scope = request.scope
    client = scope.get("client")
    emulator.journal.record(
        emulator.clock.now(),
        api,
        reply.operation_name,
        scope["method"],
        scope["path"],
        client[0] if client else None,
        _params_json(reply.params),
        reply.status,
        response,
        reply.warnings,  # (a reply's own list: nothing adds to it once it is answered)
        reply.tenant,
        reply.fault,
    )


def _described(value: Any) -> Any:
    """How the journal shows a value JSON has no type for: a file as ``{file, size}``, else text."""
    if isinstance(value, Upload):
        return {"file": value.filename, "size": len(value.data)}
    return str(value)


_params_encoder = msgspec.json.Encoder(enc_hook=_described)


def _params_json(params: dict[str, Any]) -> bytes:
    """The parameters as JSON; anything msgspec cannot write goes through ``jsonable`` first."""
    try:
        return _params_encoder.encode(params)
    except (TypeError, ValueError, OverflowError, RecursionError):
        return _json.encode(jsonable({name: _file_or_value(value) for name, value in params.items()}))


def _file_or_value(value: Any) -> Any:
    if isinstance(value, Upload):
        return _described(value)
    if isinstance(value, list):
        return [_file_or_value(item) for item in value]
    return value
