"""Simotel API v4 emulation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator


def install(emulator: Emulator) -> None:
    """Register Simotel's scheduler event kinds and telephony listeners on a new runtime."""
    from emulator.simotel import dialplan
    from emulator.simotel.services import autodialer, calls

    calls.install(emulator)
    autodialer.install(emulator)
    dialplan.install(emulator)
