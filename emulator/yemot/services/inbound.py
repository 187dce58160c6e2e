"""What reaches a system from outside: GetIncomingSms, SipGetContexts, GetSipAccountsRegisteredStatus.

Inbound SMS and SIP device registrations come from the control plane (``yemot/admin/systems.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from emulator.yemot.context import YemotCall
from emulator.yemot.errors import InvalidParameter
from emulator.yemot.listing import newest_first
from emulator.yemot.services import sip
from emulator.yemot.state import IncomingSms, SipAccount, SipRegistration, YemotSystem
from emulator.yemot.timefmt import ISRAEL, datetime_text

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def international(number: str) -> str:
    """``05X...`` -> ``9725X...`` (the form GetIncomingSms shows senders in)."""
    return "972" + number[1:] if number.startswith("0") else number.lstrip("+")


def receive_sms(
    system: YemotSystem, *, source: str, text: str, now: float, destination: str | None = None
) -> IncomingSms:
    """An SMS from ``source`` reaches the system (its main number unless ``destination``)."""
    sms = IncomingSms(time=now, source=international(source), destination=destination or system.number, message=text)
    system.incoming_sms.append(sms)
    return sms


def _instant(call: YemotCall, name: str) -> float | None:
    raw = call.params.get(name)
    if raw is None:
        return None
    try:
        return datetime.strptime(str(raw).strip(), DATETIME_FORMAT).replace(tzinfo=ISRAEL).timestamp()
    except ValueError:
        raise InvalidParameter(name, "expected yyyy-MM-dd HH:mm:ss") from None


def get_incoming_sms(call: YemotCall) -> dict[str, Any]:
    """Inbound SMS newest first (ties: later arrival first) in ``startDate``..``endDate``, at most ``limit``."""
    system = call.require_system()
    start, end = _instant(call, "startDate"), _instant(call, "endDate")
    in_range = (
        sms for sms in system.incoming_sms if (start is None or sms.time >= start) and (end is None or sms.time <= end)
    )
    rows = newest_first(in_range, call.params.get("limit"))
    return {
        "rows": [
            {
                "source": sms.source,
                "destination": sms.destination,
                "message": sms.message,
                "receive_date": datetime_text(sms.time),
            }
            for sms in rows
        ]
    }


# -- SIP registrations ----------------------------------------------------------------------------------


def live_registrations(account: SipAccount, now: float) -> list[SipRegistration]:
    """Registrations of ``account`` that have not expired at ``now``."""
    return [reg for reg in account.registrations if reg.registered + reg.expires_s > now]


def sip_get_contexts(call: YemotCall) -> dict[str, Any]:
    """Registered devices of ``accountNumber`` (default: every account)."""
    system = sip.sip_system(call)
    number = call.params.get("accountNumber")
    accounts = [sip.account(system, number)] if number is not None else system.sip_accounts
    contexts = [
        {
            "uri": reg.uri,
            "user_agent": reg.user_agent,
            "via_addr": reg.via_addr,
            "via_port": reg.via_port,
            "endpoint": account.username,
            "expiration_time": datetime_text(reg.registered + reg.expires_s),
        }
        for account in accounts
        for reg in live_registrations(account, call.now)
    ]
    return {"contexts": contexts}


def get_sip_accounts_registered_status(call: YemotCall) -> dict[str, Any]:
    system = sip.sip_system(call)
    return {
        "accounts": [
            {
                "userName": account.username,
                "createdDate": datetime_text(account.created),
                "registered": bool(live_registrations(account, call.now)),
            }
            for account in sorted(system.sip_accounts, key=lambda a: a.number)
        ]
    }
