"""Call campaigns: SendTTS, SendFax, CreateBridgeCall, and ViewCampaignReports over every campaign a system ran.

Calls go to the shared telephony engine; their time is billed when they end (``install``
registers the listener), on the units ledger under the campaign id, so the TTS ``END`` hook and
the reports see the final charge.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING, Any

from emulator.core.http.params import Upload
from emulator.core.outbound.outbox import CallbackUrlError
from emulator.core.sim import phones as phone_rules
from emulator.core.sim.telephony_state import Call
from emulator.yemot import billing, callbacks, ivrtree, phone_lists
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    CallbackUrlInvalid,
    FileUploadExpected,
    NoValidPhones,
    PathInvalid,
    SipAccountNotFound,
    SipNotSupported,
)
from emulator.yemot.services import caller_ids, live, sip
from emulator.yemot.state import YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

BRIDGE_KIND = "bridge"
DEFAULT_REPEAT = 2
DEFAULT_VOICE = "Default"
TTS_CHARS_PER_SECOND = 12.0
CATEGORY = {
    callbacks.TTS_KIND: "tts",
    callbacks.FAX_KIND: "fax",
    BRIDGE_KIND: "bridge",
    live.EXTENSION_BRIDGING_KIND: "bridge",
}
TIME_BILLED = "timeBilled"  # marks, in ``Call.extra``, the calls whose connected time this module bills


def _hook_url(call: YemotCall, name: str) -> str | None:
    url = call.params.get(name)
    if url in (None, ""):
        return None
    try:
        return callbacks.check_callback_url(call.emulator, str(url))
    except CallbackUrlError as exc:
        raise CallbackUrlInvalid(name, exc.reason) from exc


def tts_seconds(text: str, rate: int, repeat: int) -> float:
    """How long the message plays: 12 characters a second at rate 0, ±5% per rate step, ``repeat`` times."""
    speed = TTS_CHARS_PER_SECOND * (1 + rate / 20)
    return max(1.0, math.ceil(len(text) / speed)) * max(1, repeat)


def send_tts(call: YemotCall) -> dict[str, Any]:
    """SendTTS: one ``tts`` call per number; time billed per call when it ends."""
    system = call.require_system()
    caller = caller_ids.resolve(system, call.params.get("callerId"), call.now)
    hook = _hook_url(call, "callbackUrl")
    expansion = phone_lists.expand(
        system, call.params.get("phones"), call.params.get("tzintukLists"), blocked_handset=call.handset_blocked
    )
    if not expansion.targets:
        raise NoValidPhones(errors=expansion.errors)
    estimate = billing.units(billing.TTS_FIRST_MINUTE_PRICE * len(expansion.targets))
    billing.ensure_funds(system, estimate)
    rate = int(call.params.get("ttsRate") or 0)
    repeat = int(call.params.get("repeatFile") or DEFAULT_REPEAT)
    play_s = tts_seconds(str(call.params["ttsMessage"]), rate, repeat)
    campaign = billing.new_campaign_id(call.emulator.ids, system, "YA", call.now)
    with_hooks = hook if len(expansion.targets) <= callbacks.TTS_CALLBACK_LIMIT else None
    for target in expansion.targets:
        call.place(
            kind=callbacks.TTS_KIND,
            caller_id=caller if target.caller_id is None else caller_ids.resolve(system, target.caller_id, call.now),
            to=target.phone,
            campaign=campaign,
            callback_url=with_hooks,
            max_talk_s=play_s,
            extra={"text": call.params["ttsMessage"], TIME_BILLED: True},
        )
    return {
        "CampaignId": campaign,
        "OKCalls": len(expansion.targets),
        "ErrorCalls": expansion.errors,
        "billing": estimate,
        "units": billing.balance(system),
        "TTS_RATE": rate,
        "TTS_VOICE": str(call.params.get("ttsVoice") or DEFAULT_VOICE),
    }


def _fax_file(call: YemotCall) -> tuple[str, bytes]:
    """The name and bytes of the document to send: an upload (``pdfFile=UPLOAD``) or a file of the tree."""
    source = str(call.params["pdfFile"]).strip()
    if source == "UPLOAD":
        upload = call.params.get("fileToUpload")
        if not isinstance(upload, Upload):
            raise FileUploadExpected()
        return upload.filename or "fileToUpload", upload.data
    if not source.startswith(("/", "ivr2:", "ivr/")):
        raise PathInvalid()
    return source, ivrtree.read_bytes(call.require_system(), ivrtree.canonical(source, "pdfFile"))


def send_fax(call: YemotCall) -> dict[str, Any]:
    """SendFax: one ``fax`` call; 0.1 now, started minutes when it ends."""
    system = call.require_system()
    caller = caller_ids.resolve(system, call.params.get("callerId"), call.now)
    phone = phone_rules.normalize(call.params["phone"])
    if not phone_rules.is_valid(phone, "yemot"):
        raise NoValidPhones(errors={phone: phone_lists.NOT_VALID})
    name, document = _fax_file(call)
    hook = _hook_url(call, "deliveryUrl")
    billing.fax_launch_check(system)
    campaign = billing.new_campaign_id(call.emulator.ids, system, "WSOC", call.now)
    call.place(
        kind=callbacks.FAX_KIND,
        caller_id=caller,
        to=phone,
        campaign=campaign,
        callback_url=hook,
        # (the document itself is not kept: its size and digest show on the call what was sent)
        extra={"file": name, "size": len(document), "sha256": hashlib.sha256(document).hexdigest(), TIME_BILLED: True},
    )
    billing.charge_campaign(system, billing.FAX_LAUNCH_PRICE, campaign, call.now, "fax")
    answer = {
        "callerId": caller,
        "CampaignId": campaign,
        "fileNameSend": name,
        "callsCount": 1,
        "bilingPerCall": billing.FAX_LAUNCH_PRICE,
        "biling": billing.FAX_LAUNCH_PRICE,
    }
    if hook is not None:
        answer["deliveryUrl"] = hook
    return answer


def _sip_destination(call: YemotCall, system: YemotSystem) -> str:
    """DialSip: the SIP account (or extension) of this system to dial first; its username is the handset."""
    if not system.sip_supported:
        raise SipNotSupported()
    if call.params.get("DialSipExtension"):
        extension = call.params.get("SipExtension")
        account = next((a for a in system.sip_accounts if extension is not None and a.ext_number == extension), None)
        if account is None:
            raise SipAccountNotFound()
    else:
        account = sip.account(system, call.params.get("AccountNumber"))
    telephony = call.emulator.telephony
    if telephony.rule(account.username) is None:
        telephony.set_rule(account.username, "answered")  # a registered softphone: answers like a handset
    return account.username


def create_bridge_call(call: YemotCall) -> dict[str, Any]:
    """CreateBridgeCall: a two-leg bridge (first leg a SIP account with ``DialSip``)."""
    system = call.require_system()
    caller = caller_ids.resolve(system, call.params.get("callerId"), call.now)
    first = phone_rules.normalize(call.params["Phones"])
    second = phone_rules.normalize(call.params["BridgePhones"])
    errors = {number: phone_lists.NOT_VALID for number in (first, second) if not phone_rules.is_valid(number, "yemot")}
    if call.params.get("DialSip") or call.params.get("DialSipExtension"):
        first = _sip_destination(call, system)
        errors.pop(phone_rules.normalize(call.params["Phones"]), None)
    if errors:
        raise NoValidPhones(errors=errors)
    billing.ensure_funds(system, billing.BRIDGE_LAUNCH_PRICE)
    campaign = billing.new_campaign_id(call.emulator.ids, system, "WSOC", call.now)
    record, mail = bool(call.params.get("RecordCall")), bool(call.params.get("SendMailInCall"))
    mail_to = str(call.params.get("SendMailInCallTo") or system.email)
    call.place(
        kind=BRIDGE_KIND,
        caller_id=caller,
        to=first,
        bridge_to=second,
        campaign=campaign,
        extra={"RecordCall": record, "SendMailInCall": mail, TIME_BILLED: True},
    )
    launch = billing.BRIDGE_LAUNCH_PRICE
    billing.charge_campaign(system, launch, campaign, call.now, "bridge")
    return {
        "CampaignId": campaign,
        "callerId": caller,
        "CallerId": caller,
        "callsCount": 1,
        "OKCalls": 1,
        "ErrorCalls": {},
        "bilingPerCall": launch,
        "biling": f"{launch:.1f}",
        "Billing": launch,
        "CustomerUnit": billing.balance(system),
        "Phones": [first],
        "SendMailInCall": mail,
        "RecordCall": record,
        "SendMailInCallTo": mail_to,
    }


# -- time billing when a call ends ---------------------------------------------------------------------


def call_price(call: Call) -> float:
    """What an ended top-level call costs on top of its launch charge."""
    if call.kind == callbacks.TTS_KIND:
        return billing.price_tts(call.billable_s)
    if call.kind == callbacks.FAX_KIND:
        return billing.price_fax(call.billable_s) - billing.FAX_LAUNCH_PRICE if call.billable_s > 0 else 0.0
    if call.kind in (BRIDGE_KIND, live.EXTENSION_BRIDGING_KIND):
        return billing.price_minutes(call.billable_s)
    return 0.0


def on_call_phase(emulator: Emulator, call: Call, phase: str) -> None:
    """Listener: charge the connected time of an ended TTS, fax or bridge call to its campaign."""
    if phase != "ended" or call.leg != 1 or not call.extra.get(TIME_BILLED) or call.campaign is None:
        return
    system = emulator.world.yemot.systems.get(call.tenant)
    amount = call_price(call)
    if system is None or amount <= 0:
        return
    billing.charge_campaign(
        system, amount, call.campaign, emulator.clock.now(), CATEGORY[call.kind], allow_overdraw=True
    )


def install(emulator: Emulator) -> None:
    """Register the call-time billing listener (after the hook listeners, before campaign ends)."""
    emulator.telephony.on_phase("yemot", lambda call, phase: on_call_phase(emulator, call, phase))
