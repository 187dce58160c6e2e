"""Simotel dialplans: inbound (and originated) calls walk a graph of components that call the user's
web service - SmartAPI, IVR API, Extension API, Trunk API - plus the plain nodes around them.

``model`` parses definitions, ``engine`` walks calls on the scheduler, ``components`` is what each
node does, ``smartapi`` the command language, ``webservice`` the request to the user's service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.simotel.dialplan.engine import NoDialplan, NotTransferable, hang_up, install, place, transfer
from emulator.simotel.dialplan.model import DialplanError, parse

if TYPE_CHECKING:
    from emulator.simotel.state import DialplanWalk

__all__ = ["DialplanError", "NoDialplan", "NotTransferable", "hang_up", "install", "parse", "place", "transfer", "view"]


def view(call: DialplanWalk, format_instant: Any) -> dict[str, Any]:
    """The call as the control plane shows it: state, where it is, and its transcript."""
    return {
        "id": call.id,
        "api": "simotel",
        "dialplan": call.dialplan,
        "src": call.src,
        "dst": call.dst,
        "unique_id": call.unique_id,
        "originated_call_id": call.originated_call_id or None,
        "state": call.state,
        "node": call.node,
        "started": format_instant(call.started),
        "ended": None if call.ended is None else format_instant(call.ended),
        "keys_left": list(call.keys),
        "transcript": call.transcript.to_json(),
    }
