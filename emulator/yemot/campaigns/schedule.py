"""ScheduleCampaign, GetScheduledCampaigns, DeleteScheduledCampaign: template runs at an emulator time.

A scheduled row waits as ``PENDING``; the scheduler fires it at its time (event kind
``yemot.campaign.scheduled``) through ``campaigns.launch`` with the template's entries and caller
ID, and the row becomes ``SUCCESSFUL`` (``campaignId`` set) or ``FAILED`` (``errorMsg`` the refusal).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from emulator.core.sim.scheduler import ScheduledEvent
from emulator.yemot import billing, template_files
from emulator.yemot.campaigns import service as campaigns
from emulator.yemot.campaigns.errors import (
    ScheduledCampaignAlreadyRan,
    ScheduledCampaignNotFound,
    ScheduleTimeInvalid,
    ScheduleTimePassed,
)
from emulator.yemot.campaigns.state import ScheduledCampaign
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import YemotError
from emulator.yemot.services import templates
from emulator.yemot.timefmt import ISRAEL, datetime_text, local

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT_KIND = "yemot.campaign.scheduled"
PENDING, SUCCESSFUL, FAILED = "PENDING", "SUCCESSFUL", "FAILED"
FORMATS = ("%Y-%m-%d-%H:%M:%S", "%Y-%m-%d-%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
TIME_ONLY = "%H:%M:%S"


def install(emulator: Emulator) -> None:
    """Register the scheduled-run event kind on a new runtime."""
    emulator.scheduler.register(EVENT_KIND, lambda event: fire(emulator, event))


def parse_time(text: Any, now: float) -> float:
    """The instant of a ``time`` value (Israel time); ``HH:mm:ss`` means today. ScheduleTimeInvalid otherwise."""
    raw = str(text or "").strip()
    for pattern in FORMATS:
        try:
            return datetime.strptime(raw, pattern).replace(tzinfo=ISRAEL).timestamp()
        except ValueError:
            continue
    try:
        clock = datetime.strptime(raw, TIME_ONLY).time()
    except ValueError as exc:
        raise ScheduleTimeInvalid() from exc
    today: date = local(now).date()
    return datetime.combine(today, clock, tzinfo=ISRAEL).timestamp()


def schedule_campaign(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    template = templates.find(system, call.params["templateId"])
    start = parse_time(call.params["time"], call.now)
    if start <= call.now:
        raise ScheduleTimePassed()
    book = templates.book(system)
    row = ScheduledCampaign(
        sched_id=book.next_sched_id,
        template_id=template.template_id,
        template_description=template.description,
        start=start,
        created=call.now,
        ip=call.client_ip or "0.0.0.0",
    )
    book.next_sched_id += 1
    book.scheduled.append(row)
    call.emulator.scheduler.at(start, EVENT_KIND, {"system": system.number, "sched": row.sched_id})
    pending = sum(1 for entry in template.entries if not entry.blocked)
    voice = template_files.message(system, template.template_id)
    return {
        "customerUnits": billing.balance(system),
        "templateId": template.template_id,
        "schedTime": datetime_text(start),
        "schedId": row.sched_id,
        "entriesCount": len(template.entries),
        "pending": pending,
        "blocked": len(template.entries) - pending,
        "estimatedPrice": billing.units(billing.units_per_message(voice.seconds) * pending),
    }


def fire(emulator: Emulator, event: ScheduledEvent) -> None:
    """Scheduler handler: start the row's campaign now, or record why it could not start."""
    system = emulator.world.yemot.systems.get(event.payload.get("system", ""))
    if system is None:
        return
    row = next((r for r in system.campaign_book.scheduled if r.sched_id == event.payload.get("sched")), None)
    if row is None or row.state != PENDING:
        return  # deleted meanwhile
    try:
        template = templates.find(system, row.template_id)
        run, _ = campaigns.launch(emulator, system, template, who=row.ip)
    except YemotError as exc:
        row.state, row.error_msg = FAILED, exc.message
        return
    row.state, row.campaign_id = SUCCESSFUL, run.campaign_id


def _row_json(row: ScheduledCampaign) -> dict[str, Any]:
    return {
        "schedId": row.sched_id,
        "templateDescription": row.template_description,
        "error": row.state == FAILED,
        "startTime": datetime_text(row.start),
        "ip": row.ip,
        "createTime": datetime_text(row.created),
        "campaignId": row.campaign_id,
        "templateId": row.template_id,
        "errorMsg": row.error_msg,
        "pending": row.state == PENDING,
    }


def get_scheduled_campaigns(call: YemotCall) -> dict[str, Any]:
    """Rows of ``type`` (every row without one), by start time (``order`` asc/desc), ``from`` / ``limit`` paged."""
    params = call.params
    kind = params.get("type")
    rows = [row for row in templates.book(call.require_system()).scheduled if kind in (None, "") or row.state == kind]
    rows.sort(key=lambda row: (row.start, row.sched_id), reverse=str(params.get("order") or "asc") == "desc")
    skip = params.get("from") or 0
    limit = params.get("limit")
    page = rows[skip:] if limit in (None, "") else rows[skip : skip + limit]
    return {"totalCount": len(rows), "scheduledCampaigns": [_row_json(row) for row in page]}


def delete_scheduled_campaign(call: YemotCall) -> dict[str, Any]:
    """Cancel a PENDING row; 105 when there is no such row, 106 when it already ran."""
    book = templates.book(call.require_system())
    row = next((r for r in book.scheduled if str(r.sched_id) == str(call.params["schedId"]).strip()), None)
    if row is None:
        raise ScheduledCampaignNotFound()
    if row.state != PENDING:
        raise ScheduledCampaignAlreadyRan()
    book.scheduled.remove(row)
    return {}
