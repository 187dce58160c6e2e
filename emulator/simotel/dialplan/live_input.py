"""A live caller in a Simotel dialplan: a call placed without a key script waits for input.

A node asks for keys part-way through (an IVR plays its announcement first; a SmartAPI node asks
its web service and runs commands up to ``GetData``). When a live call has no input queued,
``Walk.keys`` raises ``AwaitInput``; ``parkable`` then undoes what the step did to the call (its
data, exten and limit, the input it took) and parks it: the node runs again from the start when
input comes, or when its timeout passes on the emulator clock (then the caller was silent). What
the node recorded stays in the transcript while it waits and is recorded again, the same, when it
runs again; its web service is not asked twice (the answer is kept and replayed), so the transcript
reads as if the node had waited. Nothing waits on the event loop.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import MAX_PENDING, AwaitInput
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.simotel.dialplan import webservice
from emulator.simotel.dialplan.walk import Steps, Walk
from emulator.simotel.state import DialplanCall

if TYPE_CHECKING:
    from collections.abc import Callable

    from emulator.runtime import Emulator

EVENT = "simotel.dialplan.input"


class InputRefused(ValueError):
    """The call takes no more input (it ended, or too much is queued already)."""


def parkable(walk: Walk, run: Callable[..., Steps | None], node: dict[str, Any], payload: dict[str, Any]) -> Steps:
    """Run a node of a live call; when it needs input that has not come, undo it and park the call."""
    call = walk.call
    resumed, call.parked = call.parked, {}
    if resumed.get("replay") is not None:
        walk.replay = webservice.Answer(**resumed["replay"])
    if resumed.get("mark") is not None:  # what the node recorded before it waited: it records it again
        del call.transcript.entries[int(resumed["mark"]) :]
    mark, kept = len(call.transcript.entries), (call.data, call.exten, call.limit_s)
    try:
        steps = run(walk, node, str(payload.get("phase", "enter")))
        if steps is not None:
            yield from steps
    except AwaitInput as wait:  # (its transcript entries stay: the caller heard them while it waits)
        call.data, call.exten, call.limit_s = kept
        call.keys[:0] = [keyed for keyed, _ in walk.taken]
        call.key_times[:0] = [came if came is not None else walk.at for _, came in walk.taken]
        answer = walk.answer if walk.answer is not None else walk.replay
        call.parked = {
            "since": payload["due"],
            "waiting_at": walk.at,
            "wait_s": wait.wait_s,
            "node": str(payload.get("node", call.node)),
            "phase": str(payload.get("phase", "enter")),
            "outcome": payload.get("outcome", ""),
            "mark": mark,
            "replay": None if answer is None else dataclasses.asdict(answer),
        }
        _at(walk.emulator, walk.at + (wait.wait_s or 0.0), call, silence=True)


def is_parked(walk: Walk) -> bool:
    return bool(walk.call.parked.get("node"))


def give(emulator: Emulator, call: DialplanCall, element: str) -> None:
    """Queue one input element and, if the call is parked, run its node again now."""
    if call.state == "ended":
        raise InputRefused("the call has ended")
    if not call.live:
        raise InputRefused("the call was placed with a key script; input goes to calls placed without one")
    if len(call.keys) >= MAX_PENDING:
        raise InputRefused(f"{MAX_PENDING} inputs are queued already")
    now = emulator.clock.now()
    call.keys.append(element)
    call.key_times.append(now)
    if call.parked.get("node"):
        _at(emulator, now, call, silence=False)


def _at(emulator: Emulator, due: float, call: DialplanCall, *, silence: bool) -> None:
    """Schedule the parked node's next run; only the latest one scheduled runs it (``event.seq``)."""
    event = emulator.scheduler.at(due, EVENT, {"call": call.id, "silence": silence})
    call.parked["event"] = event.seq


def _on_event(emulator: Emulator, event: ScheduledEvent) -> Any:
    """Input came or the timeout passed: the parked node runs again from the instant it parked."""
    from emulator.simotel.dialplan import engine

    call = emulator.world.simotel.dialplan_calls.get(str(event.payload.get("call", "")))
    if call is None or call.state == "ended" or not call.parked.get("node"):
        return None
    parked = call.parked
    if parked.get("event") != event.seq:
        return None
    if event.payload.get("silence"):
        call.keys.append("")
        call.key_times.append(float(parked["waiting_at"]))
    call.parked = {"replay": parked.get("replay"), "mark": parked["mark"]}
    payload = {"call": call.id, "node": parked["node"], "phase": parked["phase"], "outcome": parked["outcome"]}
    return engine.step(emulator, payload, float(parked["since"]))


def waiting(call: DialplanCall) -> dict[str, Any] | None:
    """What the control plane shows of a parked call: since when, and how long silence takes."""
    if not call.parked.get("node"):
        return None
    return {"since": call.parked["waiting_at"], "wait_s": call.parked["wait_s"]}


def install(emulator: Emulator) -> None:
    emulator.scheduler.register(EVENT, lambda event: _on_event(emulator, event))
