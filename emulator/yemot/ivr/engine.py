"""The IVR engine: simulated callers walk a Yemot system's extension tree on the emulator clock.

A walk starts when a live call is placed with a key script (``start``). Each step is a scheduler
event (kind ``yemot.ivr``) that runs one module step and schedules the next at the instant the
caller would reach it, so advancing the clock moves the call and real-time mode runs it live.
When the call ends — the caller's script runs out, the IVR hangs up, or someone ends the call
from outside — the walk records the hang-up and, if the caller visited an API extension, sends
that extension's final ``hangup=yes`` request (unless ``api_hangup_send=no``).

Walks live in ``YemotState.ivr_walks`` by call id and stay after the call ends, so transcripts can
be read later; the oldest finished walks are dropped past ``MAX_WALKS``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from emulator.core.sim import flights
from emulator.core.sim.call_input import AwaitInput
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.core.sim.telephony import MAX_SECONDS
from emulator.core.sim.telephony_state import Call
from emulator.yemot import ivrtree, live_calls
from emulator.yemot.ivr import api_module, idle, live_input, modules
from emulator.yemot.ivr.api_module import Steps
from emulator.yemot.ivr.requests import ApiSettings
from emulator.yemot.ivr.step import Step
from emulator.yemot.ivr.walk import STEP_EVENT, IvrWalk
from emulator.yemot.state import LiveCall, YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT = STEP_EVENT
MAX_WALKS = 1000
MAX_STEPS_AT_ONCE = 500  # steps one walk may chain without the clock moving (a loop in the tree)


def _ops() -> dict[str, Any]:
    ops: dict[str, Any] = {**modules.OPS, **api_module.OPS, **idle.ops(modules.navigate), "end": _end}
    return ops


def _module_table() -> None:
    modules.MODULES["api"] = api_module.api


def start(
    emulator: Emulator,
    system: YemotSystem,
    live: LiveCall,
    *,
    keys: list[str],
    stay_after_script: bool,
    passive: bool = False,
) -> IvrWalk:
    """Begin walking the IVR for a live call, from the extension it was answered in.

    ``stay_after_script``: the caller stays silent on the line once the script is used up;
    ``passive``: a caller without a script, whom unanswered prompts never make the IVR hang up on.
    """
    call = emulator.telephony.call(live.call_id)
    walk = _begin(
        emulator,
        system,
        call_id=live.call_id,
        api_call_id=live.api_call_id,
        real_did=live.did,
        phone=live.caller,
        started=call.answered_at if call is not None and call.answered_at is not None else live.started,
        folder=live.path,
        keys=keys,
        stay_after_script=stay_after_script,
        passive=passive,
    )
    emulator.scheduler.run_due()
    return walk


def _begin(emulator: Emulator, system: YemotSystem, **fields: Any) -> IvrWalk:
    walk = IvrWalk(
        system=system.number,
        yf_call_id=emulator.ids.uuid4(),
        did=system.number,
        **{**fields, "keys": [str(key) for key in fields["keys"]]},
    )
    walks = emulator.world.yemot.ivr_walks
    _trim(walks)
    walks[walk.call_id] = walk
    step = Step(emulator, system, walk, fields["started"])
    step.record("goto", **{"from": None, "to": "/" + walk.folder, "reason": "answered"})
    step.then("enter")
    _schedule(emulator, walk, step)
    return walk


def _answered_outbound(emulator: Emulator, call: Call) -> None:
    """An outbound call that drops its callee into an extension (``extra["ivrPath"]``) walks the IVR
    when the callee's handset has a key script (phone rule ``keys``)."""
    rule = emulator.telephony.rule(call.to)
    path = call.extra.get("ivrPath")
    system = emulator.world.yemot.systems.get(call.tenant)
    if rule is None or rule.keys is None or not isinstance(path, str) or system is None:
        return
    if walk_of(emulator, call.id) is not None:
        return
    if rule.talk_s is None:
        call.plan_talk_s = MAX_SECONDS  # the callee stays on until the script runs out
    live = system.live_calls.get(str(call.extra.get("api_call_id", "")))
    api_call_id = live.api_call_id if live is not None else live_calls.new_api_call_id(emulator)
    _begin(
        emulator,
        system,
        call_id=call.id,
        api_call_id=api_call_id,
        real_did=call.caller_id,
        phone=call.to,
        started=call.answered_at if call.answered_at is not None else emulator.clock.now(),
        folder=path.strip("/"),
        keys=rule.keys,
        stay_after_script=rule.talk_s is not None,
    )


def _trim(walks: dict[str, IvrWalk]) -> None:
    if len(walks) < MAX_WALKS:
        return
    for call_id in [call_id for call_id, walk in walks.items() if walk.ended][: len(walks) - MAX_WALKS + 1]:
        del walks[call_id]


def walk_of(emulator: Emulator, call_id: str) -> IvrWalk | None:
    """The walk of an engine call id (``call-N``), if that call walked the IVR."""
    return emulator.world.yemot.ivr_walks.get(call_id)


def _schedule(emulator: Emulator, walk: IvrWalk, step: Step) -> None:
    if step.next is None or walk.ended:
        walk.op = {}
        return
    name, args = step.next
    walk.op = {"name": name, "args": args}
    walk.seq += 1
    emulator.scheduler.at(step.now, EVENT, {"call": walk.call_id, "seq": walk.seq})


