"""``setting/*``: ping."""

from __future__ import annotations

from emulator.simotel import events
from emulator.simotel.context import SimotelCall

PING_MESSAGE = "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"


def ping(call: SimotelCall) -> tuple[None, str]:
    """Answer the fixed text and fire the ``Ping`` event (payload: ``date``) when it is enabled."""
    events.emit(call, "Ping", {"date": events.stamp(call)})
    return None, PING_MESSAGE
