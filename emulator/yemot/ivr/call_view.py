"""A Yemot call's walk as the control plane's softphone and sound routes see it (``WalkView``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import InputRefused
from emulator.core.sim.walks import WalkView
from emulator.yemot import ivrtree, live_calls
from emulator.yemot.ivr import engine, live_input
from emulator.yemot.ivr.messages import SYSTEM_MESSAGES
from emulator.yemot.state import YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host

VOICE = "he"  # what the platform says is Hebrew


def walk_view(host: Host, call_id: str) -> WalkView | None:
    """The walk of an engine call id (``call-N``) or of an ``ApiCallId``; None when neither walks the IVR."""
    walk = engine.walk_of(host, call_id)
    if walk is None:
        located = live_calls.locate(host, call_id)
        if located is not None:
            walk = engine.walk_of(host, located[1].call_id)
    if walk is None:
        return None
    call = host.telephony.call(walk.call_id)
    ended = walk.ended or (call is not None and call.phase == "ended")
    system = host.world.yemot.systems.get(walk.system)

    def give(element: str) -> None:
        if ended:
            raise InputRefused("the call has ended")
        live_input.give(host, walk, element)

    return WalkView(
        api="yemot",
        id=walk.call_id,
        transcript=walk.transcript,
        ended=ended,
        waiting=live_input.waiting(walk),
        give=give,
        voice=VOICE,
        prompt=lambda part: _uploaded(system, part),
        words=_words,
    )


def _uploaded(system: YemotSystem | None, part: dict[str, Any]) -> tuple[bytes, str] | None:
    """An uploaded prompt of the system's tree: its bytes and suffix (None for text files or none)."""
    path = part.get("path")
    if system is None or not part.get("found") or not isinstance(path, str) or "text" in part:
        return None
    key = path.lstrip("/")
    if ivrtree.get(system, key) is None:
        return None
    return ivrtree.read_bytes(system, key), key.rsplit(".", 1)[-1].lower()


def _words(part: dict[str, Any]) -> str | None:
    """A system message's Hebrew text (None for any other part)."""
    if part.get("type") != "system_message":
        return None
    data = str(part.get("data", part.get("name", "")) or "")
    return str(part.get("text") or SYSTEM_MESSAGES.get(data) or "")
