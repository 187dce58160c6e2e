"""MFASession and the ``MFA_REQUIRED`` gate.

A system whose MFA is required (fixture ``mfa.required``, or the control plane) answers every
method but ``OPEN_METHODS`` with FORBIDDEN ``MFA_REQUIRED`` on a Login session until that session
passes: by ``validMFA`` with the code sent by ``sendMFA``, or by the ``mfa.php`` step, which the
control plane simulates (``pass_session``). ``number:password`` tokens are customer
credentials and pass (``IS_CUSTOMER_AUTH_TOKEN``); API keys skip MFA (``API_SKIP_FOR_MFA``); so does
a request from a trusted IP.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from emulator.yemot.actions import by_action
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadAction,
    MfaMethodNotFound,
    MfaOnlyBeforePass,
    MfaRequired,
    MfaTrustTokenNotFound,
    MissingParameter,
)
from emulator.yemot.state import Mfa, MfaMethod, MfaTrustToken, Session, YemotSystem
from emulator.yemot.timefmt import datetime_text

OPEN_METHODS = frozenset({"Login", "Logout", "MFASession", "ValidationToken"})
MAX_TRIES = 5
NEVER_EXPIRES = "2099-12-31 23:59:59"
METHOD_IDS = {"PHONE": 1, "EMAIL": 2}
SEND_TYPES = {"PHONE": ["SMS", "CALL"], "EMAIL": ["EMAIL"]}
CODE_TEXT = "קוד האימות שלך: {code}"


def pass_reason(call: YemotCall) -> str | None:
    """Why the caller's token counts as passed, or None if it must still pass."""
    system = call.require_system()
    if not system.mfa.required:
        return "INACTIVE_SYSTEM"
    if call.api_key is not None:
        return "API_SKIP_FOR_MFA"
    if call.session is None:
        return "IS_CUSTOMER_AUTH_TOKEN"
    if call.session.mfa_passed:
        return "MFA_PASSED"
    if call.client_ip in system.mfa.trust_ips:
        return "INIT_WHITELIST_IPS"
    return None


def gate(call: YemotCall, method: str) -> None:
    """Refuse ``method`` with ``MFA_REQUIRED`` while the caller's session still has to pass MFA."""
    system = call.system
    if system is None or not system.mfa.required:  # (an MFA-free system: ``INACTIVE_SYSTEM``)
        return
    if method not in OPEN_METHODS and pass_reason(call) is None:
        raise MfaRequired()


def pass_session(system: YemotSystem, session: Session) -> str:
    """The ``mfa.php`` step succeeded for ``session``: ``VALID``, or ``ALREADY_PASSED``."""
    if session.mfa_passed:
        return "ALREADY_PASSED"
    session.mfa_passed = True
    return "VALID"


