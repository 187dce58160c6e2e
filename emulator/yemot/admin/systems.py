"""Control-plane routes that make the outside world act on a Yemot system.

Inbound calls (``POST /yemot/systems/{number}/calls``), inbound SMS, SIP devices registering and
the ``mfa.php`` verification step - the things a person or a phone would do, not the API.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, NotFound, guarded, ok, read_object
from emulator.yemot import live_calls
from emulator.yemot.ivr import engine as ivr_engine
from emulator.yemot.services import inbound, mfa
from emulator.yemot.state import LiveCall, SipRegistration, YemotSystem

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
        raise NotFound(f"no Yemot system {number!r}")
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
    scripted = "keys" in body  # without a script the caller stays on the line, silent, until hung up
    ivr_engine.start(
        emulator,
        system,
        live,
        keys=[str(k) for k in keys],
        stay_after_script=after is not None or not scripted,
        passive=not scripted,
    )
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


async def inbound_sms(request: Request) -> Response:
    """An SMS from ``from`` reaches the system (GetIncomingSms)."""
    system = system_of(request)
    body = await read_object(request)
    check_fields(body, ("from", "text", "to"))
    source = phone_field(body, "from") or ""
    destination = phone_field(body, "to", required=False)
    text = body.get("text")
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
        raise BadRequest(f"'text' must be a string of at most {_MAX_TEXT} characters")
    now = request.app.state.emulator.clock.now()
    sms = inbound.receive_sms(system, source=source, text=text, now=now, destination=destination)
    return ok({"source": sms.source, "destination": sms.destination, "message": sms.message}, status=201)


REGISTRATION_FIELDS = ("user_agent", "via_addr", "via_port", "expires_s")


async def sip_registration(request: Request) -> Response:
    """PUT: a device registers on SIP account ``account`` (replacing its earlier registration); DELETE: it leaves."""
    system = system_of(request)
    raw = request.path_params["account"]
    account = next((a for a in system.sip_accounts if str(a.number) == raw or a.username == raw), None)
    if account is None:
        raise NotFound(f"no SIP account {raw!r} on system {system.number}")
    if request.method == "DELETE":
        removed = len(account.registrations)
        account.registrations.clear()
        return ok({"account": account.username, "registered": False, "removed": removed})
    body = await read_object(request, default={})
    check_fields(body, REGISTRATION_FIELDS)
    agent = body.get("user_agent", "MicroSIP/3.21.3")
    addr = body.get("via_addr", "127.0.0.1")
    port = body.get("via_port", 5060)
    expires = body.get("expires_s", 3600)
    if not isinstance(agent, str) or len(agent) > 200:
        raise BadRequest("'user_agent' must be a string of at most 200 characters")
    try:
        addr = str(ipaddress.ip_address(addr))
    except ValueError as exc:
        raise BadRequest("'via_addr' must be an IP address") from exc
    for name, value, top in (("via_port", port, 65535), ("expires_s", expires, 7 * 86400)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise BadRequest(f"{name!r} must be an integer between 1 and {top}")
    now = request.app.state.emulator.clock.now()
    uri = f"sip:{account.username}@{addr}:{port}"
    account.registrations[:] = [
        SipRegistration(uri=uri, user_agent=agent, via_addr=addr, via_port=port, registered=now, expires_s=expires)
    ]
    return ok({"account": account.username, "registered": True, "uri": uri})


async def mfa_settings(request: Request) -> Response:
    """GET: the system's MFA settings, methods and their last codes; PUT ``{"required": bool}``."""
    system = system_of(request)
    if request.method == "PUT":
        body = await read_object(request)
        check_fields(body, ("required",))
        if not isinstance(body.get("required"), bool):
            raise BadRequest("'required' must be true or false")
        system.mfa.required = body["required"]
    return ok(
        {
            "required": system.mfa.required,
            "methods": [
                {"id": m.id, "type": m.kind, "value": m.value, "status": m.status, "code": m.code}
                for m in system.mfa.methods
            ],
            "trust_ips": list(system.mfa.trust_ips),
        }
    )


async def mfa_pass(request: Request) -> Response:
    """The user finishes ``/ym/mfa.php`` for session ``token``: ``mfaDoneStatus`` VALID or ALREADY_PASSED."""
    body = await read_object(request)
    check_fields(body, ("token",))
    token = body.get("token")
    emulator = request.app.state.emulator
    found = emulator.world.yemot.find_session(token) if isinstance(token, str) else None
    if found is None or not found[1].active:
        raise NotFound("no open session with that token")
    return ok({"mfaDoneStatus": mfa.pass_session(*found)})


routes = [
    Route("/yemot/systems/{number}/calls", guarded(inbound_call), methods=["POST"]),
    Route("/yemot/systems/{number}/sms", guarded(inbound_sms), methods=["POST"]),
    Route("/yemot/systems/{number}/sip/{account}", guarded(sip_registration), methods=["PUT", "DELETE"]),
    Route("/yemot/systems/{number}/mfa", guarded(mfa_settings), methods=["GET", "PUT"]),
    Route("/yemot/mfa", guarded(mfa_pass), methods=["POST"]),
]
