"""Yemot's outbound hooks: SendTTS ``callbackUrl`` events and SendFax ``deliveryUrl`` reports.

The payload builders are pure functions of a call record; ``install`` wires them to the
telephony engine's listeners so every phase change of a ``tts`` or ``fax`` call that carries a
``callback_url`` becomes one outbox delivery (real HTTP POST, retried, never blocking the
request that placed the call). Deliveries of one campaign share an ordering key, so a receiver
sees them in the order they happened, the TTS ``END`` last.

A service that wants hooks places its calls with ``kind="tts"`` or ``kind="fax"``, the
campaign id and ``callback_url`` (checked beforehand with ``check_callback_url``). SendTTS
passes ``callback_url`` only for runs of up to ``TTS_CALLBACK_LIMIT`` numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.outbound.outbox import CallbackUrlError
from emulator.core.sim.telephony_state import Call, CampaignProgress
from emulator.yemot.timefmt import datetime_text

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

TTS_KIND = "tts"
FAX_KIND = "fax"
TTS_CALLBACK_LIMIT = 500
# FailReason of a failed TTS call: Asterisk originate reasons (3 no answer, 5 busy, 8 congestion,
# 0 never dialled). The seed shows only "5".
FAIL_REASONS: dict[str, str] = {"no_answer": "3", "busy": "5", "failed": "8", "blocked": "0", "invalid": "0"}
# DIALSTATUS of an unanswered fax: Asterisk Dial() results.
DIAL_STATUSES: dict[str, str] = {
    "no_answer": "NOANSWER",
    "busy": "BUSY",
    "failed": "CHANUNAVAIL",
    "blocked": "DONTCALL",
    "invalid": "INVALIDARGS",
}
# A fax needs this much connected time to go through; a shorter call ends with status FAILED.
FAX_MIN_TALK_S = 10.0


def check_callback_url(emulator: Emulator, url: str) -> str:
    """Raise ``CallbackUrlError`` unless the emulator's outbox would call ``url`` (see ``core.outbound``)."""
    return emulator.outbox.check_url(url)


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def tts_call_payload(call: Call, phase: str) -> dict[str, Any] | None:
    """The JSON hook for one TTS call phase: ``UP``, ``FAILD`` (sic) or ``DOWN``; None for others."""
    base = {"CampaignId": call.campaign, "Number": call.to}
    if phase == "answered":
        return {**base, "Status": "UP", "Time": _ms(call.answered_at)}
    if phase != "ended":
        return None
    if call.outcome == "answered":
        return {
            **base,
            "Status": "DOWN",
            "Time": _ms(call.ended_at),
            "CallTimeMS": _ms(call.talk_s),
            "BridgeCallStart": None,
            "BridgeCallStop": None,
        }
    return {**base, "Status": "FAILD", "Time": _ms(call.ended_at), "FailReason": FAIL_REASONS[call.outcome or "failed"]}


def tts_end_payload(progress: CampaignProgress, calls: list[Call], billing: float) -> dict[str, Any]:
    """The JSON hook sent once every call of a TTS campaign has ended (``notEnteris``/``enteris`` sic).

    ``enteris`` counts the numbers dialled, ``notEnteris`` those never dialled (blocked, invalid),
    ``done`` the answered ones and ``fail`` the dialled ones that were not answered.
    """
    never = sum(1 for call in calls if call.outcome in ("blocked", "invalid"))
    done = sum(1 for call in calls if call.outcome == "answered")
    ended = progress.ended_at if progress.ended_at is not None else progress.created
    return {
        "CampaignId": progress.campaign,
        "Number": None,
        "Status": "END",
        "Time": _ms(ended),
        "moreData": {
            "CampaignBilling": _number(billing),
            "notEnteris": never,
            "enteris": len(calls) - never,
            "done": done,
            "fail": len(calls) - never - done,
            "createTS": datetime_text(progress.created),
            "runTS": datetime_text(progress.created),
            "endTS": datetime_text(ended),
        },
    }


def fax_payload(call: Call, phase: str) -> dict[str, str] | None:
    """The form fields of a fax delivery report: ``Answer``, ``NoAnswer`` + ``DIALSTATUS``, ``End`` + ``status``."""
    base = {"CampaignId": call.campaign or ""}
    if phase == "answered":
        return {**base, "Delivery": "Answer"}
    if phase != "ended":
        return None
    if call.outcome != "answered":
        return {**base, "Delivery": "NoAnswer", "DIALSTATUS": DIAL_STATUSES[call.outcome or "failed"]}
    return {**base, "Delivery": "End", "status": "SUCCESS" if call.talk_s >= FAX_MIN_TALK_S else "FAILED"}


def campaign_billing(emulator: Emulator, progress: CampaignProgress) -> float:
    """Units charged under this campaign id: the tenant's ledger rows carrying that ``campaign_id``."""
    system = emulator.world.yemot.systems.get(progress.tenant)
    if system is None:
        return 0.0
    return abs(sum(row.amount for row in system.transactions if row.campaign_id == progress.campaign))


def _number(value: float) -> float | int:
    value = round(value, 2)
    return int(value) if value == int(value) else value


def _key(call_or_progress: Call | CampaignProgress) -> str:
    campaign = call_or_progress.campaign
    if not campaign and isinstance(call_or_progress, Call):
        return f"yemot:{call_or_progress.tenant}:{call_or_progress.id}"
    return f"yemot:{call_or_progress.tenant}:{campaign}"


def _send(emulator: Emulator, url: str, source: str, key: str, **body: Any) -> None:
    try:
        emulator.outbox.enqueue(url, source=source, key=key, **body)
    except CallbackUrlError:
        return  # refused URLs are the placing service's to report; a hook never fails the clock


def on_call_phase(emulator: Emulator, call: Call, phase: str) -> None:
    """Listener: send the TTS or fax hook for this phase change, if the call asked for hooks."""
    if not call.callback_url or call.leg != 1:
        return
    if call.kind == TTS_KIND:
        payload = tts_call_payload(call, phase)
        if payload is not None:
            _send(emulator, call.callback_url, "yemot.tts", _key(call), json=payload)
    elif call.kind == FAX_KIND:
        form = fax_payload(call, phase)
        if form is not None:
            _send(emulator, call.callback_url, "yemot.fax", _key(call), form=form)


def on_campaign_end(emulator: Emulator, progress: CampaignProgress) -> None:
    """Listener: send the TTS ``END`` hook when a campaign's last call has ended."""
    calls = emulator.telephony.campaign_calls(progress)
    hooked = [call for call in calls if call.kind == TTS_KIND and call.callback_url]
    if not hooked:
        return
    payload = tts_end_payload(progress, calls, campaign_billing(emulator, progress))
    _send(emulator, hooked[0].callback_url or "", "yemot.tts", _key(progress), json=payload)


def install(emulator: Emulator) -> None:
    """Register the hook listeners on a new runtime's telephony engine."""
    emulator.telephony.on_phase("yemot", lambda call, phase: on_call_phase(emulator, call, phase))
    emulator.telephony.on_campaign_end("yemot", lambda progress: on_campaign_end(emulator, progress))
