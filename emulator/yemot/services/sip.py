"""SIP accounts: create, list, transport switches, caller ID, delete, extension numbers.

Every method here first checks the system's server supports SIP (fixture flag ``sip_supported``)
and otherwise answers the documented Hebrew error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadAction,
    SipAccountLimit,
    SipAccountNotFound,
    SipExtensionTaken,
    SipNotSupported,
)
from emulator.yemot.services import caller_ids
from emulator.yemot.state import SipAccount, YemotSystem
from emulator.yemot.timefmt import datetime_text

PASSWORD_LENGTH = 12
TRANSPORTS = {"SipToWss": "transport-wss", "SipToUdp": "transport-udp"}

Service = Callable[[YemotCall], dict[str, Any]]


def sip_system(call: YemotCall) -> YemotSystem:
    """The caller's system, or the documented refusal when its server has no SIP."""
    system = call.require_system()
    if not system.sip_supported:
        raise SipNotSupported()
    return system


def account(system: YemotSystem, number: int | None) -> SipAccount:
    """Account ``number``, or the first account when ``number`` is None."""
    accounts = sorted(system.sip_accounts, key=lambda a: a.number)
    for candidate in accounts:
        if number is None or candidate.number == number:
            return candidate
    raise SipAccountNotFound()


def _check_extension(system: YemotSystem, ext_number: int, owner: SipAccount | None = None) -> None:
    if any(a.ext_number == ext_number and a is not owner for a in system.sip_accounts):
        raise SipExtensionTaken()


def create_sip_account(call: YemotCall) -> dict[str, Any]:
    """CreateSipAccount: the lowest free account number, up to ``sip_account_limit``."""
    system = sip_system(call)
    if len(system.sip_accounts) >= system.sip_account_limit:
        raise SipAccountLimit()
    ext_number = call.params.get("extNumber")
    if ext_number is not None:
        _check_extension(system, ext_number)
    used = {a.number for a in system.sip_accounts}
    number = next(n for n in range(1, len(used) + 2) if n not in used)
    created = SipAccount(
        number=number,
        username=f"{system.number}={number}",
        password=call.emulator.token(PASSWORD_LENGTH),
        created=call.now,
        ext_number=ext_number,
    )
    system.sip_accounts.append(created)
    return {"accountID": created.username, "accountNumber": created.number, "PASS": created.password}


def get_sip_accounts_in_customer(call: YemotCall) -> dict[str, Any]:
    """GetSipAccountsInCustomer: every account (seed fields + ``contactsCount``) and the limit."""
    system = sip_system(call)
    return {
        "accounts": [
            {
                "id": a.username,
                "accountNumber": a.number,
                "customerExtension": a.ext_number,
                "transport": a.transport,
                "callerid": system.number,
                "specialCallerID": a.special_caller_id,
                "password": a.password,
                "created_date": datetime_text(a.created),
                "contactsCount": a.contacts + sum(1 for r in a.registrations if r.registered + r.expires_s > call.now),
            }
            for a in sorted(system.sip_accounts, key=lambda a: a.number)
        ],
        "accountLimit": system.sip_account_limit,
    }


def _transport_switch(transport: str) -> Service:
    def switch(call: YemotCall) -> dict[str, Any]:
        account(sip_system(call), call.params.get("accountNumber")).transport = transport
        return {}

    switch.__doc__ = f"Allow only {transport} on the account (default: the first account)."
    return switch


sip_to_wss = _transport_switch(TRANSPORTS["SipToWss"])
sip_to_udp = _transport_switch(TRANSPORTS["SipToUdp"])


def edit_caller_id_in_sip_account(call: YemotCall) -> dict[str, Any]:
    """EditCallerIdInSipAccount: only an approved caller ID or a sub-number."""
    system = sip_system(call)
    target = account(system, call.params["accountNumber"])
    target.special_caller_id = caller_ids.resolve(system, call.params["callerId"], call.now)
    return {}


def delete_sip_account(call: YemotCall) -> dict[str, Any]:
    """DeleteSipAccount: one number or an array; ``affected_rows`` counts the deleted."""
    system = sip_system(call)
    raw = call.params["accountNumber"]
    numbers = set(raw if isinstance(raw, list) else [raw])
    before = len(system.sip_accounts)
    system.sip_accounts = [a for a in system.sip_accounts if a.number not in numbers]
    return {"affected_rows": before - len(system.sip_accounts)}


def sip_extension_management(call: YemotCall) -> dict[str, Any]:
    """SipExtensionManagement: ``Get`` / ``Set`` (no ``extNumber`` clears it); others EXCEPTION."""
    system = sip_system(call)
    action = call.params["SipExtensionManagement"]
    if action not in ("Get", "Set"):
        raise BadAction()
    target = account(system, call.params.get("accountNumber"))
    if action == "Set":
        ext_number = call.params.get("extNumber")
        if ext_number is not None:
            _check_extension(system, ext_number, owner=target)
        target.ext_number = ext_number
    return {"extNumber": target.ext_number}