def _on_event(emulator: Emulator, event: ScheduledEvent) -> Awaitable[None] | None:
    walk = walk_of(emulator, str(event.payload.get("call", "")))
    if walk is None or walk.ended or event.payload.get("seq") != walk.seq or not walk.op:
        return None  # the call ended or was moved meanwhile
    system = emulator.world.yemot.systems.get(walk.system)
    if system is None:
        return None
    op = _ops().get(walk.op["name"])
    if op is None:
        return None
    step = Step(emulator, system, walk, event.due)
    spin, spin_at = (walk.spin + 1, walk.spin_at) if walk.spin_at == event.due else (0, event.due)
    over = emulator.budget.exceeded(steps=walk.steps + 1, elapsed=event.due - walk.started, waited=walk.waited_s)
    if spin >= MAX_STEPS_AT_ONCE and op is not _end:
        over = ("loop", f"{MAX_STEPS_AT_ONCE} steps without time passing")
    if over is not None and op is not _end:
        step.record("error", code=over[0], message=over[1], text=None)
        op, walk.op = _end, {"name": "end", "args": {"by": "system"}}
    world, seq = emulator.world, walk.seq

    def then() -> None:  # (counted when the step is done: a step waiting for its service changed nothing)
        walk.spin, walk.spin_at, walk.steps = spin, spin_at, walk.steps + 1
        _schedule(emulator, walk, step)

    def still() -> bool:
        return emulator.world is world and walk.seq == seq and (op is _end or not walk.ended)

    try:
        steps = op(step, dict(walk.op.get("args", {})))
    except AwaitInput as wait:  # a live caller's step needs input: it waits, parked (``live_input``)
        live_input.park(emulator, walk, event.due, wait)
        return None
    return flights.drive(steps, then=then, still=still, **_flight(emulator, walk))


def _flight(emulator: Emulator, walk: IvrWalk) -> dict[str, Any]:
    """How a walk's exchanges fly: through its system's gate, adding to its real waiting time."""

    def waited(seconds: float) -> None:
        walk.waited_s += seconds

    return {"gate": emulator.gates(f"yemot:{walk.system}"), "waited": waited}


def move(emulator: Emulator, system: YemotSystem, live: LiveCall, path: str) -> None:
    """Send a live caller to ``path`` from outside the IVR (CallAction ``set:GOasap``, a queue
    ``kick``): it is placed there and its walk, if it walks the IVR, goes on from the new extension."""
    live_calls.move(emulator, system, live, path)
    moved(emulator, system, live)


def moved(emulator: Emulator, system: YemotSystem, live: LiveCall) -> None:
    """The call was moved from outside (CallAction, CallManager): continue in its new extension."""
    walk = walk_of(emulator, live.call_id)
    if walk is None or walk.ended or walk.folder == live.path:
        return
    step = Step(emulator, system, walk, emulator.clock.now())
    step.enter(live.path, "moved")
    _schedule(emulator, walk, step)


def _end(step: Step, args: dict[str, Any]) -> Steps:
    yield from _finishing(step, str(args.get("by", "system")))
    step.emulator.telephony.hangup(step.walk.call_id)


def finish(step: Step, by: str) -> None:
    """Record the hang-up once and send the last API extension's ``hangup=yes`` request (which
    flies on while the caller is gone: its reply is recorded, not acted on)."""
    emulator, world = step.emulator, step.emulator.world
    rest = flights.drive(
        _finishing(step, by), then=lambda: None, still=lambda: emulator.world is world, **_flight(emulator, step.walk)
    )
    if rest is not None:
        emulator.scheduler.launch(rest)


def _finishing(step: Step, by: str) -> Steps:
    walk = step.walk
    if walk.ended:
        return
    walk.ended = True
    walk.op = {}
    step.record("hangup", by=by, where="/" + walk.folder)
    visit = walk.api
    if visit is None:
        return
    settings = ApiSettings.from_ini(ivrtree.ext_ini(step.system, visit.folder))
    if settings.link and settings.hangup_send:
        text = yield from api_module.exchange(step, visit.folder, visit.values, hangup_at=walk.folder)
        if text is not None:
            step.record("reply", status=200, text=text, directives=[], note="the reply to hangup=yes is not acted on")


def on_phase(emulator: Emulator, call: Call, phase: str) -> None:
    """Telephony listener: an answered outbound call with a scripted callee starts walking; a call
    that ends while walking (hung up from outside) finishes its walk."""
    if phase == "answered" and call.leg == 1:
        _answered_outbound(emulator, call)
    if phase != "ended":
        return
    walk = walk_of(emulator, call.id)
    if walk is None or walk.ended:
        return
    system = emulator.world.yemot.systems.get(walk.system)
    if system is None:
        return
    at = call.ended_at if call.ended_at is not None else emulator.clock.now()
    planned = call.answered_at is not None and abs(at - call.answered_at - call.plan_talk_s) < 1e-6
    walk.transcript.cut_after(at)  # a step may have recorded past this moment: that never happened
    finish(Step(emulator, system, walk, at), "caller" if planned else "system")


def install(emulator: Emulator) -> None:
    _module_table()
    emulator.scheduler.register(EVENT, lambda event: _on_event(emulator, event))
    live_input.install(emulator, walk_of)
    emulator.telephony.on_phase("yemot", lambda call, phase: on_phase(emulator, call, phase))
