"""The one size budget of a state: what a snapshot, a state file and a restore may hold.

``max_snapshot_bytes`` caps the body ``POST /__emulator__/restore`` reads, the state file a start
reads, and so also what ``GET /__emulator__/snapshot`` and the state file's writer produce: a
state past it is refused before anything is written, so whatever the emulator writes it can read
back. The writers stream the state piece by piece (``emulator.core.persist.stream_json``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.core.persist.holder import SNAPSHOT_VERSION
from emulator.core.persist.stream_json import Budget, OverBudget, write_json

if TYPE_CHECKING:
    from emulator.core.persist.holder import StateHolder

Write = Callable[[bytes], Any]


def too_large(budget: int) -> str:
    """Why a state was not written (the control plane's and the log's wording)."""
    return (
        f"the state is larger than the state budget of {budget} bytes (--max-snapshot-bytes, "
        "EMULATOR_MAX_SNAPSHOT_BYTES), the most a restore or a state file accepts; nothing was written"
    )


def write_snapshot(emulator: StateHolder, write: Write) -> None:
    """The snapshot document (``StateHolder.snapshot_bytes``' bytes, in pieces) handed to ``write``."""
    write(b'{"version":%d,"world":' % SNAPSHOT_VERSION)
    write_json(emulator.saved_world(), write)
    write(b"}")


def snapshot_size(emulator: StateHolder, budget: int) -> int:
    """The snapshot's size in bytes, counted without keeping it; ``OverBudget`` past ``budget``."""
    counter = Budget(lambda data: None, budget)
    write_snapshot(emulator, counter)
    return counter.written


def sized_snapshot(emulator: StateHolder, budget: int, write: Write) -> None:
    """A line with the snapshot's size (``-`` when over ``budget``), then the snapshot itself.

    Runs in a forked child: two passes over an image that cannot change, one to count, one to send."""
    try:
        size = snapshot_size(emulator, budget)
    except OverBudget:
        write(b"-\n")
        return
    write(b"%d\n" % size)
    write_snapshot(emulator, write)


__all__ = ["Budget", "OverBudget", "sized_snapshot", "snapshot_size", "too_large", "write_snapshot"]
