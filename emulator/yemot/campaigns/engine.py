"""Campaign runs on the simulated network: concurrency, ring timeouts, redials, AMD, bridges, price.

A run keeps a FIFO of entry indexes ready to dial (``ready`` + ``ready_head``, so taking the next
one is O(1)) and dials from it while fewer than ``maxActiveChannels`` of its calls are live (for
BRIDGE also while fewer than ``maxBridgedChannels`` are bridged, 0 = no limit). Each call goes
through the shared telephony engine (kind ``campaign``, the campaign id as its campaign), so
magic numbers and per-phone rules decide every outcome. The engine listens to phase changes:

- ringing -> entry ``ringing``; answered -> ``up`` (``amd`` when ``vmDetect`` and a voicemail box
  answers: the call is dropped after ``AMD_SECONDS``); second bridge leg answered -> ``bridged``;
- ended, answered -> ``done`` (``amd`` stays), priced by ``billing.price_campaign_call``;
- ended, not answered -> ``redial`` (the attempt goes to ``redials[]``, dialled again after
  ``redialWait``) while attempts remain and ``redialPolicy`` allows, else the outcome
  (``no_answer``, ``busy``, ``failed``, ``error``).

Every end pumps the queue, so a run costs O(1) work per call, never a scan of its entries.
When nothing is live, queued or waiting, the run is ``FINISHED`` (``STOPPED`` after a stop) and
its estimate is settled on the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.core.sim.scheduler import ScheduledEvent
from emulator.core.sim.telephony_state import Call
from emulator.yemot import billing
from emulator.yemot.campaigns.state import Attempt, CampaignEntry, CampaignRun
from emulator.yemot.state import YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT_KIND = "yemot.campaign"
CALL_KIND = "campaign"
AMD_SECONDS = 3.0
TTS_CHARS_PER_SECOND = 12.0
RUNNING, PAUSED, STOPPING, STOPPED, FINISHED = "RUNNING", "PAUSED", "STOPPING ", "STOPPED", "FINISHED"
LIVE = frozenset({RUNNING, STOPPING})
FAILED_STATUS = {"no_answer": "no_answer", "busy": "busy", "failed": "failed", "blocked": "error", "invalid": "error"}
REDIAL_ON = {"NONE": frozenset(), "CONGESTIONS": frozenset({"busy", "failed"})}
REDIAL_ALL = frozenset({"no_answer", "busy", "failed"})
WAITING = frozenset({"pending", "redial"})


def install(emulator: Emulator) -> None:
    """Register the run event kind and the call listener on a new runtime."""
    emulator.scheduler.register(EVENT_KIND, lambda event: _on_event(emulator, event))
    emulator.telephony.on_phase("yemot", lambda call, phase: _on_phase(emulator, call, phase))


def start(emulator: Emulator, system: YemotSystem, run: CampaignRun) -> None:
    """Queue every pending entry and let the scheduler begin dialling (never inside the request)."""
    run.ready = [index for index, entry in enumerate(run.entries) if entry.status == "pending"]
    run.ready_head = 0
    _schedule(emulator, system, run, 0.0, {"step": "pump"})


def enqueue(emulator: Emulator, system: YemotSystem, run: CampaignRun, index: int) -> None:
    """Queue one more entry (CampaignAction ``add``) behind the others."""
    run.ready.append(index)
    wake(emulator, system, run)


def wake(emulator: Emulator, system: YemotSystem, run: CampaignRun) -> None:
    """Let the scheduler dial again (after resume or a new channel limit), never inside the request."""
    _schedule(emulator, system, run, 0.0, {"step": "pump"})


def _schedule(emulator: Emulator, system: YemotSystem, run: CampaignRun, seconds: float, payload: dict) -> None:
    payload = {"system": system.number, "campaign": run.campaign_id, **payload}
    emulator.scheduler.at(emulator.clock.now() + max(0.0, seconds), EVENT_KIND, payload)


def _lookup(emulator: Emulator, tenant: str, campaign: str | None) -> tuple[YemotSystem, CampaignRun] | None:
    system = emulator.world.yemot.systems.get(tenant)
    run = None if system is None or campaign is None else system.campaign_book.campaigns.get(campaign)
    return None if system is None or run is None else (system, run)


def _on_event(emulator: Emulator, event: ScheduledEvent) -> None:
    found = _lookup(emulator, event.payload.get("system", ""), event.payload.get("campaign"))
    if found is None:
        return
    system, run = found
    if event.payload.get("step") == "redial":
        index = int(event.payload.get("entry", -1))
        if not 0 <= index < len(run.entries) or run.entries[index].status != "redial":
            return  # blocked, hung up or stopped meanwhile
        run.counters.waiting_redial -= 1
        run.entries[index].status = "pending"  # queued again: dialled when a channel is free
        run.ready.append(index)
    pump(emulator, system, run)


# -- dialling ------------------------------------------------------------------------------------------


def _has_channel(run: CampaignRun) -> bool:
    if run.counters.active >= max(1, run.max_active_channels):
        return False
    bridging = run.yemot_context == "BRIDGE" and run.max_bridged_channels > 0
    return not bridging or run.counters.bridged_now < run.max_bridged_channels


def pump(emulator: Emulator, system: YemotSystem, run: CampaignRun) -> None:
    """Dial queued entries while channels are free, then finish the run if nothing is left."""
    if run.status == RUNNING and not run.paused:
        while run.ready_head < len(run.ready) and _has_channel(run):
            index = run.ready[run.ready_head]
            run.ready_head += 1
            if run.entries[index].status == "pending":  # a stale or repeated index is skipped
                _dial(emulator, system, run, index)
        if run.ready_head > 1024 and run.ready_head * 2 > len(run.ready):
            del run.ready[: run.ready_head]
            run.ready_head = 0
    finish_if_done(emulator, system, run)


def _dial(emulator: Emulator, system: YemotSystem, run: CampaignRun, index: int) -> None:
    entry = run.entries[index]
    telephony = emulator.telephony
    machine = telephony.plan_for(entry.phone, "yemot").machine
    amd = run.vm_detect and machine
    bridge = run.bridge_to if run.yemot_context == "BRIDGE" and run.bridge_to and not amd else None
    call = telephony.place(
        api="yemot",
        tenant=system.number,
        kind=CALL_KIND,
        caller_id=run.caller_id,
        to=entry.phone,
        campaign=run.campaign_id,
        ring_timeout_s=run.originate_timeout,
        max_talk_s=AMD_SECONDS if amd else (None if bridge else play_seconds(run, entry)),
        bridge_to=bridge,
        extra={"entry": index, "amd": amd},
    )
    entry.attempts += 1
    entry.call_id = call.id
    entry.start = call.created
    run.counters.active += 1
    run.counters.dialed += 1


def play_seconds(run: CampaignRun, entry: CampaignEntry) -> float:
    """How long the call plays: the message, then with ``ttsMode`` the entry's own text (``text`` of
    ad-hoc phones, else its ``moreinfo``) read at 12 characters a second."""
    personal = entry.text if entry.text is not None else entry.moreinfo
    if not run.tts_mode or not personal:
        return run.message_s
    return run.message_s + max(1.0, round(len(personal) / TTS_CHARS_PER_SECOND, 3))


# -- phases ----------------------------------------------------------------------------------------------


def _on_phase(emulator: Emulator, call: Call, phase: str) -> None:
    if call.kind != CALL_KIND:
        return
    found = _lookup(emulator, call.tenant, call.campaign)
    if found is None:
        return
    system, run = found
    index = call.extra.get("entry")
    if not isinstance(index, int) or not 0 <= index < len(run.entries):
        return
    entry = run.entries[index]
    if call.leg == 2:
        if phase == "answered" and entry.call_id == call.parent_id:
            entry.status, entry.bridged = "bridged", True
            run.counters.bridged += 1
            run.counters.bridged_now += 1
        return
    if entry.call_id != call.id:
        return
    if phase == "ringing":
        entry.status = "ringing"
    elif phase == "answered":
        entry.status = "amd" if call.extra.get("amd") else "up"
        run.counters.successful += 1
    elif phase == "ended":
        _ended(emulator, system, run, entry, index, call)
        pump(emulator, system, run)


def _ended(
    emulator: Emulator, system: YemotSystem, run: CampaignRun, entry: CampaignEntry, index: int, call: Call
) -> None:
    counters = run.counters
    counters.active -= 1
    if entry.bridged:
        counters.bridged_now -= 1
    if call.outcome == "answered":
        second = emulator.telephony.call(call.second_leg_id or "")
        entry.duration = int(round(call.talk_s * 1000))
        entry.bridged_duration = None if second is None else int(round(second.talk_s * 1000))
        price = billing.price_campaign_call(call.billable_s)
        entry.price = billing.units(entry.price + price)
        run.current_price = billing.units(run.current_price + price)
        if entry.status != "canceled":
            entry.status = "amd" if call.extra.get("amd") else "done"
        return
    counters.failed += 1
    outcome = call.outcome or "failed"
    if entry.status == "canceled":
        return
    allowed = REDIAL_ON.get(run.redial_policy, REDIAL_ALL)
    if run.status == RUNNING and outcome in allowed and entry.attempts < run.max_dial_attempts:
        entry.redials.append(Attempt(FAILED_STATUS.get(outcome, "error"), entry.start))
        entry.status, entry.call_id, entry.start = "redial", None, None
        entry.duration, entry.bridged_duration, entry.bridged = None, None, False
        counters.waiting_redial += 1
        _schedule(emulator, system, run, run.redial_wait, {"step": "redial", "entry": index})
        return
    entry.status = FAILED_STATUS.get(outcome, "error")


# -- ending ----------------------------------------------------------------------------------------------


def finish_if_done(emulator: Emulator, system: YemotSystem, run: CampaignRun) -> None:
    """FINISHED (or STOPPED) once no call is live, queued or waiting for a redial; settle the price."""
    if run.status not in LIVE or run.counters.active or run.counters.waiting_redial:
        return
    if run.status == RUNNING and run.ready_head < len(run.ready):
        return
    run.status = STOPPED if run.status == STOPPING else FINISHED
    run.ended_at = emulator.clock.now()
    settle(system, run, run.ended_at)


def settle(system: YemotSystem, run: CampaignRun, now: float) -> None:
    """Give back the unused estimate debited at start, or charge what the calls cost beyond it."""
    if run.settled:
        return
    run.settled = True
    difference = billing.units(run.estimated_price - run.current_price)
    start_row = next((row for row in system.transactions if row.campaign_id == run.campaign_id), None)
    if difference > 0 and start_row is not None:
        billing.refund(system, start_row, now, amount=difference)
    elif difference < 0:
        billing.charge(
            system,
            -difference,
            start_description(run.campaign_id),
            now,
            campaign_id=run.campaign_id,
            category="campaign",
            allow_overdraw=True,
        )


def start_description(campaign_id: str) -> str:
    """The ledger description of a campaign's rows: ``Start-<campaignId>``."""
    return f"Start-{campaign_id}"


def stop(emulator: Emulator, system: YemotSystem, run: CampaignRun) -> None:
    """Cancel everything not yet dialled; live calls finish, then the run is STOPPED."""
    if run.status not in LIVE:
        return
    for index in run.ready[run.ready_head :]:
        if run.entries[index].status in WAITING:
            run.entries[index].status = "canceled"
    for entry in run.entries:
        if entry.status == "redial":
            entry.status = "canceled"
    run.ready_head = len(run.ready)
    run.counters.waiting_redial = 0
    run.status = STOPPING
    run.paused = False
    finish_if_done(emulator, system, run)


def hangup(emulator: Emulator, run: CampaignRun, entry: CampaignEntry) -> bool:
    """End the live call of ``entry`` (it is not dialled again); False if it had none."""
    call = emulator.telephony.call(entry.call_id or "")
    if call is None or call.phase == "ended":
        return False
    entry.status = "canceled"
    emulator.telephony.hangup(call.id)
    return True
