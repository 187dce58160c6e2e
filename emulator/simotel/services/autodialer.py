"""Autodialer campaigns that really dial: start/end window, tries, reports and ``AutoDialerReport``.

When a campaign is saved (``on_saved``, called by the campaign resource after add/update), its
start is scheduled (kind ``simotel.autodialer.start``) at ``start`` (or now if that has passed)
and its end (``simotel.autodialer.end``) at ``end``. At the start every number of the campaign
(``numbers`` plus the numbers of its ``groups``, first occurrence kept) is dialled through the
telephony engine, one every ``dial_interval`` seconds of its trunk manager (all at once without
one). Each finished try writes a CDR (and fires ``Cdr``), updates the number's record in
``autodialer_reports`` (one record per number, ``tries`` growing) and fires ``AutoDialerReport``;
an unanswered number is tried again after ``try_interval`` seconds while tries remain (``try``)
and the window is open. The campaign's ``status`` goes ``waiting`` -> ``in-process`` -> ``completed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim.numbers import to_int
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.core.sim.telephony_state import Call
from emulator.simotel import events, query, records
from emulator.simotel.dates import event_stamp, from_input, gregorian, hhmmss, jalali, mongo_date
from emulator.simotel.records import CallFacts, oid
from emulator.simotel.services.calls import DISPOSITION, cdr_event, uniqueid

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

API = "simotel"
KIND = "autodialer"
START, TRY, END = "simotel.autodialer.start", "simotel.autodialer.try", "simotel.autodialer.end"
CAMPAIGNS = ("autodialer_campaigns", "campaigns")
GROUPS = ("autodialer_groups", "groups")
TRUNK_MANAGERS = ("autodialer_trunks",)
CAUSES = {
    "ANSWERED": ("16", "Normal Clearing"),
    "NO ANSWER": ("19", "No answer"),
    "BUSY": ("17", "User busy"),
    "FAILED": ("38", "Network out of order"),
}


def install(emulator: Emulator) -> None:
    """Register the campaign event kinds and the call listener."""
    emulator.scheduler.register(START, lambda event: _start(emulator, event))
    emulator.scheduler.register(TRY, lambda event: _try(emulator, event))
    emulator.scheduler.register(END, lambda event: _end(emulator, event))
    emulator.telephony.on_phase(API, lambda call, phase: _on_phase(emulator, call, phase))


def _collection(emulator: Emulator, names: tuple[str, ...]) -> list[dict[str, Any]]:
    collections = emulator.world.simotel.collections
    for name in names:
        if name in collections:
            return collections[name]
    return []


def _campaign(emulator: Emulator, campaign_id: str) -> dict[str, Any] | None:
    return query.first(_collection(emulator, CAMPAIGNS), "_id", campaign_id)


def _instant(value: Any, default: float) -> float:
    try:
        return from_input(value) if value else default
    except ValueError:
        return default


def on_saved(source: Any, campaign: dict[str, Any]) -> None:
    """(Re)schedule a campaign's window after it was added or updated; ``source`` is a call or the emulator."""
    emulator: Emulator = getattr(source, "emulator", source)
    campaign_id = str(campaign.get("_id", ""))
    on_removed(emulator, campaign_id)
    now = emulator.clock.now()
    start = _instant(campaign.get("start"), now)
    end = _instant(campaign.get("end"), start + 7 * 86_400)
    if end <= now:
        return
    campaign.setdefault("status", "waiting")
    emulator.scheduler.at(max(now, start), START, {"campaign": campaign_id})
    emulator.scheduler.at(end, END, {"campaign": campaign_id})


def on_removed(source: Any, campaign_id: str) -> None:
    """Forget a campaign's pending start, retries and end (calls already ringing finish)."""
    emulator: Emulator = getattr(source, "emulator", source)
    emulator.scheduler.cancel(
        lambda event: event.kind in (START, TRY, END) and event.payload.get("campaign") == campaign_id
    )


