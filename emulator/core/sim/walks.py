"""The words both call engines use: call, walk, step, transcript.

Yemot's IVR engine (``yemot/ivr``) and Simotel's dialplan engine (``simotel/dialplan``) move a
simulated caller through an API's call flow the same way, and name the parts alike:

- a **call** is the telephony engine's record of a call (``core/sim/telephony_state.Call``): who
  dialled whom, its phase and outcome;
- a **walk** is one call's way through the call flow, kept in the World (so snapshots keep it):
  where the caller is, what is left of their key script, the budgets spent and the transcript
  (Yemot ``IvrWalk``, Simotel ``DialplanWalk``);
- a **step** is one scheduler event of a walk being run (Yemot ``ivr.step.Step``, Simotel
  ``dialplan.walk.Step``, both a ``WalkStep``): it starts at the event's instant, moves its cursor
  ``now`` forward as things play or the caller keys, records what happened at the cursor, and ends
  by naming what comes next, which the engine schedules;
- the **transcript** (``core/sim/transcript.Transcript``) is what the caller heard, keyed and
  caused, in the same entries for both engines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from emulator.core.sim.transcript import Transcript


class Walk(Protocol):
    """What every walk holds (see the module docstring)."""

    transcript: Transcript


class WalkStep:
    """What both engines' steps share: the walk being run, the cursor ``now`` (emulator time, POSIX
    seconds) and recording into the walk's transcript at the cursor."""

    walk: Walk
    now: float

    def record(self, kind: str, **data: Any) -> None:
        """Append a transcript entry at the cursor (the kinds of ``core/sim/transcript``)."""
        self.walk.transcript.add(self.now, kind, **data)


@dataclass
class WalkView:
    """One walking call as the control plane's softphone and sound routes see it, whichever API it
    belongs to (made by the API's ``CallViews.walk``).

    ``give(element)`` queues one live-caller input (``core/sim/call_input``) and raises
    ``InputRefused`` when the call takes none; ``voice`` is the espeak-ng voice of what the platform
    says; ``prompt(part)`` is an uploaded prompt's bytes and file suffix (None: nothing uploaded)
    and ``words(part)`` the platform's own words for a part it names (None: read the part itself).
    """

    api: str
    id: str
    transcript: Transcript | None  # (None: a telephony call that walks no IVR)
    ended: bool
    waiting: dict[str, Any] | None  # {"since": POSIX seconds, "wait_s": seconds or None}, while parked
    give: Callable[[str], None]
    voice: str
    prompt: Callable[[dict[str, Any]], tuple[bytes, str] | None] = lambda part: None
    words: Callable[[dict[str, Any]], str | None] = lambda part: None
