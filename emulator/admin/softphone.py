"""Taking part in a call from outside: input to a live caller, and the call's transcript as it grows.

``POST /calls/{id}/input`` queues one input for a call placed without a key script (Yemot or
Simotel dialplan) and resumes it when it waits for input. ``GET /calls/{id}/events`` is a
Server-Sent Events stream: one ``entry`` event per transcript entry in order (those so far first,
then new ones as they are recorded; the event id is the entry's index, and ``Last-Event-ID``
resumes after it), ``waiting`` events when the call starts or stops waiting for input, and one
``end`` event when the call has ended, after which the stream closes. A plain starlette
StreamingResponse is enough for this one-way stream (sse-starlette would add a dependency for a
dozen lines of framing); the stream looks at the call every ``POLL_S`` on an ``asyncio.sleep``,
never blocks the loop, and a client that goes away cancels it.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from emulator.admin import call_lookup
from emulator.admin.http import BadRequest, guarded, ok, read_json
from emulator.core.sim.call_input import InputError, InputRefused, parse_input
from emulator.core.sim.clock import format_instant
from emulator.core.sim.walks import WalkView

MAX_STREAMS = 32  # event streams open at once, per emulator (sandbox)
POLL_S = 0.1
HEARTBEAT_S = 15.0
LAST_EXCHANGE_S = 5.0  # how long an ended call's stream waits for its last exchange (Yemot's hangup=yes)
QUIET_S = 0.5  # ...which has landed once the transcript stayed the same this long
_STREAMS: weakref.WeakKeyDictionary[Any, set[object]] = weakref.WeakKeyDictionary()  # open streams per emulator


class Conflict(BadRequest):
    """The call cannot take what was asked now (it ended, or takes no input); answered with 409."""

    status = 409


class TooManyStreams(BadRequest):
    status = 429


async def call_input(request: Request) -> Response:
    """Queue one input (``keys``, ``silence``, ``record_s`` or ``speech``) on a live call."""
    body = await read_json(request)
    try:
        kind, element = parse_input(body)
    except InputError as exc:
        raise BadRequest(str(exc)) from exc
    found = call_lookup.requested(request)
    emulator = request.app.state.emulator
    try:
        call_lookup.give(emulator, found, element)
    except InputRefused as exc:
        raise Conflict(str(exc), id=found.id) from exc
    after = call_lookup.find(emulator, found.id) or found
    return ok({"id": found.id, "api": found.api, "queued": {kind: body[kind]}, "ended": after.ended,
               "waiting": _waiting(after)})  # fmt: skip


def _waiting(found: WalkView) -> dict[str, Any] | None:
    if found.waiting is None:
        return None
    return {"since": format_instant(found.waiting["since"]), "wait_s": found.waiting["wait_s"]}


def frame(event: str, data: Any, event_id: int | None = None) -> bytes:
    """One Server-Sent Event (``data`` as one line of JSON)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


async def call_events(request: Request) -> Response:
    """The call's transcript as Server-Sent Events (see the module docstring)."""
    found = call_lookup.requested(request)
    emulator = request.app.state.emulator
    open_streams = _STREAMS.setdefault(emulator, set())
    if len(open_streams) >= MAX_STREAMS:
        raise TooManyStreams(f"{MAX_STREAMS} event streams are open already; close one first")
    start = _resume_index(request.headers.get("last-event-id"))
    token = object()
    open_streams.add(token)
    stream = _events(emulator, found.id, start, lambda: open_streams.discard(token))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


def _resume_index(header: str | None) -> int:
    text = (header or "").strip()
    return int(text) + 1 if text.isdigit() and len(text) < 10 else 0


async def _events(emulator: Any, call_id: str, sent: int, done: Any) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    try:
        waiting: dict[str, Any] | None = None
        beat = loop.time()
        quiet_since = ended_at = None
        while True:
            found = call_lookup.find(emulator, call_id)
            if found is None:
                yield frame("end", {"id": call_id, "reason": "the call is gone (reset or restore)"})
                return
            entries = found.transcript.entries if found.transcript is not None else []
            if len(entries) > sent:
                quiet_since = None
            for index in range(sent, len(entries)):
                yield frame("entry", {"index": index, **entries[index].to_json()}, index)
            sent = max(sent, len(entries))
            now_waiting = _waiting(found)
            if now_waiting != waiting and not found.ended:
                waiting = now_waiting
                yield frame("waiting", {"id": found.id, "waiting": now_waiting})
            now = loop.time()
            if found.ended:
                ended_at = ended_at or now
                quiet_since = quiet_since or now
                if now - quiet_since >= QUIET_S or now - ended_at >= LAST_EXCHANGE_S:
                    yield frame("end", {"id": found.id, "api": found.api, "entries": sent})
                    return
            if now - beat >= HEARTBEAT_S:
                beat = now
                yield b": keep-alive\n\n"
            await asyncio.sleep(POLL_S)
    finally:
        done()


routes = [
    Route("/calls/{id}/input", guarded(call_input), methods=["POST"]),
    Route("/calls/{id}/events", guarded(call_events), methods=["GET"]),
]
