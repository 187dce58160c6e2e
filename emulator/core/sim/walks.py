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
