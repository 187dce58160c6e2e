"""Campaign runs: RunCampaign (and the scheduled runs), GetCampaignStatus, GetActiveCampaigns,
DownloadCampaignReport.

``launch`` is the one way a campaign starts: it checks the documented conditions in order
(100 template, 104 Shabbat/Yom Tov, 120 caller ID, 102 phones, 101 nothing to dial or no
message, 103 units), debits the estimate in a ``Start-<campaignId>`` ledger row, sends the
``withSMS`` messages and hands the run to ``campaign_engine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot import billing, kodesh, template_files
from emulator.yemot.campaigns import engine as campaign_engine
from emulator.yemot.campaigns import phones as campaign_phones
from emulator.yemot.campaigns.errors import (
    CampaignCallerIdNotApproved,
    CampaignNotEnoughUnits,
    CampaignNotSetUp,
    CampaignNoValidPhones,
    IsKodesh,
)
from emulator.yemot.campaigns.state import CampaignEntry, CampaignRun, Template
from emulator.yemot.campaigns.views import campaign_json, report_csv
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import CallerIdNotApproved, CallerIdNotValid, CampaignNotFound
from emulator.yemot.services import caller_ids, sms, templates
from emulator.yemot.state import YemotSystem
from emulator.yemot.timefmt import local

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator
    from emulator.core.sim.ids import IdSource

KOSHER_PREFIXES = ("0527", "0533", "0548", "0556", "0583")
CATEGORY = "campaign"


def is_kosher(phone: str) -> bool:
    """A "kosher" mobile (no SMS): the emulator's prefixes 0527, 0533, 0548, 0556, 0583."""
    return phone.startswith(KOSHER_PREFIXES)


def new_campaign_id(ids: IdSource, system: YemotSystem, template_id: int, now: float) -> str:
    """``<system>-<templateId>-<yyyy-MM-dd-HH-mm-ss-SSS>-API`` (Israel time), unique in the system."""
    existing = system.campaign_book.campaigns
    stamp = local(now)
    millis = stamp.microsecond // 1000
    while True:
        seq = billing.campaign_sequence(ids, system)
        ident = f"{system.number}-{template_id}-{stamp:%Y-%m-%d-%H-%M-%S}-{(millis + seq) % 1000:03d}-API"
        if ident not in existing:
            return ident


def _caller(system: YemotSystem, requested: Any, template: Template, now: float) -> str:
    try:
        return caller_ids.resolve(system, requested if requested not in (None, "") else template.caller_id, now)
    except (CallerIdNotApproved, CallerIdNotValid) as exc:
        raise CampaignCallerIdNotApproved(phone_rules.normalize(requested or template.caller_id)) from exc


def _entries(emulator: Emulator, template: Template, phones: Any) -> list[CampaignEntry]:
    blocked_handset = emulator.telephony.plan_for
    if phones in (None, ""):
        made = [
            CampaignEntry(phone=e.phone, name=e.name, moreinfo=e.moreinfo, status="blocked" if e.blocked else "pending")
            for e in template.entries
        ]
    else:
        parsed = campaign_phones.parse(phones)
        if not parsed.specs:
            raise CampaignNoValidPhones(errors=parsed.errors)
        made = [
            CampaignEntry(
                phone=s.phone,
                name=s.name,
                moreinfo=s.moreinfo,
                text=s.text,
                status="blocked" if s.blocked else "pending",
            )
            for s in parsed.specs
        ]
    for entry in made:
        if entry.status == "pending" and blocked_handset(entry.phone, "yemot").outcome == "blocked":
            entry.status = "blocked"
    return made


