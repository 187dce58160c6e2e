"""A live caller in a Simotel dialplan: a call placed without a key script waits for input.

A node asks for keys part-way through (an IVR plays its announcement first; a SmartAPI node asks
its web service and runs commands up to ``GetData``). When a live call has no input queued,
``Step.keys`` raises ``AwaitInput``; ``parkable`` then undoes what the step did to the call (its
data, exten and limit, the input it took) and parks it: the node runs again from the start when
input comes, or when its timeout passes on the emulator clock (then the caller was silent). What
the node recorded stays in the transcript while it waits and is recorded again, the same, when it
runs again; its web service is not asked twice (the answer is kept and replayed), so the transcript
reads as if the node had waited. Nothing waits on the event loop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import MAX_PENDING, AwaitInput, InputRefused
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.simotel.dialplan import webservice
from emulator.simotel.dialplan.walk import Step, Steps
from emulator.simotel.state import DialplanWalk

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT = "simotel.dialplan.input"
# The engine's step runner (``engine.run_step``), handed in so this module does not import the engine.
RunStep = Callable[[Any, dict[str, Any], float], Any]


def parkable(step: Step, run: Callable[..., Steps | None], node: dict[str, Any], payload: dict[str, Any]) -> Steps:
    """Run a node of a live call; when it needs input that has not come, undo it and park the call."""
    walk = step.walk
    resumed, walk.parked = walk.parked, {}
    if resumed.get("replay") is not None:
        step.replay = webservice.Answer(**resumed["replay"])
    if resumed.get("mark") is not None:  # what the node recorded before it waited: it records it again
        del walk.transcript.entries[int(resumed["mark"]) :]
    mark, kept = len(walk.transcript.entries), (walk.data, walk.exten, walk.limit_s)
    try:
        steps = run(step, node, str(payload.get("phase", "enter")))
        if steps is not None:
            yield from steps
    except AwaitInput as wait:  # (its transcript entries stay: the caller heard them while it waits)
        walk.data, walk.exten, walk.limit_s = kept
        walk.keys[:0] = [keyed for keyed, _ in step.taken]
        walk.key_times[:0] = [came if came is not None else step.now for _, came in step.taken]
        answer = step.answer if step.answer is not None else step.replay
        walk.parked = {
            "since": payload["due"],
            "waiting_at": step.now,
            "wait_s": wait.wait_s,
            "node": str(payload.get("node", walk.node)),
            "phase": str(payload.get("phase", "enter")),
            "outcome": payload.get("outcome", ""),
            "mark": mark,
            "replay": None if answer is None else dataclasses.asdict(answer),
        }
        _at(step.emulator, step.now + (wait.wait_s or 0.0), walk, silence=True)


def is_parked(step: Step) -> bool:
    return bool(step.walk.parked.get("node"))


def give(emulator: Emulator, walk: DialplanWalk, element: str) -> None:
    """Queue one input element and, if the call is parked, run its node again now."""
    if walk.state == "ended":
        raise InputRefused("the call has ended")
    if not walk.live:
        raise InputRefused("the call was placed with a key script; input goes to calls placed without one")
    if len(walk.keys) >= MAX_PENDING:
        raise InputRefused(f"{MAX_PENDING} inputs are queued already")
    now = emulator.clock.now()
    walk.keys.append(element)
    walk.key_times.append(now)
    if walk.parked.get("node"):
        _at(emulator, now, walk, silence=False)


def _at(emulator: Emulator, due: float, walk: DialplanWalk, *, silence: bool) -> None:
    """Schedule the parked node's next run; only the latest one scheduled runs it (``event.seq``)."""
    event = emulator.scheduler.at(due, EVENT, {"call": walk.id, "silence": silence})
    walk.parked["event"] = event.seq


def _on_event(emulator: Emulator, event: ScheduledEvent, run_step: RunStep) -> Any:
    """Input came or the timeout passed: the parked node runs again from the instant it parked."""
    walk = emulator.world.simotel.dialplan_calls.get(str(event.payload.get("call", "")))
    if walk is None or walk.state == "ended" or not walk.parked.get("node"):
        return None
    parked = walk.parked
    if parked.get("event") != event.seq:
        return None
    if event.payload.get("silence"):
        walk.keys.append("")
        walk.key_times.append(float(parked["waiting_at"]))
    walk.parked = {"replay": parked.get("replay"), "mark": parked["mark"]}
    payload = {"call": walk.id, "node": parked["node"], "phase": parked["phase"], "outcome": parked["outcome"]}
    return run_step(emulator, payload, float(parked["since"]))


def waiting(walk: DialplanWalk) -> dict[str, Any] | None:
    """What the control plane shows of a parked call: since when, and how long silence takes."""
    if not walk.parked.get("node"):
        return None
    return {"since": walk.parked["waiting_at"], "wait_s": walk.parked["wait_s"]}


def install(emulator: Emulator, run_step: RunStep) -> None:
    """Register the event that runs a parked node again, through the engine's ``run_step``."""
    emulator.scheduler.register(EVENT, lambda event: _on_event(emulator, event, run_step))
