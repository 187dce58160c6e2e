"""Calls walking dialplans on the emulator clock: placing them, each step, the legs they dial, the end.

Every step is a scheduled event (kind ``simotel.dialplan``, payload ``call``/``node``/``phase``),
so advancing the clock walks the call exactly as that much real time would, and a snapshot holds
the walk. A node that dials (extension, Extension/Trunk API, queue) places a telephony leg of kind
``dialplan``; when the leg ends the node runs again in phase ``ended`` and leaves by S/B/F. When the
call ends it leaves one CDR (``Cdr`` event; queue records and ``CdrQueue`` when it went to a queue).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from emulator.core.sim import flights
from emulator.core.sim.telephony_state import Call
from emulator.simotel import events, records
from emulator.simotel.dialplan import live_input, model
from emulator.simotel.dialplan.components import RUN
from emulator.simotel.dialplan.walk import Step
from emulator.simotel.records import CallFacts
from emulator.simotel.services import calls
from emulator.simotel.state import DialplanWalk

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

STEP = "simotel.dialplan"
LEG = "dialplan"
MAX_STEPS = 500
QUEUE_WAIT_S = 30.0  # a caller in a queue with no free agent waits this long, then the call ends


class NoDialplan(LookupError):
    """No dialplan answers the dialled number."""


def install(emulator: Emulator) -> None:
    """Register the step kind and the listener that resumes a walk when a dialled leg ends."""
    emulator.scheduler.register(STEP, lambda event: run_step(emulator, event.payload, event.due))
    # (its web-service exchanges fly through one gate: the PBX is one tenant of the emulator)
    emulator.telephony.on_phase(calls.API, lambda call, phase: _on_leg(emulator, call, phase))
    live_input.install(emulator, run_step)


def place(
    emulator: Emulator,
    *,
    src: str,
    dst: str,
    keys: list[str],
    originated_call_id: str = "",
    dialplan: str = "",
    live: bool = False,
) -> DialplanWalk:
    """Start a call from ``src`` to ``dst`` through the dialplan serving ``dst`` (or ``dialplan``);
    ``live``: a caller without a script, whose input comes while the call runs (``live_input``)."""
    state = emulator.world.simotel
    name = dialplan or model.serving(state.dialplans, dst)
    if not name or name not in state.dialplans:
        raise NoDialplan(dst)
    now = emulator.clock.now()
    sequence = emulator.telephony.new_call_number()  # one sequence with telephony calls: unique ids never clash
    call = DialplanWalk(
        id=f"dialplan-{state.next_dialplan_call}",
        dialplan=name,
        src=src,
        dst=dst,
        unique_id=f"{int(now)}.{sequence}",
        started=now,
        keys=list(keys),
        originated_call_id=originated_call_id,
        live=live,
    )
    state.next_dialplan_call += 1
    state.dialplan_calls[call.id] = call
    call.transcript.add(now, "note", message="call", src=src, dst=dst, dialplan=name)
    payload = {"number": src, "unique_id": call.unique_id, "entry_point": name}
    if originated_call_id:
        payload["originated_call_id"] = originated_call_id
    events.emit(emulator, "IncomingCall", payload)
    _schedule(emulator, now, call, state.dialplans[name]["start"], "enter")
    return call


def _schedule(emulator: Emulator, at: float, call: DialplanWalk, node: str, phase: str, **extra: Any) -> None:
    emulator.scheduler.at(at, STEP, {"call": call.id, "node": node, "phase": phase, **extra})


def run_step(emulator: Emulator, payload: dict[str, Any], due: float) -> Awaitable[None] | None:
    """Run one step of a call (a scheduled event); the rest of it when it waits for a web service."""
    call = emulator.world.simotel.dialplan_calls.get(payload.get("call", ""))
    if call is None or call.state == "ended":
        return None
    step = Step(emulator, call, due)
    phase = payload.get("phase", "enter")
    if phase == "end":
        finish(emulator, call, due, payload.get("who", "system"))
        return None
    plan = step.plan
    node = plan["nodes"].get(payload.get("node", "")) if plan else None
    if node is None:
        step.error("dialplan", f"node {payload.get('node')!r} is not in dialplan {call.dialplan!r} any more")
        finish(emulator, call, due, "system")
        return None
    call.node = payload["node"]
    call.steps += 1
    call.spin, call.spin_at = (call.spin + 1, call.spin_at) if call.spin_at == due else (0, due)
    over = emulator.budget.exceeded(steps=call.steps, elapsed=due - call.started, waited=call.waited_s)
    if call.spin >= MAX_STEPS:  # a dialplan (or web service) that loops without time passing
        over = ("loop", f"more than {MAX_STEPS} steps without time passing: the call is hung up")
    if over is not None:
        step.error(*over)
        finish(emulator, call, due, "system")
        return None
    if phase == "dial":
        _dial(emulator, call, payload.get("dial", {}))
        return None
    step.leg_outcome = payload.get("outcome", "")
    world = emulator.world

    def waited(seconds: float) -> None:
        call.waited_s += seconds

    run = RUN[node["type"]]
    return flights.drive(
        live_input.parkable(step, run, node, {**payload, "due": due}) if call.live else run(step, node, phase),
        then=lambda: live_input.is_parked(step) or _follow(emulator, step, node),
        still=lambda: emulator.world is world and call.state != "ended",
        gate=emulator.gates("simotel"),
        waited=waited,
    )


def _follow(emulator: Emulator, step: Step, node: dict[str, Any]) -> None:
    call, move = step.walk, step.next
    if move.kind == "exit":
        target = node["exits"].get(move.name)
        step.record("goto", node=call.node, reason=move.name, to=target, **{"from": call.node})
        if target is not None:
            _schedule(emulator, step.now, call, target, "enter")
            return
        move.who = "system"
    elif move.kind == "later":
        extra = {"dial": move.payload} if move.phase == "dial" else {}
        _schedule(emulator, step.now, call, call.node, move.phase, **extra)
        return
    _schedule(emulator, step.now, call, call.node, "end", who=move.who)


def _dial(emulator: Emulator, call: DialplanWalk, dial: dict[str, Any]) -> None:
    """Place the leg a node asked for: an extension, an external number over a trunk, or a queue."""
    state = emulator.world.simotel
    number, queue = str(dial.get("number", "")), str(dial.get("queue", ""))
    extra: dict[str, Any] = {"dialplan_call": call.id, "node": call.node, "entry_point": call.dialplan}
    if queue:
        record = calls.find_queue(state, queue)
        number = calls.agent_of(record) if record is not None else ""
        call.queue = queue
        extra["queue"] = queue
        now = emulator.clock.now()
        if not number:
            note = "unknown queue" if record is None else "no free agent"
            call.transcript.add(now, "queue", node=call.node, queue=queue, agent=None, result=note)
            if record is not None:
                events.emit(emulator, "ReservedCallInFront", reserved_payload(emulator, record, call.src))
            _schedule(
                emulator, now + (QUEUE_WAIT_S if record is not None else 0.0), call, call.node, "end", who="system"
            )
            call.state = "connected"
            return
    if dial.get("trunk"):
        extra["trunk_name"] = dial["trunk"]
    if call.originated_call_id:
        extra["originated_call_id"] = call.originated_call_id
    limit = dial.get("limit") or call.limit_s
    leg = emulator.telephony.place(
        api=calls.API,
        tenant="pbx",
        kind=LEG,
        caller_id=call.src,
        to=number,
        ring_timeout_s=float(dial["timeout"]) if dial.get("timeout") else None,
        max_talk_s=float(limit) if limit else None,
        extra=extra,
    )
    call.limit_s = None  # SetLimitOnCall applies to the next call only
    call.leg, call.state = leg.id, "connected"
    call.legs.append(leg.id)
    if queue:
        call.transcript.add(leg.created, "queue", node=call.node, queue=queue, agent=number, leg=leg.id)
    else:
        trunk = {"trunk": dial["trunk"]} if dial.get("trunk") else {}
        call.transcript.add(leg.created, "note", node=call.node, message="dial", number=number, leg=leg.id, **trunk)


def reserved_payload(emulator: Emulator, queue: dict[str, Any], caller: str) -> dict[str, Any]:
    """``ReservedCallInFront``: a caller took a reserved place at the front of a queue with no free agent."""
    return {"event": "ReservedCallInFront", "queue_name": str(queue.get("name", "")), "caller_id": caller,
            "date": events.stamp(emulator)}  # fmt: skip


def _on_leg(emulator: Emulator, leg: Call, phase: str) -> None:
    """A dialled leg answered or ended: note it; on its end the node runs again in phase ``ended``."""
    if leg.kind == calls.KIND_ORIGINATE and phase == "answered" and leg.extra.get("dialplan_context"):
        context = str(leg.extra["dialplan_context"])
        if context in emulator.world.simotel.dialplans:
            originated = str(leg.extra.get("originated_call_id", ""))
            dst = str(leg.extra.get("callee", ""))
            place(emulator, src=leg.to, dst=dst, keys=[], originated_call_id=originated, dialplan=context)
        return
    if leg.kind != LEG:
        return
    call = emulator.world.simotel.dialplan_calls.get(str(leg.extra.get("dialplan_call", "")))
    if call is None or call.state == "ended":
        return
    now = emulator.clock.now() if leg.ended_at is None else leg.ended_at
    if phase == "answered":
        call.answered_leg = True
        call.transcript.add(leg.answered_at or now, "note", node=call.node, message="answered", number=leg.to)
    if phase != "ended":
        return
    call.transcript.add(now, "note", node=call.node, message="leg ended", number=leg.to, outcome=leg.outcome)
    if leg.extra.get("transfer_to"):
        _schedule(emulator, now, call, call.node, "dial", dial={"number": leg.extra["transfer_to"]})
        return
    call.state = "walking"
    _schedule(emulator, now, call, str(leg.extra.get("node", call.node)), "ended", outcome=leg.outcome or "failed")


class NotTransferable(ValueError):
    """The call is not talking to anyone who could transfer it."""


def transfer(emulator: Emulator, call: DialplanWalk, to: str) -> None:
    """The party on the call's answered leg transfers the caller to ``to`` (``Transfer`` event)."""
    leg = emulator.telephony.call(call.leg) if call.leg else None
    if call.state != "connected" or leg is None or leg.phase != "answered":
        raise NotTransferable(f"call {call.id} is not connected to an answered extension")
    now = emulator.clock.now()
    call.transcript.add(now, "note", node=call.node, message="transfer", by=leg.to, to=to)
    leg.extra["transfer_to"] = to
    events.emit(emulator, "Transfer", {"unique_id": call.unique_id, "transferer": leg.to,
                                       "transferred_from": call.src, "transferred_to": to})  # fmt: skip
    emulator.telephony.hangup(leg.id)


