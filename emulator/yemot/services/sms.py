"""SMS methods: SendSms, GetSmsOutLog, GetCustomerSmsTransactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.yemot import billing, phone_lists
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import NoValidPhones
from emulator.yemot.listing import newest_first
from emulator.yemot.services import caller_ids
from emulator.yemot.state import SmsOutRow, YemotSystem
from emulator.yemot.timefmt import datetime_text

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

SMS_TRANSACTIONS_CAP = 2000
SMS_CATEGORY = "sms"


def send_sms(call: YemotCall) -> dict[str, Any]:
    """Send ``message`` to every number of ``phones``; one ledger row for the whole send."""
    system = call.require_system()
    params = call.params
    now = call.now
    sender = caller_ids.resolve(system, params.get("from"), now)
    text = str(params.get("message") or "")
    expansion = phone_lists.expand(system, params.get("phones"), allow_tzl=False)
    count = len(expansion.targets)
    if not count:
        raise NoValidPhones(errors=expansion.errors)
    price, per_phone = billing.sms_prices(text, count)
    billing.ensure_funds(system, price)  # (before the campaign takes its number)
    flash = bool(params.get("sendFlashMessage"))
    campaign = billing.new_campaign_id(call.emulator.ids, system, "SMS", now)
    phones = expansion.phones
    _deliver(
        call.emulator, system, sender=sender, phones=phones, text=text, campaign=campaign, flash=flash,
        per_phone=per_phone, now=now,
    )  # fmt: skip
    billing.charge_campaign(system, price, campaign, now, SMS_CATEGORY)
    return {
        "message": text,
        "from": sender,
        "sendCount": count,
        "Billing": price,
        "oks": phones,
        "errors": expansion.errors,
        "campaignId": campaign,
    }


def deliver(
    emulator: Emulator, system: YemotSystem, sender: str, phones: list[str], text: str, campaign: str, *, flash: bool
) -> None:
    """Send ``text`` to each number through the simulated network, one GetSmsOutLog row each."""
    price, now = billing.price_sms(text), emulator.clock.now()
    _deliver(
        emulator, system, sender=sender, phones=phones, text=text, campaign=campaign, flash=flash,
        per_phone=price, now=now,
    )  # fmt: skip


def _deliver(
    emulator: Emulator,
    system: YemotSystem,
    *,
    sender: str,
    phones: list[str],
    text: str,
    campaign: str,
    flash: bool,
    per_phone: float,
    now: float,
) -> None:
    """Each of ``phones`` gets ``text`` through the simulated network and a GetSmsOutLog row at
    ``per_phone`` (the send's ledger row is the caller's)."""
    send = emulator.telephony.send_sms
    log = system.sms_out_log
    tenant = system.number
    for phone in phones:
        message = send(api="yemot", tenant=tenant, sender=sender, to=phone, text=text, campaign=campaign,
                       extra={"flash": flash})  # fmt: skip
        log.append(
            SmsOutRow(
                time=now,
                caller_id=sender,
                to=phone,
                message=text,
                billing=per_phone,
                run_by="API",
                delivery_report=message.status,
                flash=flash,
                message_id=message.id,
                campaign_id=campaign,
            )
        )


def _report(call: YemotCall, row: SmsOutRow) -> str:
    """The row's delivery report as it stands now (live from the simulated network when sent here)."""
    if row.message_id is not None:
        message = call.emulator.telephony.state.messages.get(row.message_id)
        if message is not None:
            return message.status
    return row.delivery_report or "ESME_ROK"


def get_sms_out_log(call: YemotCall) -> dict[str, Any]:
    """Outgoing SMS, newest first; ``limit`` keeps the newest N (default: all)."""
    system = call.require_system()
    rows = newest_first(system.sms_out_log, call.params.get("limit"))
    return {
        "rows": [
            {
                "CallerId": row.caller_id,
                "To": row.to,
                "Message": row.message,
                "Billing": row.billing,
                "RunBy": row.run_by,
                "Time": datetime_text(row.time),
                "DeliveryReport": _report(call, row),
                "Flash": row.flash,
            }
            for row in rows
        ]
    }


def get_customer_sms_transactions(call: YemotCall) -> dict[str, Any]:
    """The last 2000 SMS ledger rows, newest first."""
    system = call.require_system()
    rows = [row for row in reversed(system.transactions) if row.category == SMS_CATEGORY][:SMS_TRANSACTIONS_CAP]
    return {
        "rows": [
            {
                "transactionTime": datetime_text(row.time),
                "amount": row.amount,
                "description": row.description,
                "newBalance": row.new_balance,
                "expireDate": row.expire_date or system.units_expire_date,
                "who": row.who,
            }
            for row in rows
        ]
    }
