"""Opt-in persistence: the emulator's state in one JSON file that survives restarts.

The file is written atomically (temporary file in the same folder, fsync, rename), so a crash
leaves either the previous file or the new one, never a torn one. A copy of the state is taken on
the event loop (consistent), then encoded and written in a worker thread, so requests do not wait
for the disk. The file carries a format version; another version is refused whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulator.runtime import Emulator

FORMAT = "telephony-emulator state"
FORMAT_VERSION = 1
MAX_BYTES = 512 * 1024 * 1024
_LOG = logging.getLogger("telephony_emulator.state")


class StateFileError(Exception):
    """The state file cannot be used: unreadable, malformed or of another format version."""


def read(path: Path) -> dict[str, Any] | None:
    """The saved document at ``path``, or None when there is no file yet."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateFileError(f"cannot read state file {path}: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise StateFileError(f"state file {path} is {size} bytes, more than the {MAX_BYTES} this emulator reads")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StateFileError(f"state file {path} is not a readable JSON document: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f'{path} is not a telephony-emulator state file (no "format": {FORMAT!r})')
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise StateFileError(
            f"state file {path} has format version {version!r}; this emulator reads version {FORMAT_VERSION}. "
            "Start without --state-file, or move the file aside, to begin from the fixture."
        )
    return document


def write(path: Path, document: dict[str, Any]) -> None:
    """Replace ``path`` with ``document`` atomically: temp file, fsync, rename, fsync the folder."""
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the platform allows
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def document_of(emulator: Emulator) -> dict[str, Any]:
    """A consistent, self-contained copy of what the file keeps: world state and the clock."""
    saved_at, now = time.time(), emulator.clock.now()
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "saved_at": saved_at,
        "clock": {"now": now, "frozen": emulator.clock.frozen, "offset": now - saved_at},
        "snapshot": emulator.snapshot(),
    }


def restore_into(emulator: Emulator, document: dict[str, Any]) -> None:
    """Load a :func:`read` document into ``emulator`` (whole, or not at all)."""
    from emulator.core.store import SnapshotError

    try:
        emulator.restore(document.get("snapshot"))
    except SnapshotError as exc:
        raise StateFileError(f"state file does not describe a valid state: {exc}") from exc
    clock = document.get("clock")
    if not isinstance(clock, dict):
        return
    if clock.get("frozen") is True and _number(clock.get("now")):
        emulator.clock.freeze()
        emulator.clock.set(float(clock["now"]))
    elif clock.get("frozen") is False and _number(clock.get("offset")):
        emulator.clock.unfreeze()
        emulator.clock.set(time.time() + float(clock["offset"]))  # a running clock keeps its offset


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class StateSaver:
    """Writes the emulator's state to its file every ``interval`` seconds when it changed, and on stop."""

    def __init__(self, emulator: Emulator, path: Path, interval: float) -> None:
        self.emulator = emulator
        self.path = path
        self.interval = max(0.05, interval)
        self._saved_revision = emulator.revision
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the periodic writes and write once more if anything changed."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.save()

    async def save(self) -> bool:
        """Write now if the state changed since the last write; True when a file was written."""
        revision = self.emulator.revision
        if revision == self._saved_revision and self.path.exists():
            return False
        document = document_of(self.emulator)  # on the loop: no request runs while the copy is taken
        await asyncio.to_thread(write, self.path, document)
        self._saved_revision = revision
        _LOG.debug("state written to %s (revision %d)", self.path, revision)
        return True

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.save()
            except OSError as exc:
                _LOG.error("cannot write state file %s: %s", self.path, exc)
