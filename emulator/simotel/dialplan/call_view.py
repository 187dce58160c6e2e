"""A Simotel dialplan call as the control plane's softphone and sound routes see it (``WalkView``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from emulator.core.sim.walks import WalkView
from emulator.simotel.dialplan import live_input

if TYPE_CHECKING:
    from emulator.core.api import Host

VOICE = "fa"  # what the PBX says is Persian


def walk_view(host: Host, call_id: str) -> WalkView | None:
    """The dialplan call ``dialplan-N`` or the one with that ``unique_id`` (None: no such call)."""
    walks = host.world.simotel.dialplan_calls
    walk = walks.get(call_id) or next((w for w in walks.values() if w.unique_id == call_id), None)
    if walk is None:
        return None
    return WalkView(
        api="simotel",
        id=walk.id,
        transcript=walk.transcript,
        ended=walk.state == "ended",
        waiting=live_input.waiting(walk),
        give=partial(live_input.give, host, walk),
        voice=VOICE,
    )
