"""The state file's writer: a changed state written every interval, and once more on stop.

Each write is made by a forked child from an image of the state at one instant: the child streams
the state piece by piece into a temporary file beside the state file (counting bytes against the
state budget), syncs it and exits; the server, which never stopped answering, then renames it over
the file. A state past the budget is not written (the previous file is kept, and the refusal
logged once per state). Writes start every ``interval`` seconds (measured start to start, even
while the previous one still runs; the file only ever moves to a newer state), so a ``kill -9``
loses at most one interval plus one write's duration of changes. Where fork is missing
the state is encoded on the loop and written in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from emulator.core.persist import forked, state_budget, state_file
from emulator.core.persist.stream_json import Budget, OverBudget

if TYPE_CHECKING:
    from emulator.core.persist.holder import StateHolder

_LOG = logging.getLogger("telephony_emulator.state")
OVER_BUDGET = 3  # the writing child's exit status for a state past the budget
MAX_WRITES = 2  # writes under way at once (a state that takes longer than an interval to write)


class StateSaver:
    """Writes the emulator's state to its file every ``interval`` seconds when it changed, and on stop."""

    def __init__(self, emulator: StateHolder, path: Path, interval: float) -> None:
        self.emulator = emulator
        self.path = state_file.resolve(path)
        self.interval = max(0.05, interval)
        self.budget = emulator.config.max_snapshot_bytes
        self._saved_revision = emulator.revision  # the state the file holds
        self._taken_revision = emulator.revision  # the newest state a write started from
        self._refused_revision: int | None = None
        self._commit = asyncio.Lock()
        self._writes: set[asyncio.Task[bool]] = set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the periodic writes, let those under way finish, and write once more if anything changed."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.gather(*self._writes, return_exceptions=True)
        with contextlib.suppress(OSError):
            await self.save()

    async def save(self) -> bool:
        """Write now if the state changed since the last write; True when this write became the file."""
        revision = self.emulator.revision
        if revision == self._refused_revision or (revision == self._saved_revision and self.path.exists()):
            return False
        self._taken_revision = revision
        head = state_file.head_bytes(self.emulator)
        handle, temporary = state_file.temporary_beside(self.path)
        try:
            if forked.available():
                status = await forked.run_in_child(lambda: self._write_image(handle, head))
            else:  # pragma: no cover - platforms without fork
                data = head + self.emulator.snapshot_bytes() + b"}"
                status = await asyncio.to_thread(self._write_bytes, handle, data)
            if status == OVER_BUDGET:
                self._refused_revision = revision
                _LOG.error("state file %s not written: %s; it keeps the last state that fit",
                           self.path, state_budget.too_large(self.budget))  # fmt: skip
                return False
            if status != 0:
                raise OSError(f"the writing child exited with status {status}")
            async with self._commit:  # writes may overlap; the file only ever moves to a newer state
                if revision <= self._saved_revision and self.path.exists():
                    return False
                await asyncio.to_thread(state_file.commit, temporary, self.path)
                self._saved_revision = revision
        finally:
            with contextlib.suppress(OSError):
                os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        _LOG.debug("state written to %s (revision %d)", self.path, revision)
        return True

    def _write_image(self, handle: int, head: bytes) -> int:
        """In the child: stream head and snapshot into ``handle``, sync; the exit status."""
        with os.fdopen(handle, "wb", buffering=1 << 20, closefd=False) as stream:
            write = Budget(stream.write, self.budget)
            try:
                write(head)
                state_budget.write_snapshot(self.emulator, write)
                write(b"}")
            except OverBudget:
                return OVER_BUDGET
            stream.flush()
            os.fsync(handle)
        return 0

    def _write_bytes(self, handle: int, data: bytes) -> int:  # pragma: no cover - platforms without fork
        if len(data) > self.budget:
            return OVER_BUDGET
        with os.fdopen(handle, "wb", closefd=False) as stream:
            stream.write(data)
            stream.flush()
            os.fsync(handle)
        return 0

    async def _loop(self) -> None:
        """Start a write every interval (start to start) when the state moved since the last one
        started, even while the previous write still runs (at most ``MAX_WRITES`` at once): a
        change waits at most one interval for a write to begin and one write for it to end."""
        while True:
            started = time.monotonic()
            if self.emulator.revision != self._taken_revision:
                while len(self._writes) >= MAX_WRITES:
                    await asyncio.wait(self._writes, return_when=asyncio.FIRST_COMPLETED)
                write = asyncio.create_task(self._logged_save())
                self._writes.add(write)
                write.add_done_callback(self._writes.discard)
                await asyncio.sleep(0)  # let it take its image now
            await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))

    async def _logged_save(self) -> bool:
        try:
            return await self.save()
        except OSError as exc:
            _LOG.error("cannot write state file %s: %s", self.path, exc)
            return False
