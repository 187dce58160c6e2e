"""Caller IDs: which numbers a system may send from (the one shared check), and ValidationCallerId.

``resolve(system, requested, now)`` is the check every sending method uses for its
``callerId`` / ``from``: empty means the main number; the main number, a sub-number
(secondary DID) or an approved caller ID whose year has not run out are accepted; anything
else raises ``CallerIdNotApproved``.
"""

from __future__ import annotations

from typing import Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot import billing
from emulator.yemot.actions import by_action
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadAction,
    CallerIdNotApproved,
    CallerIdNotValid,
    ValidationCodeWrong,
    ValidationRequestNotFound,
)
from emulator.yemot.state import CallerId, CallerIdRequest, YemotSystem

APPROVAL_S = 365 * 86_400.0
CODE_SMS_TEXT = "קוד האימות שלך הוא {code}"  # the text of the SMS carrying the code


def approved(system: YemotSystem, now: float) -> list[CallerId]:
    """Approved caller IDs still valid at ``now``."""
    return [entry for entry in system.caller_ids if entry.expires > now]


def own_numbers(system: YemotSystem) -> list[str]:
    """The main number and every sub-number."""
    return [system.number, *(did.did for did in system.secondary_dids)]


def is_allowed(system: YemotSystem, caller_id: str, now: float) -> bool:
    caller_id = phone_rules.normalize(caller_id)
    return caller_id in own_numbers(system) or any(entry.caller_id == caller_id for entry in approved(system, now))


def resolve(system: YemotSystem, requested: Any, now: float) -> str:
    """The caller ID to use: the main number when none is given, else ``requested`` if allowed."""
    text = phone_rules.normalize(requested)
    if not text:
        return system.number
    if not is_allowed(system, text, now):
        raise CallerIdNotApproved(text)
    return text


def approve(system: YemotSystem, caller_id: str, now: float) -> CallerId:
    """Add ``caller_id`` for one year from ``now``, or extend it to one year from ``now``."""
    for entry in system.caller_ids:
        if entry.caller_id == caller_id:
            entry.expires = max(entry.expires, now + APPROVAL_S)
            return entry
    entry = CallerId(caller_id=caller_id, expires=now + APPROVAL_S)
    system.caller_ids.append(entry)
    return entry


def _send(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    number = phone_rules.normalize(call.params.get("callerId"))
    if not phone_rules.is_valid(number, "yemot"):
        raise CallerIdNotValid()
    valid_type = str(call.params.get("validType") or "SMS").upper()
    code = f"{call.emulator.rng.randrange(10000):04d}"
    request_id = call.emulator.token(12)
    telephony = call.emulator.telephony
    if valid_type == "CALL":
        billing.ensure_funds(system, billing.CALLER_ID_CALL_PRICE)
        call.place(
            kind="caller_id_validation",
            caller_id=system.number,
            to=number,
            extra={"code": code, "reqId": request_id},
        )
        billing.charge(
            system,
            billing.CALLER_ID_CALL_PRICE,
            f"caller ID validation call to {number}",
            call.now,
            category="caller_id",
        )
    else:
        text = CODE_SMS_TEXT.format(code=code)
        price = billing.price_sms(text)
        billing.ensure_funds(system, price)
        telephony.send_sms(
            api="yemot", tenant=system.number, sender=system.number, to=number, text=text, extra={"reqId": request_id}
        )
        billing.charge(system, price, f"caller ID validation SMS to {number}", call.now, category="sms")
    system.caller_id_requests[request_id] = CallerIdRequest(
        id=request_id, caller_id=number, code=code, created=call.now
    )
    return {"reqId": request_id}


def _valid(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    request = system.caller_id_requests.get(str(call.params.get("reId") or ""))
    if request is None or request.used:
        raise ValidationRequestNotFound()
    if str(call.params.get("code") or "").strip() != request.code:
        raise ValidationCodeWrong()
    request.used = True
    approve(system, request.caller_id, call.now)
    return {"status": True}


# ``action=send`` (callerId, validType SMS|CALL) -> ``reqId``; ``action=valid`` (reId, code) -> ``status``.
validation_caller_id = by_action({"send": _send, "valid": _valid}, BadAction)
