"""What persistence needs of a running emulator: its state, clock, scheduler, settings and revision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from emulator.config import EmulatorConfig
    from emulator.core.sim.clock import EmulatorClock
    from emulator.core.sim.scheduler import Scheduler

SNAPSHOT_VERSION = 1
"""The ``version`` of every snapshot document and state file this emulator writes and reads."""


class StateHolder(Protocol):
    """The running emulator as the state file, its writer and the snapshot stream see it."""

    config: EmulatorConfig
    clock: EmulatorClock
    scheduler: Scheduler
    world: Any
    revision: int
    loaded_state: Any  # a state_file.LoadedState when the state at start came from a state file

    def saved_world(self) -> Any: ...

    def snapshot_bytes(self) -> bytes: ...

    def world_from_snapshot_bytes(self, data: bytes) -> Any: ...

    def set_world(self, world: Any) -> None: ...