def numbers_of(emulator: Emulator, campaign: dict[str, Any]) -> list[str]:
    """The campaign's own numbers, then its groups' numbers, each once."""
    wanted = [str(n) for n in campaign.get("numbers") or []]
    group_ids = [str(g.get("$oid", "")) if isinstance(g, dict) else str(g) for g in campaign.get("groups") or []]
    for group in _collection(emulator, GROUPS):
        if group.get("_id") in group_ids:
            wanted.extend(str(n) for n in group.get("numbers") or [])
    return list(dict.fromkeys(number.strip() for number in wanted if number.strip()))


def _start(emulator: Emulator, event: ScheduledEvent) -> None:
    campaign = _campaign(emulator, event.payload["campaign"])
    if campaign is None:
        return
    campaign["status"] = "in-process"
    numbers = numbers_of(emulator, campaign)
    interval = _dial_interval(emulator, campaign)
    for index, number in enumerate(numbers):
        if index and interval:
            payload = {"campaign": campaign["_id"], "number": number, "try": 1}
            emulator.scheduler.after(index * interval, TRY, payload)
        else:
            _dial(emulator, campaign, number, 1)
    if not numbers:
        campaign["status"] = "completed"


def _dial_interval(emulator: Emulator, campaign: dict[str, Any]) -> int:
    """Seconds between two first dials: the campaign's trunk manager's ``dial_interval`` (0 if unknown)."""
    wanted = campaign.get("trunk_manager_id")
    wanted = wanted.get("$oid") if isinstance(wanted, dict) else wanted
    manager = query.first(_collection(emulator, TRUNK_MANAGERS), "_id", wanted)
    return max(0, _int(manager.get("dial_interval"), 0)) if manager else 0


def _try(emulator: Emulator, event: ScheduledEvent) -> None:
    campaign = _campaign(emulator, event.payload["campaign"])
    if campaign is not None:
        _dial(emulator, campaign, event.payload["number"], int(event.payload["try"]))


def _end(emulator: Emulator, event: ScheduledEvent) -> None:
    campaign_id = event.payload["campaign"]
    emulator.scheduler.cancel(lambda e: e.kind == TRY and e.payload.get("campaign") == campaign_id)
    campaign = _campaign(emulator, campaign_id)
    if campaign is not None:
        campaign["status"] = "completed"


def _dial(emulator: Emulator, campaign: dict[str, Any], number: str, attempt: int) -> None:
    emulator.telephony.place(
        api=API,
        tenant="autodialer",
        kind=KIND,
        caller_id=str(campaign.get("caller_id") or "autodialer"),
        to=number,
        campaign=str(campaign["_id"]),
        extra={"campaign": str(campaign["_id"]), "number": number, "try": attempt},
    )


def _on_phase(emulator: Emulator, call: Call, phase: str) -> None:
    if call.kind != KIND or phase != "ended":
        return
    campaign = _campaign(emulator, call.extra["campaign"])
    if campaign is None:
        return
    state = emulator.world.simotel
    disposition = DISPOSITION.get(call.outcome or "failed", "FAILED")
    facts = CallFacts(
        kind="outgoing",
        src=call.caller_id,
        dst=call.to,
        start=call.created,
        wait=call.ring_s,
        billsec=call.talk_s,
        disposition=disposition,
        uniqueid=uniqueid(call),
        point=str(campaign.get("interface_context") or "auto"),
        dcontext="autodialer",
    )
    cdr = records.append(state, "cdr", records.cdr(facts))
    events.emit(emulator, "Cdr", cdr_event(facts, cdr))
    attempt = int(call.extra["try"])
    total = _int(campaign.get("try"), 1)
    retry = disposition != "ANSWERED" and attempt < total
    if retry:
        due = emulator.clock.now() + _int(campaign.get("try_interval"), 600)
        end = _instant(campaign.get("end"), due + 1)
        retry = due < end
        if retry:
            emulator.scheduler.at(due, TRY, {"campaign": campaign["_id"], "number": call.to, "try": attempt + 1})
    report = _report(emulator, campaign, call, facts, cdr, attempt, "in-process" if retry else "completed")
    events.emit(emulator, "AutoDialerReport", _report_event(report, call, facts))
    if not retry and _finished(emulator, campaign):
        campaign["status"] = "completed"