def _status(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    reason = pass_reason(call)
    return {
        "isAvailable": system.mfa.required,
        "isPass": reason is not None,
        "passReason": reason,
        "isPassInThisSession": call.session is not None and call.session.mfa_passed,
    }


def _before_pass(call: YemotCall) -> None:
    if pass_reason(call) is not None:
        raise MfaOnlyBeforePass()


def _try(call: YemotCall) -> dict[str, Any]:
    _before_pass(call)
    return _status(call)


def _mask(method: MfaMethod) -> str:
    value = method.value
    if method.kind == "EMAIL":
        name, _, domain = value.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{value[:3]}****{value[-3:]}"


def _method_json(method: MfaMethod, created: float) -> dict[str, Any]:
    return {
        "ID": method.id,
        "STATUS": method.status,
        "MFA_METHOD_ID": METHOD_IDS.get(method.kind, 0),
        "NIKE": _mask(method),
        "NOTE": method.note,
        "SEND_TYPE": SEND_TYPES.get(method.kind, []),
        "VALUE": _mask(method),
        "EXPIRED_DATE": method.expires or NEVER_EXPIRES,
        "LAST_USED": datetime_text(method.last_used if method.last_used is not None else created),
    }


def _get_methods(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    created = call.session.created if call.session is not None else call.now
    return {**_status(call), "mfaMethods": [_method_json(m, created) for m in system.mfa.methods]}


def _method(mfa: Mfa, raw: Any) -> MfaMethod:
    if raw is None:
        raise MissingParameter("mfaId")
    for method in mfa.methods:
        if method.id == raw:
            return method
    raise MfaMethodNotFound()


def _send_code(call: YemotCall, method: MfaMethod, send_type: str) -> None:
    """A fresh 6-digit code: by SMS or call to a PHONE method, kept for the control plane for EMAIL."""
    method.code = f"{call.emulator.rng.randrange(1_000_000):06d}"
    system = call.require_system()
    system.mfa.tries = 0  # a new code ends an OVERTRY lock
    if method.kind == "PHONE" and send_type == "CALL":
        call.place(kind="mfa", caller_id=system.number, to=method.value, max_talk_s=30, extra={"code": method.code})
    elif method.kind == "PHONE":
        text = CODE_TEXT.format(code=method.code)
        call.emulator.telephony.send_sms(
            api="yemot", tenant=system.number, sender=system.number, to=method.value, text=text
        )


def _send(call: YemotCall) -> dict[str, Any]:
    _before_pass(call)
    method = _method(call.require_system().mfa, call.params.get("mfaId"))
    _send_code(call, method, str(call.params.get("mfaSendType") or "SMS").upper())
    return {}


def _check_code(call: YemotCall, candidates: list[MfaMethod]) -> tuple[dict[str, Any], MfaMethod | None]:
    mfa = call.require_system().mfa
    code = str(call.params.get("mfaCode") or "").strip()
    if mfa.tries >= MAX_TRIES:
        return _valid_json("OVERTRY", mfa, "too many tries"), None
    matched = next((m for m in candidates if m.code is not None and m.code == code), None)
    if matched is None:
        mfa.tries += 1
        status = "OVERTRY" if mfa.tries >= MAX_TRIES else "INVALID"
        return _valid_json(status, mfa, "the code is incorrect"), None
    mfa.tries = 0
    matched.code = None
    matched.last_used = call.now
    return _valid_json("VALID", mfa, "the code is correct"), matched


def _valid_json(status: str, mfa: Mfa, message: str) -> dict[str, Any]:
    return {
        "mfa_valid_status": status,
        "mfa_valid_trys": mfa.tries,
        "mfa_valid_left": max(0, MAX_TRIES - mfa.tries),
        "mfa_valid_message": message,
    }


def _valid(call: YemotCall) -> dict[str, Any]:
    """``validMFA``: the code of any method's latest ``sendMFA`` passes the session."""
    _before_pass(call)
    system = call.require_system()
    answer, matched = _check_code(call, [m for m in system.mfa.methods if m.status == "VALID"])
    if matched is not None and call.session is not None:
        call.session.mfa_passed = True
        if call.params.get("mfaRememberMe") in (True, 1, "1", "true"):
            mfa = system.mfa
            note = str(call.params.get("mfaRememberNote") or "")
            mfa.trust_tokens.append(MfaTrustToken(id=mfa.next_id, created=call.now, note=note))
            mfa.next_id += 1
    return answer


def _add_method(call: YemotCall) -> dict[str, Any]:
    mfa = call.require_system().mfa
    kind = str(call.params.get("mfaNewType") or "").upper()
    value = str(call.params.get("mtaNewValue") or "").strip()
    if kind not in METHOD_IDS:
        raise MissingParameter("mfaNewType")
    if not value:
        raise MissingParameter("mtaNewValue")
    method = MfaMethod(
        id=mfa.next_id,
        kind=kind,
        value=value,
        note=str(call.params.get("mfaNewValidNote") or ""),
        status="WAIT_VALID",
        expires=str(call.params["newExpiredDate"]) if call.params.get("newExpiredDate") else None,
    )
    mfa.next_id += 1
    mfa.methods.append(method)
    _send_code(call, method, "SMS")
    return {"methodId": method.id}


def _revalid_method(call: YemotCall) -> dict[str, Any]:
    method = _method(call.require_system().mfa, call.params.get("mfaId"))
    _send_code(call, method, str(call.params.get("mfaSendType") or "SMS").upper())
    return {}


def _valid_method(call: YemotCall) -> dict[str, Any]:
    method = _method(call.require_system().mfa, call.params.get("mfaId"))
    answer, matched = _check_code(call, [method])
    if matched is not None:
        matched.status = "VALID"
    return answer


def _delete_method(call: YemotCall) -> dict[str, Any]:
    mfa = call.require_system().mfa
    mfa.methods.remove(_method(mfa, call.params.get("mfaId")))
    return {}


def _trust_tokens(call: YemotCall) -> dict[str, Any]:
    tokens = call.require_system().mfa.trust_tokens
    return {
        "trustTokens": [
            {
                "id": token.id,
                "trust_key_type": "BROWSER",
                "create_by": "API",
                "create_date": datetime_text(token.created),
                "update_by": None,
                "update_date": None,
                "last_use": None if token.last_use is None else datetime_text(token.last_use),
                "trust_note": token.note,
            }
            for token in tokens
        ]
    }


def _delete_trust_token(call: YemotCall) -> dict[str, Any]:
    mfa = call.require_system().mfa
    wanted = str(call.params.get("trustTokenId") or "").strip()
    for token in mfa.trust_tokens:
        if str(token.id) == wanted:
            mfa.trust_tokens.remove(token)
            return {}
    raise MfaTrustTokenNotFound()


def _get_trust_ips(call: YemotCall) -> dict[str, Any]:
    return {"trustIps": list(call.require_system().mfa.trust_ips)}


def _set_trust_ips(call: YemotCall) -> dict[str, Any]:
    """Replace the trusted IPs with the valid addresses of ``trustIps``; invalid ones go to ``errors``."""
    raw = call.params.get("trustIps") or []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    valid, errors = [], []
    for item in (str(item).strip() for item in items):
        try:
            valid.append(str(ipaddress.ip_address(item)))
        except ValueError:
            errors.append(item)
    call.require_system().mfa.trust_ips = valid
    return {"okCount": len(valid), "save": True, "valid_new_list": valid, "errors": errors}


mfa_session = by_action(
    {
        "isPass": _status,
        "try": _try,
        "getMFAMethods": _get_methods,
        "sendMFA": _send,
        "reValidMethod": _revalid_method,
        "validMFA": _valid,
        "addMethod": _add_method,
        "validMethod": _valid_method,
        "deleteMethod": _delete_method,
        "getMFATrustTokens": _trust_tokens,
        "deleteTrustToken": _delete_trust_token,
        "getMFATrustIps": _get_trust_ips,
        "setMFATrustIps": _set_trust_ips,
    },
    BadAction,
)
