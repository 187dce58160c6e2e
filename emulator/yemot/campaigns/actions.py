"""CampaignAction: live control of a running campaign (add, block, hangup, stop, pause, channel limits)."""

from __future__ import annotations

from typing import Any

from emulator.yemot import billing
from emulator.yemot.campaigns import engine as campaign_engine
from emulator.yemot.campaigns import phones as campaign_phones
from emulator.yemot.campaigns.errors import CampaignNotActive
from emulator.yemot.campaigns.service import CATEGORY, find_run
from emulator.yemot.campaigns.state import CampaignEntry, CampaignRun
from emulator.yemot.campaigns.views import campaign_json
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import BadAction, InvalidParameter
from emulator.yemot.state import YemotSystem

PHONE_ACTIONS = ("add", "block", "hangup")
WAITING = frozenset({"pending", "redial"})


def _by_phone(run: CampaignRun) -> dict[str, int]:
    return {entry.phone: index for index, entry in enumerate(run.entries)}


def _add(call: YemotCall, system: YemotSystem, run: CampaignRun, value: Any) -> list[dict[str, str]]:
    parsed = campaign_phones.parse(value)
    known = _by_phone(run)
    data = [{"phone": phone, "action": "failed"} for phone in parsed.errors]
    for spec in parsed.specs:
        index = known.get(spec.phone)
        if index is not None:
            entry = run.entries[index]
            if entry.status == "blocked" and not spec.blocked:
                entry.status = "pending"
                campaign_engine.enqueue(call.emulator, system, run, index)
                data.append({"phone": spec.phone, "action": "unblock"})
            else:
                data.append({"phone": spec.phone, "action": "failed"})
            continue
        entry = CampaignEntry(phone=spec.phone, name=spec.name, moreinfo=spec.moreinfo, text=spec.text)
        if spec.blocked:
            entry.status = "blocked"
            run.entries.append(entry)
            data.append({"phone": spec.phone, "action": "addblocked"})
            continue
        if not billing.has_funds(system, run.units_per_message):
            data.append({"phone": spec.phone, "action": "failed"})
            continue
        billing.charge(
            system,
            run.units_per_message,
            campaign_engine.start_description(run.campaign_id),
            call.now,
            campaign_id=run.campaign_id,
            category=CATEGORY,
        )
        run.estimated_price = billing.units(run.estimated_price + run.units_per_message)
        run.entries.append(entry)
        campaign_engine.enqueue(call.emulator, system, run, len(run.entries) - 1)
        data.append({"phone": spec.phone, "action": "add"})
    return data


def _block(run: CampaignRun, value: Any) -> list[dict[str, str]]:
    parsed = campaign_phones.parse(value)
    known = _by_phone(run)
    data = [{"phone": phone, "action": "failed"} for phone in parsed.errors]
    for spec in parsed.specs:
        index = known.get(spec.phone)
        entry = None if index is None else run.entries[index]
        if entry is None or entry.status not in WAITING:
            data.append({"phone": spec.phone, "action": "failed"})
            continue
        if entry.status == "redial":
            run.counters.waiting_redial -= 1
        entry.status = "blocked"
        data.append({"phone": spec.phone, "action": "block"})
    return data


def _hangup(call: YemotCall, run: CampaignRun, value: Any) -> list[dict[str, str]]:
    parsed = campaign_phones.parse(value)
    known = _by_phone(run)
    data = [{"phone": phone, "action": "failed"} for phone in parsed.errors]
    for spec in parsed.specs:
        index = known.get(spec.phone)
        ended = index is not None and campaign_engine.hangup(call.emulator, run, run.entries[index])
        data.append({"phone": spec.phone, "action": "hangup" if ended else "failed"})
    return data


def _count(value: Any, name: str = "value") -> int:
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        raise InvalidParameter(name, "expected a whole number of channels")
    return int(text)


def campaign_action(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    run = find_run(call)
    action = str(call.params["action"])
    value = call.params.get("value")
    if action not in (*PHONE_ACTIONS, "stop", "setPaused", "setMaxActiveChannels", "setMaxBridgedChannels"):
        raise BadAction()
    if run.status not in campaign_engine.LIVE:
        raise CampaignNotActive()
    data: list[dict[str, str]] | None = None
    if action == "add":
        data = _add(call, system, run, value)
    elif action == "block":
        data = _block(run, value)
        campaign_engine.finish_if_done(call.emulator, system, run)
    elif action == "hangup":
        data = _hangup(call, run, value)
    elif action == "stop":
        campaign_engine.stop(call.emulator, system, run)
    elif action == "setPaused":
        run.paused = value in (True, 1, "1", "true")
    elif action == "setMaxActiveChannels":
        run.max_active_channels = _count(value)
    else:
        run.max_bridged_channels = _count(value)
    if action in ("setPaused", "setMaxActiveChannels", "setMaxBridgedChannels") and not run.paused:
        campaign_engine.wake(call.emulator, system, run)
    return {
        "action": action,
        "value": campaign_phones.echo(value) if action in PHONE_ACTIONS else value,
        "campaign": campaign_json(run, call.now),
        "data": data,
    }
