"""One call of either API as the softphone sees it: its transcript, whether it ended, its input.

A call id may name a Yemot call (``call-N`` or its ``ApiCallId``), a Simotel dialplan call
(``dialplan-N`` or its ``unique_id``) or any other telephony call (campaign, tzintuk...), which
walks no IVR and so has no transcript. Looked up afresh on every use: a reset or restore swaps the
World, and a call that is gone then is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.core.sim.transcript import Transcript
from emulator.simotel.dialplan import live_input as simotel_input
from emulator.simotel.state import DialplanCall
from emulator.yemot import live_calls
from emulator.yemot.ivr import engine as ivr_engine
from emulator.yemot.ivr import live_input as yemot_input
from emulator.yemot.ivr.walk import IvrWalk
from emulator.yemot.state import YemotSystem

VOICES = {"yemot": "he", "simotel": "fa"}  # the language of what each platform says (espeak-ng voices)


class NoIvr(ValueError):
    """The call walks no IVR, so it takes no input."""


@dataclass
class FoundCall:
    """A call found by id: ``api``, the engine's ``id``, and what the softphone reads of it."""

    api: str
    id: str
    transcript: Transcript | None
    ended: bool
    waiting: dict[str, Any] | None
    walk: IvrWalk | DialplanCall | None = None
    system: YemotSystem | None = None

    @property
    def voice(self) -> str:
        return VOICES.get(self.api, "he")


def find(emulator: Any, call_id: str) -> FoundCall | None:
    """The call named ``call_id`` in the emulator's current World, or None."""
    dialplan_calls = emulator.world.simotel.dialplan_calls
    dialplan = dialplan_calls.get(call_id) or next((c for c in dialplan_calls.values() if c.unique_id == call_id), None)
    if dialplan is not None:
        return FoundCall("simotel", dialplan.id, dialplan.transcript, dialplan.state == "ended",
                         simotel_input.waiting(dialplan), dialplan)  # fmt: skip
    walk = ivr_engine.walk_of(emulator, call_id)
    if walk is None:
        located = live_calls.locate(emulator, call_id)
        if located is not None:
            walk = ivr_engine.walk_of(emulator, located[1].call_id)
    call = emulator.telephony.call(walk.call_id if walk is not None else call_id)
    if walk is not None:
        ended = walk.ended or (call is not None and call.phase == "ended")
        system = emulator.world.yemot.systems.get(walk.system)
        return FoundCall("yemot", walk.call_id, walk.transcript, ended, yemot_input.waiting(walk), walk, system)
    if call is None:
        return None
    return FoundCall(call.api, call.id, None, call.phase == "ended", None)


def give(emulator: Any, found: FoundCall, element: str) -> None:
    """Queue one input element on the call; ``NoIvr`` or the engine's ``InputRefused`` when it cannot."""
    if isinstance(found.walk, DialplanCall):
        simotel_input.give(emulator, found.walk, element)
    elif isinstance(found.walk, IvrWalk):
        if found.ended:
            raise yemot_input.InputRefused("the call has ended")
        yemot_input.give(emulator, found.walk, element)
    else:
        raise NoIvr(f"call {found.id} walks no IVR: it takes no input")
    emulator.scheduler.run_due()


REFUSED = (NoIvr, simotel_input.InputRefused, yemot_input.InputRefused)