def hang_up(emulator: Emulator, call: DialplanWalk) -> None:
    """The caller hangs up now, wherever the call is (a dialled leg ends with it)."""
    if call.state == "ended":
        return
    leg = emulator.telephony.call(call.leg) if call.leg else None
    call.state = "ended"  # so the leg's end does not resume the walk
    if leg is not None and leg.phase != "ended":
        emulator.telephony.hangup(leg.id)
    finish(emulator, call, emulator.clock.now(), "caller")


def finish(emulator: Emulator, call: DialplanWalk, at: float, who: str) -> None:
    """End the call at ``at``: transcript, one CDR and its events (queue records when it was queued)."""
    state = emulator.world.simotel
    call.state, call.ended = "ended", at
    call.transcript.add(at, "hangup", node=call.node, by=who, where=call.node)
    leg = emulator.telephony.call(call.leg) if call.leg else None
    facts = CallFacts(
        kind="incoming",
        src=call.src,
        dst=call.dst,
        start=call.started,
        wait=0.0,
        billsec=max(0.0, at - call.started),
        disposition="ANSWERED",
        uniqueid=call.unique_id,
        point=call.dialplan,
        recorded=bool(leg is not None and leg.outcome == "answered"),
        originated_call_id=call.originated_call_id or None,
        details=_details(emulator, call),
    )
    stored = records.append(state, "cdr", records.cdr(facts))
    if call.queue and calls.find_queue(state, call.queue) is not None:
        calls.queue_records(emulator, _queue_facts(call, leg, at), leg.to if leg is not None else "")
    events.emit(emulator, "Cdr", calls.cdr_event(facts, stored))


def _details(emulator: Emulator, call: DialplanWalk) -> tuple[dict[str, Any], ...]:
    """``details`` of a call that dialled more than one leg (e.g. after a transfer)."""
    legs = [leg for leg in map(emulator.telephony.call, call.legs) if leg is not None]
    if len(legs) < 2:
        return ()
    return tuple(
        records.detail(at=leg.created, billsec=leg.talk_s, status=calls.DISPOSITION.get(leg.outcome or "", "FAILED"),
                       exten=leg.to, comment=None)
        for leg in legs
    )  # fmt: skip


def _queue_facts(call: DialplanWalk, leg: Call | None, at: float) -> CallFacts:
    answered = leg is not None and leg.outcome == "answered"
    start = leg.created if leg is not None else at - QUEUE_WAIT_S
    return CallFacts(
        kind="incoming",
        src=call.src,
        dst=call.queue,
        start=start,
        wait=leg.ring_s if leg is not None else QUEUE_WAIT_S,
        billsec=leg.talk_s if leg is not None else 0.0,
        disposition="ANSWERED" if answered else "NO ANSWER",
        uniqueid=call.unique_id,
        recorded=answered,
        originated_call_id=call.originated_call_id or None,
    )
