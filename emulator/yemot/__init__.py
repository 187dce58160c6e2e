"""Yemot HaMashiach API emulation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator.runtime import Emulator


def install(emulator: Emulator) -> None:
    """Register Yemot's scheduler event kinds and telephony listeners on a new runtime."""
    from emulator.yemot import callbacks

    callbacks.install(emulator)
