"""Control-plane routes that make the outside world act on a Yemot system.

Inbound calls (``POST /yemot/systems/{number}/calls``), inbound SMS, SIP devices registering and
the ``mfa.php`` verification step - the things a person or a phone would do, not the API.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.yemot import live_calls
from emulator.yemot.state import LiveCall, YemotSystem

_NUMBER = re.compile(r"\+?[0-9]{2,20}")
_MAX_KEYS = 200
_MAX_TEXT = 10_000
CALL_FIELDS = ("from", "did", "path", "keys", "hangup_after_s")


def system_of(request: Request) -> YemotSystem:
    """The system named in the path, after running whatever came due."""
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    number = request.path_params["number"]
    system = emulator.world.yemot.systems.get(number)
    if system is None:
        raise BadRequest(f"no Yemot system {number!r}")
    return system


def check_fields(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; fields are {', '.join(allowed)}")


def phone_field(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        raise BadRequest(f"{name!r} must be a phone number (digits, optionally a leading '+')")
    return value


def live_json(system: YemotSystem, live: LiveCall) -> dict[str, Any]:
    """What the control plane shows of a live Yemot call."""
    return {
        "system": system.number,
        "api_call_id": live.api_call_id,
        "did": live.did,
        "caller": live.caller,
        "path": live_calls.display(live.path),
        "queue": None if live.queue is None else live_calls.display(live.queue),
        "keys": list(live.keys),
        "transfer_from": live.transfer_from,
        "muted": live.muted,
        "hand_raised": live.hand_raised,
        "language": live.language,
        "room_data": list(live.room_data),
    }


async def inbound_call(request: Request) -> Response:
    """A caller dials the system; answered at once in ``path``; 201 with the call's ids."""
    system = system_of(request)
    body = await read_object(request)
    check_fields(body, CALL_FIELDS)
    caller = phone_field(body, "from")
    did = phone_field(body, "did", required=False)
    path = body.get("path", "/")
    if not isinstance(path, str) or len(path) > 500:
        raise BadRequest("'path' must be an extension path such as '/1/2'")
    keys = body.get("keys", [])
    if (
        not isinstance(keys, list)
        or len(keys) > _MAX_KEYS
        or not all(isinstance(key, str | int) and not isinstance(key, bool) and len(str(key)) <= 50 for key in keys)
    ):
        raise BadRequest(f"'keys' must be a list of at most {_MAX_KEYS} key strings")
    after = body.get("hangup_after_s")
    if after is not None and (isinstance(after, bool) or not isinstance(after, int | float)):
        raise BadRequest("'hangup_after_s' must be a number of seconds")
    emulator = request.app.state.emulator
    try:
        live = live_calls.receive(
            emulator, system, caller=caller or "", did=did, path=path, keys=[str(k) for k in keys], hangup_after_s=after
        )
    except live_calls.LiveCallError as exc:
        raise BadRequest(str(exc)) from exc
    call = emulator.telephony.call(live.call_id)
    return ok(
        {
            "id": live.call_id,
            "api_call_id": live.api_call_id,
            "state": live_calls.state_of(emulator, call),
            "yemot": live_json(system, live),
        },
        status=201,
    )


routes = [
    Route("/yemot/systems/{number}/calls", guarded(inbound_call), methods=["POST"]),
]
