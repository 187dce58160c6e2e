"""ViewCampaignReports: the report of any campaign the system ran (SMS, tzintuk, TTS, fax, bridge).

A campaign is whatever the simulated network carried under one campaign id of the system:
its top-level calls, or its SMS messages. The id is accepted as the sending method returned it
or as in the ledger description with ``Start-YA-`` removed (``YA-`` ids lose that prefix there).
"""

from __future__ import annotations

from typing import Any

from emulator.core.sim.telephony_state import Call, Message
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import CampaignNotFound
from emulator.yemot.timefmt import datetime_text

TYPES = {"sms": "SMS", "tzintuk": "TZINTUK", "tts": "TTS", "fax": "FAX", "bridge": "BRIDGE", "campaign": "CAMPAIGN"}
DELIVERED = {"DELIVRD"}
_FAILED = {"NO_ANSWER", "BUSY", "FAILED", "BLOCKED", "INVALID", "UNDELIV", "REJECTD", "EXPIRED"}


def _text(seconds: float | None) -> str | None:
    return None if seconds is None else datetime_text(seconds)


def _call_row(call: Call, calls: dict[str, Call]) -> dict[str, Any]:
    status = (call.outcome if call.phase == "ended" else call.phase) or "queued"
    row: dict[str, Any] = {
        "Status": status.upper(),
        "CallerId": call.caller_id,
        "StartTime": _text(call.ringing_at or call.created),
        "AnswerTime": _text(call.answered_at),
        "EndTime": _text(call.ended_at),
        "Duration": int(round(call.talk_s)),
    }
    if call.kind == "bridge":
        second = calls.get(call.second_leg_id or "")
        row["BridgePhone"] = call.bridge_to
        row["BridgedDuration"] = 0 if second is None else int(round(second.talk_s))
    return row


def _message_row(message: Message) -> dict[str, Any]:
    return {
        "Status": message.status,
        "CallerId": message.sender,
        "Message": message.text,
        "Time": datetime_text(message.created),
        "DeliveryReport": message.status if message.final else None,
    }


def _find(call: YemotCall, campaign: str) -> tuple[str, list[Call], list[Message]]:
    system = call.require_system()
    telephony = call.emulator.telephony
    for candidate in (campaign, f"YA-{campaign}"):
        calls = [c for c in telephony.calls(api="yemot", tenant=system.number, campaign=candidate) if c.leg == 1]
        messages = telephony.messages(api="yemot", tenant=system.number, campaign=candidate)
        if calls or messages:
            return candidate, calls, messages
    raise CampaignNotFound()


def view_campaign_reports(call: YemotCall) -> dict[str, Any]:
    """ViewCampaignReports: ``CampaignData`` and a per-phone ``report`` of one campaign."""
    campaign, calls, messages = _find(call, str(call.params["CampaignId"]).strip())
    system = call.require_system()
    charged = abs(sum(row.amount for row in system.transactions if row.campaign_id == campaign))
    everything = call.emulator.telephony.state.calls
    if calls:
        report = {c.to: _call_row(c, everything) for c in calls}
        done = sum(1 for c in calls if c.outcome == "answered")
        finished = all(c.phase == "ended" for c in calls)
        first, kind = calls[0], calls[0].kind
        started, ended = first.created, max((c.ended_at or 0.0) for c in calls) if finished else None
        caller = first.caller_id
    else:
        report = {m.to: _message_row(m) for m in messages}
        done = sum(1 for m in messages if m.status in DELIVERED)
        finished = all(m.final for m in messages)
        kind, started, ended = "sms", messages[0].created, None
        caller = messages[0].sender
    entries = len(calls) or len(messages)
    return {
        "CampaignData": {
            "CampaignId": campaign,
            "Type": TYPES.get(kind, kind.upper()),
            "CallerId": caller,
            "Status": "ENDED" if finished else "RUNNING",
            "CreateTS": datetime_text(started),
            "EndTS": _text(ended),
            "Entries": entries,
            "Done": done,
            "Fail": entries - done if finished else sum(1 for row in report.values() if row["Status"] in _FAILED),
            "Billing": round(charged, 4),
        },
        "report": report,
    }
