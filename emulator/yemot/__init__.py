"""Yemot HaMashiach API emulation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator


def install(emulator: Emulator) -> None:
    """Register Yemot's scheduler event kinds and telephony listeners on a new runtime."""
    from emulator.yemot import callbacks, live_calls
    from emulator.yemot.campaigns import engine as campaign_engine
    from emulator.yemot.campaigns import schedule as campaign_schedule
    from emulator.yemot.ivr import engine
    from emulator.yemot.methods import METHODS
    from emulator.yemot.services import calls, live, security, tasks

    callbacks.install(emulator)
    calls.install(emulator)  # after callbacks: call time is billed before a campaign's END hook
    tasks.install(emulator, METHODS)
    security.install(emulator)
    campaign_engine.install(emulator)
    campaign_schedule.install(emulator)
    live_calls.install(emulator)
    live.install(emulator)
    engine.install(emulator)  # last: a bridged callee is live (and has left when its call ends) before its walk
