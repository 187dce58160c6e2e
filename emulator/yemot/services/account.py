"""Account methods: Login, Logout, GetSession, GetCustomerData, GetTransactions, TransferUnits, GetIncomingSum."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from emulator.core.sim.numbers import to_float
from emulator.yemot import billing
from emulator.yemot.auth import check_password
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import BadAmount, BadDestination, InvalidParameter
from emulator.yemot.services import caller_ids
from emulator.yemot.state import Session
from emulator.yemot.timefmt import ISRAEL, date_text, datetime_text, local


def login(call: YemotCall) -> dict[str, Any]:
    system = check_password(call, str(call.params["username"]), str(call.params["password"]), log_success=True)
    call.system = system
    token = call.emulator.token(16)
    while call.state.find_session(token) is not None:
        token = call.emulator.token(16)
    system.sessions[token] = Session(
        token=token, created=call.now, last_request=call.now, remote_ip=call.client_ip, id=system.next_session_id
    )
    system.next_session_id += 1
    return {"token": token}


def logout(call: YemotCall) -> dict[str, Any]:
    if call.session is not None:
        call.session.active = False
    return {}


def _details(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {
        "name": system.name,
        "unitsExpireDate": system.units_expire_date,
        "email": system.email,
        "organization": system.organization,
        "contactName": system.contact_name,
        "phones": system.phones,
        "invoiceName": system.invoice_name,
        "invoiceAddress": system.invoice_address,
        "fax": system.fax,
        "accessPassword": system.access_password,
        "units": float(system.units),
        "recordPassword": system.record_password,
    }


def get_session(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {**_details(call), "creditFile": system.reseller_credit_file, "username": system.number}


def get_customer_data(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {
        "mainDid": system.number,
        "secondary_dids": [{"id": d.id, "did": d.did, "usage": d.usage} for d in system.secondary_dids],
        "callerIds": [
            {"callerId": c.caller_id, "expiryDate": datetime_text(c.expires)}
            for c in caller_ids.approved(system, call.now)
        ],
        **_details(call),
        "expiredUnits": system.units_expire_date < date_text(call.now),
        "resellerCreditFile": system.reseller_credit_file,
        "systemSite": system.system_site,
        "pirsumPhoneStatus": system.pirsum_phone_status,
        "ivrType": system.ivr_type,
        "smsUnits": float(system.sms_units),
        "smsUnitsExpireDate": system.sms_units_expire_date,
    }


def get_transactions(call: YemotCall) -> dict[str, Any]:
    """Ledger rows newest first; ``filter=campaigns`` keeps campaign charges; ``from`` skips, ``limit`` caps."""
    system = call.require_system()
    rows = list(reversed(system.transactions))
    if call.params.get("filter") == "campaigns":
        rows = [row for row in rows if row.campaign_id is not None]
    total = len(rows)
    start = call.params.get("from")
    start = start if isinstance(start, int) and start > 0 else 0
    limit = call.params.get("limit")
    rows = rows[start : start + limit] if isinstance(limit, int) and limit > 0 else rows[start:]
    return {
        "transactions": [
            {
                "id": row.id,
                "transactionTime": datetime_text(row.time),
                "amount": row.amount,
                "description": row.description,
                "who": row.who,
                "newBalance": row.new_balance,
                "expireDate": row.expire_date,
                "campaignId": row.campaign_id,
            }
            for row in rows
        ],
        "totalCount": total,
    }


def transfer_units(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    destination = call.state.systems.get(str(call.params.get("destination") or "").strip())
    if destination is None or destination is system:
        raise BadDestination()
    amount = to_float(call.params.get("amount"))
    if amount is None or not amount > 0:
        raise BadAmount()
    billing.transfer(system, destination, amount, call.now)
    return {"destination": destination.number, "amount": billing.units(amount), "newBalance": billing.balance(system)}


def _day(call: YemotCall, name: str, default: date) -> date:
    raw = call.params.get(name)
    if raw in (None, ""):
        return default
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidParameter(name, "expected YYYY-mm-dd") from None


def get_incoming_sum(call: YemotCall) -> dict[str, Any]:
    """Incoming minutes between ``from`` and ``to`` (inclusive days; default: this month so far)."""
    system = call.require_system()
    today = local(call.now).date()
    first = _day(call, "from", today.replace(day=1))
    last = _day(call, "to", today)
    start = datetime.combine(first, time.min, ISRAEL).timestamp()
    end = datetime.combine(last, time.max, ISRAEL).timestamp()
    seconds = {"direct": 0, "transferIn": 0, "transferOut": 0}
    for row in system.incoming_calls:
        if start <= row.time <= end and row.kind in seconds:
            seconds[row.kind] += row.seconds
    return {
        "fromDate": first.isoformat(),
        "toDate": last.isoformat(),
        **{kind: round(total / 60) for kind, total in seconds.items()},
    }
