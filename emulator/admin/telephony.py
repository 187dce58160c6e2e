"""Control-plane routes of the simulated telephone network: handsets, calls and SMS messages."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, NotFound, guarded, ok, read_object
from emulator.admin.served import served as _served
from emulator.core.sim.clock import format_instant
from emulator.core.sim.phones import classify
from emulator.core.sim.telephony import RuleError, Telephony
from emulator.core.sim.telephony_state import Call, Message

_NUMBER = re.compile(r"\+?[0-9*#]{1,20}")
_TIMES = ("created", "ringing_at", "answered_at", "ended_at")
CALL_FILTERS = ("api", "tenant", "campaign", "kind", "to", "caller_id", "phase", "outcome")
MESSAGE_FILTERS = ("api", "tenant", "campaign", "to", "sender", "status")


def _engine(request: Request) -> Telephony:
    """The engine, after running whatever came due so the answer reflects the clock."""
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    return emulator.telephony


def _instant(value: float | None) -> str | None:
    return None if value is None else format_instant(value)


def call_json(call: Call) -> dict[str, Any]:
    data = asdict(call)
    for name in _TIMES:
        data[name] = _instant(data[name])
    return data


def message_json(message: Message) -> dict[str, Any]:
    data = msgspec.to_builtins(message)
    data["created"] = _instant(message.created)
    data["history"] = [{"status": change.status, "at": _instant(change.at)} for change in message.history]
    return data


def _number(request: Request) -> str:
    number = request.path_params["number"].strip()
    if not _NUMBER.fullmatch(number):
        raise BadRequest(f"not a phone number: {number!r} (digits, optionally a leading '+', '*' or '#')")
    return number


async def phone(request: Request) -> Response:
    number = _number(request)
    engine = _engine(request)
    if request.method == "PUT":
        body = await read_object(request)
        unknown = set(body) - {"outcome", "ring_s", "talk_s", "keys", "voicemail"}
        if unknown or not body:
            raise BadRequest("a phone rule takes 'outcome', 'ring_s', 'talk_s', 'keys' and/or 'voicemail'")
        if not isinstance(body.get("voicemail", False), bool):
            raise BadRequest("'voicemail' must be true or false")
        try:
            rule = engine.set_rule(
                number,
                body.get("outcome", "answered"),
                body.get("ring_s"),
                body.get("talk_s"),
                body.get("keys"),
                voicemail=body.get("voicemail", False),
            )
        except RuleError as exc:
            raise BadRequest(str(exc)) from exc
        return ok({"number": number, "rule": asdict(rule)})
    if request.method == "DELETE":
        return ok({"number": number, "cleared": engine.clear_rule(number)})
    calls, messages = engine.inbox(number)
    rule = engine.rule(number)
    return ok(
        {
            "number": number,
            "classes": {spec.name: classify(number, spec.name).kind for spec in _served(request)},
            "rule": None if rule is None else asdict(rule),
            "plans": {spec.name: asdict(engine.plan_for(number, spec.name)) for spec in _served(request)},
            "calls": [call_json(call) for call in calls],
            "messages": [message_json(message) for message in messages],
        }
    )


def _filters(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    unknown = set(request.query_params) - set(names)
    if unknown:
        raise BadRequest(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(names)}")
    return {name: request.query_params[name] for name in names if name in request.query_params}


async def calls(request: Request) -> Response:
    filters = _filters(request, CALL_FILTERS)
    found = _engine(request).calls(**filters)
    return ok({"calls": [call_json(call) for call in found], "count": len(found)})


def _one_call(request: Request) -> tuple[Telephony, Call]:
    engine = _engine(request)
    call_id = request.path_params["id"]
    call = engine.call(call_id)
    emulator = request.app.state.emulator
    for spec in _served(request):
        if call is not None:
            break
        located = spec.calls.locate(emulator, call_id)
        call = engine.call(located) if located is not None else None
    if call is None:
        raise NotFound(f"no call {call_id!r}")
    return engine, call


def call_detail(request: Request, call: Call) -> dict[str, Any]:
    """A call with its ``state`` and each served API's fields (``ApiSpec.calls``: Yemot's live-call
    view and IVR transcript)."""
    emulator = request.app.state.emulator
    state = next(filter(None, (spec.calls.state(emulator, call) for spec in _served(request))), None)
    data = {**call_json(call), "state": state or ("active" if call.phase == "answered" else call.phase)}
    for spec in _served(request):
        data.update(spec.calls.detail(emulator, call))
    return data


async def one_call(request: Request) -> Response:
    """GET: the call; DELETE: hang it up now (the caller or the network drops it).

    A call an API keeps apart from the engine (Simotel's dialplan calls, ids ``dialplan-<n>`` or
    their ``unique_id``) answers with that API's view (``CallViews.own``)."""
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    for spec in _served(request):
        own = spec.calls.own(emulator, request.path_params["id"], request.method == "DELETE")
        if own is not None:
            return ok(own)
    engine, call = _one_call(request)
    if request.method == "DELETE":
        engine.hangup(call.id)
    return ok(call_detail(request, call))


async def messages(request: Request) -> Response:
    filters = _filters(request, MESSAGE_FILTERS)
    found = _engine(request).messages(**filters)
    return ok({"messages": [message_json(message) for message in found], "count": len(found)})


routes = [
    Route("/phones/{number}", guarded(phone), methods=["GET", "PUT", "DELETE"]),
    Route("/calls", guarded(calls), methods=["GET"]),
    Route("/calls/{id}", guarded(one_call), methods=["GET", "DELETE"]),
    Route("/messages", guarded(messages), methods=["GET"]),
]
