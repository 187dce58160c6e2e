"""Control-plane routes of Simotel dialplans: define them, and place calls that walk them."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.core.sim.clock import format_instant
from emulator.simotel import dialplan
from emulator.simotel.dialplan.model import check_targets
from emulator.simotel.services import inbound

_NUMBER = re.compile(r"\+?[0-9]{2,20}")
_KEYS = re.compile(r"[0-9*#]{0,64}")
CALL_FIELDS = ("src", "dst", "keys", "dialplan")
MAX_KEYS = 100


async def dialplan_item(request: Request) -> Response:
    """GET shows, PUT defines or replaces, DELETE removes the dialplan ``name``."""
    emulator = request.app.state.emulator
    plans = emulator.world.simotel.dialplans
    name = request.path_params["name"]
    if request.method == "PUT":
        try:
            plan = dialplan.parse(name, await read_object(request))
            await check_targets(plan, emulator.outbox.listeners)
        except dialplan.DialplanError as exc:
            raise BadRequest(str(exc)) from exc
        emulator.world.simotel.dialplans[name] = plan  # (the world as it is after the awaits)
        return ok({"name": name, **plan})
    if name not in plans:
        raise BadRequest(f"no dialplan {name!r}; defined: {', '.join(plans) or 'none'}")
    if request.method == "DELETE":
        del plans[name]
        return ok({"name": name, "deleted": True})
    return ok({"name": name, **plans[name]})


async def dialplan_list(request: Request) -> Response:
    plans = request.app.state.emulator.world.simotel.dialplans
    return ok({"dialplans": [{"name": name, **plan} for name, plan in plans.items()]})


async def place_call(request: Request) -> Response:
    """Place a call from ``src`` to ``dst`` that walks the dialplan serving ``dst``; the caller keys ``keys``."""
    body = await read_object(request)
    unknown = sorted(set(body) - set(CALL_FIELDS))
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; fields are {', '.join(CALL_FIELDS)}")
    for name in ("src", "dst"):
        if not isinstance(body.get(name), str) or not _NUMBER.fullmatch(body[name]):
            raise BadRequest(f"{name!r} must be a phone number or extension (digits)")
    keys = body.get("keys", [])
    if not isinstance(keys, list) or len(keys) > MAX_KEYS:
        raise BadRequest(f"'keys' must be a list of at most {MAX_KEYS} inputs")
    if not all(isinstance(key, str) and _KEYS.fullmatch(key) for key in keys):
        raise BadRequest("each of 'keys' is what the caller types: digits, '*' and '#' ('' = silence)")
    if not isinstance(body.get("dialplan", ""), str):
        raise BadRequest("'dialplan' must be a dialplan name")
    emulator = request.app.state.emulator
    try:
        call = dialplan.place(
            emulator, src=body["src"], dst=body["dst"], keys=keys, dialplan=body.get("dialplan", ""),
            live="keys" not in body,  # without a script the caller's input comes while the call runs
        )  # fmt: skip
    except dialplan.NoDialplan as exc:
        hint = "define one with PUT simotel/dialplans/{name}"
        raise BadRequest(f"no dialplan answers {body['dst']!r}; {hint}") from exc
    return ok({"id": call.id, "unique_id": call.unique_id, "dialplan": call.dialplan}, status=201)


async def transfer_call(request: Request) -> Response:
    """The answered party of dialplan call ``id`` transfers it to ``{"to": "<extension>"}``."""
    body = await read_object(request)
    if set(body) != {"to"} or not isinstance(body["to"], str) or not _NUMBER.fullmatch(body["to"]):
        raise BadRequest("a transfer takes {'to': '<extension or number>'}")
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    call = emulator.world.simotel.dialplan_calls.get(request.path_params["id"])
    if call is None:
        raise BadRequest(f"no dialplan call {request.path_params['id']!r}")
    try:
        dialplan.transfer(emulator, call, body["to"])
    except dialplan.NotTransferable as exc:
        raise BadRequest(str(exc)) from exc
    return ok(dialplan.view(call, format_instant))


async def incoming_fax(request: Request) -> Response:
    """A fax arrives from ``src`` at ``dst``: ``{"src", "dst", "entry_point"?, "pages"?, "success"?}``."""
    body = await read_object(request)
    unknown = sorted(set(body) - {"src", "dst", "entry_point", "pages", "success"})
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; fields are src, dst, entry_point, pages, success")
    for name in ("src", "dst"):
        if not isinstance(body.get(name), str) or not _NUMBER.fullmatch(body[name]):
            raise BadRequest(f"{name!r} must be a phone number (digits)")
    pages = body.get("pages", 1)
    if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= 500:
        raise BadRequest("'pages' must be a number of pages from 1 to 500")
    if not isinstance(body.get("success", True), bool) or not isinstance(body.get("entry_point", ""), str):
        raise BadRequest("'success' must be true or false and 'entry_point' a string")
    record = inbound.receive_fax(
        request.app.state.emulator, src=body["src"], dst=body["dst"], entry_point=body.get("entry_point") or "main",
        pages=pages, success=body.get("success", True),
    )  # fmt: skip
    return ok({"fax_id": record["_id"], "status": record["status"]}, status=201)


def lookup(emulator: Any, call_id: str, *, hang_up: bool = False) -> dict[str, Any] | None:
    """The view of Simotel dialplan call ``call_id`` (its ``id`` or ``unique_id``) for ``/calls/{id}``;
    ``hang_up`` makes the caller hang up first."""
    calls = emulator.world.simotel.dialplan_calls
    found = calls.get(call_id) or next((c for c in calls.values() if c.unique_id == call_id), None)
    if found is None:
        return None
    if hang_up:
        dialplan.hang_up(emulator, found)
    return dialplan.view(found, format_instant)


async def dialplan_calls(request: Request) -> Response:
    """Simotel dialplan calls, newest last (the dashboard lists them with the telephony calls)."""
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    calls = emulator.world.simotel.dialplan_calls.values()
    return ok({"calls": [_call_row(call) for call in calls], "count": len(calls)})


def _call_row(call: Any) -> dict[str, Any]:
    return {"id": call.id, "api": "simotel", "tenant": call.dialplan, "kind": "dialplan", "dialplan": call.dialplan,
            "caller_id": call.src,
            "to": call.dst, "state": call.state, "phase": "ended" if call.state == "ended" else "answered",
            "live": call.live, "created": format_instant(call.started),
            "ended_at": None if call.ended is None else format_instant(call.ended)}  # fmt: skip


routes = [
    Route("/simotel/dialplans", guarded(dialplan_list), methods=["GET"]),
    Route("/simotel/dialplans/{name}", guarded(dialplan_item), methods=["GET", "PUT", "DELETE"]),
    Route("/simotel/calls", guarded(place_call), methods=["POST"]),
    Route("/simotel/calls", guarded(dialplan_calls), methods=["GET"]),
    Route("/simotel/calls/{id}/transfer", guarded(transfer_call), methods=["POST"]),
    Route("/simotel/faxes/incoming", guarded(incoming_fax), methods=["POST"]),
]