def launch(
    emulator: Emulator,
    system: YemotSystem,
    template: Template,
    *,
    who: str,
    caller_id: Any = None,
    phones: Any = None,
    tts_mode: bool = False,
    with_sms: bool = False,
) -> tuple[CampaignRun, dict[str, Any]]:
    """Start a campaign of ``template``; the run and RunCampaign's answer (without the envelope)."""
    now = emulator.clock.now()
    if kodesh.is_kodesh(now):
        raise IsKodesh()
    caller = _caller(system, caller_id, template, now)
    entries = _entries(emulator, template, phones)
    voice = template_files.message(system, template.template_id)
    pending = [entry for entry in entries if entry.status == "pending"]
    if not pending or not voice.exists:
        raise CampaignNotSetUp()
    sms_text = template_files.sms_text(system, template.template_id) if with_sms else None
    texted = [
        e
        for e in pending
        if sms_text and phone_rules.classify(e.phone, "yemot").kind == "il_mobile" and not is_kosher(e.phone)
    ]
    sms_price = billing.price_sms(sms_text or "", len(texted)) if texted else 0.0
    per_message = billing.units_per_message(voice.seconds)
    estimate = billing.units(per_message * (len(pending) - len(texted)))
    if not billing.has_funds(system, estimate + sms_price):
        raise CampaignNotEnoughUnits()
    campaign_id = new_campaign_id(emulator.ids, system, template.template_id, now)
    run = CampaignRun(
        campaign_id=campaign_id,
        template_id=template.template_id,
        who=who,
        caller_id=caller,
        created=now,
        max_active_channels=template.max_active_channels,
        max_bridged_channels=template.max_bridged_channels,
        originate_timeout=float(template.originate_timeout),
        max_dial_attempts=max(1, template.max_dial_attempts),
        redial_wait=float(template.redial_wait),
        redial_policy=template.redial_policy,
        vm_detect=template.vm_detect,
        filter_enabled=template.filter_enabled,
        play_private_msg=template.play_private_msg,
        yemot_context=template.yemot_context,
        bridge_to=template.bridge_to,
        message_s=max(1.0, voice.seconds),
        units_per_message=per_message,
        tts_mode=tts_mode,
        estimated_price=estimate,
        entries=entries,
    )
    for entry in texted:
        entry.status = "done"
    system.campaign_book.campaigns[campaign_id] = run
    billing.charge(
        system,
        estimate + sms_price,
        campaign_engine.start_description(campaign_id),
        now,
        campaign_id=campaign_id,
        category=CATEGORY,
    )
    if texted:
        sms.deliver(emulator, system, caller, [e.phone for e in texted], sms_text or "", campaign_id, flash=False)
    campaign_engine.start(emulator, system, run)
    answer = {
        "templateId": template.template_id,
        "campaignId": campaign_id,
        "entriesCount": len(entries),
        "pending": len(pending),
        "blocked": sum(1 for entry in entries if entry.status == "blocked"),
        "estimatedPrice": estimate,
        "customerUnits": billing.balance(system),
        "smsCount": len(texted),
        "smsPrice": sms_price,
    }
    return run, answer


def run_campaign(call: YemotCall) -> dict[str, Any]:
    """RunCampaign: the template's entries (or ad-hoc ``phones``) dialled on the simulated network."""
    system = call.require_system()
    params = call.params
    ident = params.get("templateId")
    template = templates.default_template(system) if ident in (None, "") else templates.find(system, ident)
    with_sms = params.get("withSMS", params.get("withSms"))
    _, answer = launch(
        call.emulator,
        system,
        template,
        who=call.client_ip or "0.0.0.0",
        caller_id=params.get("callerId"),
        phones=params.get("phones"),
        tts_mode=bool(params.get("ttsMode")),
        with_sms=with_sms in (True, 1, "1", "true"),
    )
    return answer


# -- reading -----------------------------------------------------------------------------------------------


def find_run(call: YemotCall) -> CampaignRun:
    """The campaign ``campaignId`` of the caller's system; CampaignNotFound if there is none."""
    run = call.require_system().campaign_book.campaigns.get(str(call.params["campaignId"]).strip())
    if run is None:
        raise CampaignNotFound()
    return run


def get_campaign_status(call: YemotCall) -> dict[str, Any]:
    run = find_run(call)
    return {"campaign": campaign_json(run, call.now, entries=call.params.get("entries"), span=call.params.get("range"))}


def get_active_campaigns(call: YemotCall) -> dict[str, Any]:
    """GetActiveCampaigns: runs not yet FINISHED or STOPPED (paused and stopping ones included)."""
    runs = call.require_system().campaign_book.campaigns.values()
    live = [run for run in runs if run.status in campaign_engine.LIVE]
    return {"campaigns": [campaign_json(run, call.now) for run in live]}


def download_campaign_report(call: YemotCall) -> bytes:
    """DownloadCampaignReport: the CSV of every entry and attempt (finished campaigns too)."""
    return report_csv(find_run(call)).encode("utf-8")
