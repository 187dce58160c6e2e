"""``setting/*``: ping."""

from __future__ import annotations

from emulator.simotel.context import SimotelCall

PING_MESSAGE = "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"


def ping(call: SimotelCall) -> tuple[None, str]:
    return None, PING_MESSAGE
