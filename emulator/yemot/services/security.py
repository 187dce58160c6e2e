"""Security methods: ValidationToken, DoubleAuth, GetLoginLog, GetAllSessions, KillSession, KillAllSessions.

Two-step verification lives on a Login session: SendCode places a call from a random number
to the system's ``createPhone``; VerifyCode takes the last four digits of that caller ID.
A ``number:password`` token has no lasting session: each request gets a throw-away one (the
seed's "a changing token"), so its SendCode places and counts the call like any other, while its
VerifyCode finds no code sent in its own session and it never counts as verified.
Each SendCode adds one to the system's validation-call counter and each success takes one
off; at the system's ``validation_call_threshold`` SendCode is refused. The counter's window
opens with the first SendCode and closes (counter back to 0) six hours of emulator clock later,
on the scheduler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim import phones as phone_rules
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.yemot.actions import by_action
from emulator.yemot.auth import SESSION_IDLE_S
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    AlreadyVerified,
    AuthenticationFailed,
    CreatePhoneNotValid,
    SendCodeFirst,
    SendCodeMissingParameters,
    SessionIdBroken,
    SessionIdNotNumber,
    TooManyValidationCalls,
    UnknownUsername,
    UnverifiedSession,
    VerifyMissingParameters,
)
from emulator.yemot.services.caller_ids import own_numbers
from emulator.yemot.state import Session, YemotSystem
from emulator.yemot.timefmt import datetime_text

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

VALIDATION_WINDOW_S = 6 * 3600.0
RESET_EVENT = "yemot.validation_reset"
VERIFICATION_KIND = "verification"


def hint(token: str) -> str:
    """The token hint the server shows: first 3 characters, ``***``, last 6.

    A ``number:password`` token is hinted by its number alone: the password never shows.
    """
    shown = token.partition(":")[0]
    return f"{shown[:3]}***{shown[-6:]}"


def _mfa(session: Session, *, no_reason: str | None = "") -> dict[str, Any]:
    """A session's ``mfa*`` keys: true with ``MFA_PASSED`` once it has passed MFA (``validMFA`` or the
    ``mfa.php`` step), else false and ``no_reason``."""
    passed = session.mfa_passed
    return {
        "mfaStatus": passed,
        "mfaRealValid": passed,
        "mfaRequestId": None,
        "mfaValidReason": "MFA_PASSED" if passed else no_reason,
    }


def _session_fields(session: Session) -> dict[str, Any]:
    return {
        "remoteIP": session.remote_ip,
        "sessionType": session.session_type,
        "createTime": datetime_text(session.created),
        "lastRequest": datetime_text(session.last_request),
        "doubleAuthStatus": session.double_auth,
    }


def _alive(session: Session, now: float) -> bool:
    return session.active and now - session.last_request <= SESSION_IDLE_S


def validation_token(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    session = _session(call)
    data = {
        **_session_fields(session),
        "validationCalls": system.validation_calls,
        "token": hint(session.token),
        **_mfa(session),
    }
    return {"tokenData": data}


# -- DoubleAuth ---------------------------------------------------------------------------------------


def _session(call: YemotCall) -> Session:
    """The request's session; for a ``number:password`` token, a fresh unverified API session that
    lives as long as the request (two-step status is per token, and such a token changes each time)."""
    if call.session is not None:
        return call.session
    return Session(token=call.token or "", created=call.now, last_request=call.now, remote_ip=call.client_ip)


def _send_code(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    session = _session(call)
    if session.double_auth:
        raise AlreadyVerified()
    target = phone_rules.normalize(system.create_phone)
    if not phone_rules.is_valid(target, "yemot"):
        raise CreatePhoneNotValid()
    if system.validation_calls >= system.validation_call_threshold:
        raise TooManyValidationCalls()
    rng = call.emulator.rng
    caller = "07" + "".join(str(rng.randrange(10)) for _ in range(8))
    call.place(kind=VERIFICATION_KIND, caller_id=caller, to=target, max_talk_s=0)
    session.auth_code = caller[-4:]
    _count_call(call.emulator, system, call.now)
    return {"message": "Call successfully sent", "LastNumberToSend": target[-4:]}


def _count_call(emulator: Emulator, system: YemotSystem, now: float) -> None:
    if system.validation_window_start is None:
        system.validation_window_start = now
        emulator.scheduler.after(VALIDATION_WINDOW_S, RESET_EVENT, {"system": system.number, "window": now})
    system.validation_calls += 1


def _verify_code(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    session = _session(call)
    if session.double_auth:
        raise AlreadyVerified()
    code = str(call.params.get("code") or "").strip()
    if not code:
        raise VerifyMissingParameters()
    if session.auth_code is None:
        raise SendCodeFirst()
    if code != session.auth_code:
        raise AuthenticationFailed()
    session.double_auth = True
    session.auth_code = None
    system.validation_calls = max(0, system.validation_calls - 1)
    return {"message": "VerifiedOK"}


# A missing or unknown action is the seed's EXCEPTION ``Missing parameters``.
double_auth = by_action({"SendCode": _send_code, "VerifyCode": _verify_code}, SendCodeMissingParameters)


def on_reset(emulator: Emulator, event: ScheduledEvent) -> None:
    """Scheduler handler: close a validation-call window six hours after it opened."""
    system = emulator.world.yemot.systems.get(str(event.payload.get("system")))
    if system is not None and system.validation_window_start == event.payload.get("window"):
        system.validation_calls = 0
        system.validation_window_start = None


# -- verified-only methods ------------------------------------------------------------------------------


def _require_verified(call: YemotCall) -> YemotSystem:
    if call.session is None or not call.session.double_auth:
        raise UnverifiedSession()
    return call.require_system()


def _limit(call: YemotCall) -> int | None:
    limit = call.params.get("limit")
    return limit if isinstance(limit, int) and limit > 0 else None


def get_login_log(call: YemotCall) -> dict[str, Any]:
    system = _require_verified(call)
    username = str(call.params.get("username") or system.number).strip()
    if username not in own_numbers(system):
        raise UnknownUsername()
    rows = [row for row in reversed(system.login_log) if row.username == username][: _limit(call)]
    data = [
        {
            "remoteIP": row.remote_ip,
            "sessionType": row.session_type,
            "actionTimestamp": datetime_text(row.time),
            "username": row.username,
            "successful": row.success,
        }
        for row in rows
    ]
    return {"data": data}


def get_all_sessions(call: YemotCall) -> dict[str, Any]:
    system = _require_verified(call)
    alive = [session for session in system.sessions.values() if _alive(session, call.now)][: _limit(call)]
    entries = [
        {
            "id": session.id,
            "token": hint(session.token),
            "active": True,
            "selectedDID": None,
            **_session_fields(session),
            **_mfa(session, no_reason=None),
        }
        for session in alive
    ]
    return {"sessions": entries, "sessionsCount": len(entries), "data": entries, "count": len(entries)}


def kill_session(call: YemotCall) -> dict[str, Any]:
    system = _require_verified(call)
    raw = str(call.params.get("SessionId") or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        raise SessionIdNotNumber()
    for session in system.sessions.values():
        if session.id == int(raw) and _alive(session, call.now):
            session.active = False
            return {"SessionId": raw}
    raise SessionIdBroken()


def kill_all_sessions(call: YemotCall) -> dict[str, Any]:
    """Close every live session of the system, the caller's own included."""
    system = _require_verified(call)
    killed = 0
    for session in system.sessions.values():
        if _alive(session, call.now):
            session.active = False
            killed += 1
    return {"KillSessions": str(killed)}


def install(emulator: Emulator) -> None:
    emulator.scheduler.register(RESET_EVENT, lambda event: on_reset(emulator, event))
