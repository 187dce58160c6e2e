"""One call as the softphone sees it, whichever API it belongs to: its walk (``WalkView``).

A call id may name a walking call of any served API (each API's ``CallViews.walk`` knows its own
ids) or any other telephony call (campaign, tzintuk...), which walks no IVR and so has no
transcript and takes no input. Looked up afresh on every use: a reset or restore swaps the World,
and a call that is gone then is gone.
"""

from __future__ import annotations

from typing import Any

from emulator.admin.http import NotFound
from emulator.core.sim.call_input import InputRefused
from emulator.core.sim.walks import WalkView


class NoIvr(InputRefused):
    """The call walks no IVR, so it takes no input."""


def requested(request: Any) -> WalkView:
    """The call a control-plane request names in its ``id`` path parameter, after running what came
    due (so the answer reflects the clock); ``NotFound`` (404) when there is none."""
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    found = find(emulator, request.path_params["id"])
    if found is None:
        raise NotFound(f"no call {request.path_params['id']!r}")
    return found


def find(emulator: Any, call_id: str) -> WalkView | None:
    """The call named ``call_id`` in the emulator's current World, or None."""
    for spec in emulator.apis:
        view = spec.calls.walk(emulator, call_id)
        if view is not None:
            return view
    call = emulator.telephony.call(call_id)
    if call is None:
        return None
    return WalkView(call.api, call.id, None, call.phase == "ended", None, give=_no_input(call.id), voice="")


def _no_input(call_id: str) -> Any:
    def give(element: str) -> None:
        raise NoIvr(f"call {call_id} walks no IVR: it takes no input")

    return give


def give(emulator: Any, found: WalkView, element: str) -> None:
    """Queue one input element on the call; ``InputRefused`` when it takes none, then run what came due."""
    found.give(element)
    emulator.scheduler.run_due()