_EVENT_FIELDS = (
    "start",
    "end",
    "campaign_id",
    "campaign",
    "interface_context",
    "interface_text",
    "number",
    "disposition",
    "try",
    "repeat",
    "billsec",
    "wait",
    "tries",
)


def _report_event(report: dict[str, Any], call: Call, facts: CallFacts) -> dict[str, Any]:
    """The ``AutoDialerReport`` payload: Gregorian times and plain-string ids, as in the sample
    (the report record itself keeps Jalali dates and ``{"$oid"}`` ids, as ``autodialer/reports`` shows)."""
    payload = {key: report[key] for key in _EVENT_FIELDS}
    payload["start"] = event_stamp(_first_start(report, call))
    payload["end"] = gregorian(facts.end)
    payload["campaign_id"] = report["campaign_id"]["$oid"]
    payload["tries"] = [
        {**attempt, "cdr_id": attempt["cdr_id"]["$oid"],
         "starttime": gregorian(int(attempt["starttime"]["$date"]["$numberLong"]) / 1000)}
        for attempt in report["tries"]
    ]  # fmt: skip
    return payload


def _first_start(report: dict[str, Any], call: Call) -> float:
    first = report["tries"][0]["starttime"]["$date"]["$numberLong"] if report.get("tries") else None
    return int(first) / 1000 if first is not None else call.created


def _int(value: Any, default: int) -> int:
    number = to_int(value)
    return default if number is None else number


def _report(
    emulator: Emulator,
    campaign: dict[str, Any],
    call: Call,
    facts: CallFacts,
    cdr: dict[str, Any],
    attempt: int,
    status: str,
) -> dict[str, Any]:
    """Create or update the number's report record with this try."""
    state = emulator.world.simotel
    reports = state.collections.setdefault("autodialer_reports", [])
    campaign_id = str(campaign["_id"])
    report = next((r for r in reports if r["campaign_id"] == oid(campaign_id) and r["number"] == call.to), None)
    if report is None:
        report = records.append(
            state, "autodialer_reports", {"start": jalali(call.created), "date": jalali(call.created)}
        )
    cause, text = CAUSES[facts.disposition]
    tries = [
        *report.get("tries", []),
        {
            "cdr_id": oid(cdr["_id"]),
            "cause": cause,
            "cause-txt": text,
            "starttime": mongo_date(call.created),
            "disposition": facts.disposition,
            "wait": round(facts.wait),
        },
    ]
    for disposition in CAUSES:
        report.pop(disposition, None)
    manager = campaign.get("trunk_manager_id", "")
    report.update(
        {
            "end": jalali(facts.end),
            "campaign_id": oid(campaign_id),
            "campaign": campaign.get("name", ""),
            "interface_context": campaign.get("interface_context", ""),
            "interface_text": campaign.get("interface_text", ""),
            "trunk_manager_id": manager if isinstance(manager, dict) else oid(str(manager)),
            "announcement": campaign.get("announcement", ""),
            "number": call.to,
            "disposition": facts.disposition,
            "try": attempt,
            "repeat": attempt - 1,
            "status": status,
            "billsec": round(facts.billsec),
            "wait": round(facts.wait),
            "input": "",
            "tries": tries,
            facts.disposition: 1,
            "billsec_hhmmss": hhmmss(facts.billsec),
            "wait_hhmmss": hhmmss(facts.wait),
        }
    )
    return report


def _finished(emulator: Emulator, campaign: dict[str, Any]) -> bool:
    campaign_id = str(campaign["_id"])
    pending = any(e.kind == TRY and e.payload.get("campaign") == campaign_id for e in emulator.scheduler.events())
    ringing = any(c.phase != "ended" for c in emulator.telephony.calls(kind=KIND, campaign=campaign_id))
    return not pending and not ringing
