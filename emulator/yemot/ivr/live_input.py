"""A live caller on a Yemot IVR: a call placed without a key script waits for input.

When a step of such a walk needs keys (a menu, a read, a recording, a quiet line) and none is
queued, ``Step.take_keys`` raises ``AwaitInput`` before the step changed anything; the engine
parks the walk here: ``walk.parked`` remembers the instant, and an event of kind ``yemot.ivr.input``
fires when the step's own timeout passes on the emulator clock. Then the caller was silent (``""``)
and the step runs again at the instant it parked, waiting out its timeout as a scripted silence
would. Input queued meanwhile (``give``) resumes the step at once, at the current instant. Nothing
waits on the event loop: a parked walk is a dict in the World and at most one scheduled event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import MAX_PENDING, AwaitInput, InputRefused
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.yemot.ivr.walk import STEP_EVENT, IvrWalk

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT = "yemot.ivr.input"
# The engine's look-up of a walk by call id (``engine.walk_of``), handed in at install.
WalkOf = Callable[[Any, str], "IvrWalk | None"]


def park(emulator: Emulator, walk: IvrWalk, since: float, wait: AwaitInput) -> None:
    """The walk's current step waits for input from ``since``; silence counts after ``wait.wait_s``."""
    walk.seq += 1  # (stale step events of this walk do nothing now)
    wait_s = wait.wait_s
    walk.parked = {"since": since, "wait_s": wait_s, "silent_s": wait.silent_s, "seq": walk.seq}
    if wait_s is not None:
        emulator.scheduler.at(since + wait_s, EVENT, {"call": walk.call_id, "seq": walk.seq})


def give(emulator: Emulator, walk: IvrWalk, element: str) -> None:
    """Queue one input element (keys, ``""``, recording seconds or speech) and resume a parked step."""
    if walk.ended:
        raise InputRefused("the call has ended")
    if not walk.passive:
        raise InputRefused("the call was placed with a key script; input goes to calls placed without one")
    del walk.keys[: walk.next_key]  # (what was taken is gone: the queue stays small)
    walk.next_key = 0
    if len(walk.keys) >= MAX_PENDING:
        raise InputRefused(f"{MAX_PENDING} inputs are queued already")
    walk.keys.append(element)
    if walk.parked:  # (keys are pressed now; silence lasts from when the step began to wait)
        parked = walk.parked
        since = float(parked["since"])
        if element == "" and parked["wait_s"] is not None:
            _resume(emulator, walk, since + float(parked["wait_s"]) - float(parked["silent_s"]))
        else:
            _resume(emulator, walk, max(since, emulator.clock.now()))


def _resume(emulator: Emulator, walk: IvrWalk, at: float) -> None:
    walk.seq += 1
    walk.parked = {}
    emulator.scheduler.at(at, STEP_EVENT, {"call": walk.call_id, "seq": walk.seq})


def _on_timeout(emulator: Emulator, event: ScheduledEvent, walk_of: WalkOf) -> None:
    """The parked step's timeout passed: the caller was silent; the step runs from where it parked."""
    walk = walk_of(emulator, str(event.payload.get("call", "")))
    if walk is None or walk.ended or not walk.parked or walk.parked.get("seq") != event.payload.get("seq"):
        return
    del walk.keys[: walk.next_key]
    walk.next_key = 0
    walk.keys.append("")
    parked = walk.parked  # (the step records the last ``silent_s`` of the wait itself)
    _resume(emulator, walk, float(parked["since"]) + float(parked["wait_s"]) - float(parked["silent_s"]))


def waiting(walk: IvrWalk) -> dict[str, Any] | None:
    """What the control plane shows of a parked walk: since when, and how long silence takes."""
    if not walk.parked:
        return None
    return {"since": walk.parked["since"], "wait_s": walk.parked["wait_s"]}


def install(emulator: Emulator, walk_of: WalkOf) -> None:
    """Register the timeout event; ``walk_of`` is the engine's look-up of a walk by call id."""
    emulator.scheduler.register(EVENT, lambda event: _on_timeout(emulator, event, walk_of))
