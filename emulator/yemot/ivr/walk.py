"""The state of one simulated caller walking a system's IVR (part of the World, so snapshots keep it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.core.sim.transcript import Transcript

# The scheduler kind of a walk's next step (run by ``engine``; a live caller's input schedules it too).
STEP_EVENT = "yemot.ivr"


@dataclass
class ApiVisit:
    """One stay in an API extension: its folder and the values read so far (sent on every request)."""

    folder: str
    values: list[list[str]] = field(default_factory=list)
    reply: str = ""  # the last reply's text, re-parsed when the call resumes
    requests: int = 0


@dataclass
class IvrWalk:
    """A call's walk through a system's IVR (the words are those of ``core/sim/walks``): where the
    caller is, what is left of their key script, and everything that happened so far.

    ``op`` is the next step of the engine (a name plus JSON arguments); ``seq`` guards against stale
    scheduler events after the call was moved from outside (CallAction, CallManager).
    """

    call_id: str
    system: str
    api_call_id: str
    yf_call_id: str
    did: str
    real_did: str
    phone: str
    started: float
    keys: list[str] = field(default_factory=list)
    next_key: int = 0
    stay_after_script: bool = False
    passive: bool = False  # placed without a script: a live caller, never hung up on for silence
    parked: dict[str, Any] = field(default_factory=dict)  # a live caller's step waiting for input (``live_input``)
    folder: str = ""
    op: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    silences: int = 0
    api: ApiVisit | None = None
    last_api: ApiVisit | None = None
    ended: bool = False
    spin: int = 0  # steps run at the same instant in a row (a loop guard)
    spin_at: float | None = None
    steps: int = 0  # steps taken, requests sent, real seconds spent waiting for web services (budgets)
    requests: int = 0
    waited_s: float = 0.0
    transcript: Transcript = field(default_factory=Transcript)
