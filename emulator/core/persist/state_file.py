"""Opt-in persistence: the emulator's state in one JSON file that survives restarts.

The file is written atomically (temporary file in the same folder, fsync, rename), so a crash
leaves either the previous file or the new one, never a torn one. A forked child encodes an image
of the state at one instant and streams it to the temporary file piece by piece, so requests do
not wait and no second copy of the state is made in the server. One byte budget
(``max_snapshot_bytes``) bounds what is written, what is read and what a restore takes: a state
past it is not written (the previous file is kept), so whatever is written can be read back.

Only a regular file is read (a FIFO or a device is refused before a byte is read), never more
than the budget. A symlink is followed: the file it points to is read, locked and replaced. The
file carries a format version; another version is refused whole. A file that fails any check
stops the start with a message naming the first problem.
"""

from __future__ import annotations

import contextlib
import glob
import math
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from emulator.config import EmulatorConfig
from emulator.core.persist.state_lock import StateLock, StateLockHeld, acquire
from emulator.core.persist.store import SnapshotError, reason_of
from emulator.core.sim.clock import ClockRangeError, check_instant

if TYPE_CHECKING:
    from emulator.core.persist.holder import StateHolder

FORMAT = "telephony-emulator state"
FORMAT_VERSION = 1
DEFAULT_BUDGET = EmulatorConfig.max_snapshot_bytes


class LoadedState(NamedTuple):
    """Where the state at start came from: the file, and when it was written (epoch seconds, if known)."""

    path: Path
    saved_at: float | None


def _saved_at(value: Any) -> float | None:
    """The file's ``saved_at`` when it is a plausible instant (it only informs the start banner)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if 0 <= value < 253402300800 else None  # (before the year 10000)


class StateFileError(Exception):
    """The state file cannot be used: unreadable, malformed or of another format version."""


class _Clock(msgspec.Struct):
    now: float | None = None
    frozen: bool | None = None
    offset: float | None = None


class _Head(msgspec.Struct):
    format: Any = None
    version: Any = None


class Document(msgspec.Struct):
    """A state file, its snapshot kept as raw JSON bytes (decoded once, straight into a World)."""

    format: Any = None
    version: Any = None
    saved_at: Any = None
    clock: _Clock | None = None
    snapshot: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


def resolve(path: Path) -> Path:
    """The file ``path`` names, symlinks followed (read, locked and replaced there)."""
    return Path(os.path.realpath(path))


def read_bytes(path: Path, budget: int = DEFAULT_BUDGET) -> memoryview | None:
    """The bytes of the regular file ``path`` (None when there is none), never more than ``budget``;
    read into one buffer of the file's size (no second copy)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateFileError(f"cannot read state file {path}: {exc.strerror or exc}") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise StateFileError(f"state file {path} is not a regular file ({_kind(info.st_mode)}); refused")
    with os.fdopen(fd, "rb", buffering=0) as stream:
        if info.st_size > budget:
            raise StateFileError(_too_large(path, f"{info.st_size} bytes", budget))
        buffer = memoryview(bytearray(info.st_size + 1))  # one byte more tells a file that grew
        total = 0
        while total < len(buffer) and (count := stream.readinto(buffer[total:])):
            total += count
    if total > info.st_size:
        raise StateFileError(f"state file {path} grew while it was read; is another program writing it?")
    return buffer[:total]


def _too_large(path: Path, size: str, budget: int) -> str:
    return (
        f"state file {path} is {size}, more than the state budget of {budget} bytes "
        "(--max-snapshot-bytes, EMULATOR_MAX_SNAPSHOT_BYTES)"
    )


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read(path: Path, budget: int = DEFAULT_BUDGET) -> Document | None:
    """The saved document at ``path``, its head checked, or None when there is no file yet."""
    data = read_bytes(path, budget)
    if data is None:
        return None
    try:
        head = msgspec.json.decode(data, type=_Head)  # (other fields are skipped, not built)
    except msgspec.ValidationError as exc:
        raise StateFileError(f'{path} is not a telephony-emulator state file (no "format": {FORMAT!r})') from exc
    except (msgspec.DecodeError, RecursionError) as exc:
        raise StateFileError(f"state file {path} is not a readable JSON document: {reason_of(exc)}") from exc
    if head.format != FORMAT:
        raise StateFileError(f'{path} is not a telephony-emulator state file (no "format": {FORMAT!r})')
    if head.version != FORMAT_VERSION or isinstance(head.version, bool):
        raise StateFileError(
            f"state file {path} has format version {head.version!r}; this emulator reads version {FORMAT_VERSION}. "
            "Start without --state-file, or move the file aside, to begin from the fixture."
        )
    try:
        return msgspec.json.decode(data, type=Document)
    except (msgspec.ValidationError, RecursionError) as exc:
        raise StateFileError(f"state file {path} is not a valid state file: {reason_of(exc)}") from exc


def restore_into(emulator: StateHolder, document: Document, path: Path | str = "") -> None:
    """Load a :func:`read` document into ``emulator``: every check first, then the swap (whole, or not at all)."""
    try:
        snapshot = memoryview(document.snapshot)
        world = emulator.world_from_snapshot_bytes(snapshot if snapshot.nbytes else b"null")
        clock = _clock_setting(document.clock)
    except SnapshotError as exc:
        where = f" (at {exc.path.replace('$', '$.snapshot', 1)})" if exc.path else ""
        raise StateFileError(f"state file {path} does not describe a valid state: {exc}{where}") from exc
    except ClockRangeError as exc:
        raise StateFileError(f"state file {path} has a clock out of range (at $.clock): {exc}") from exc
    emulator.set_world(world)
    if clock is not None:
        frozen, now = clock
        if frozen:
            emulator.clock.freeze()
        else:
            emulator.clock.unfreeze()
        emulator.clock.set(now)


def _clock_setting(clock: _Clock | None) -> tuple[bool, float] | None:
    """(frozen, now) the saved clock asks for, checked; None when the file does not say."""
    if clock is None:
        return None
    if clock.frozen is True and clock.now is not None:
        return True, check_instant(clock.now)
    if clock.frozen is False and clock.offset is not None and math.isfinite(clock.offset):
        return False, check_instant(time.time() + clock.offset)  # a running clock keeps its offset
    return None


def load_locked(emulator: StateHolder, path: Path) -> StateLock | None:
    """Lock the state file (followed through symlinks) and load it into ``emulator`` if it exists;
    the held lock. ``StateFileError`` when another process holds it or the file fails a check."""
    target = resolve(path)
    try:
        lock = acquire(target)
    except StateLockHeld as exc:
        raise StateFileError(str(exc)) from None
    except OSError as exc:
        raise StateFileError(f"cannot lock state file {target}: {exc.strerror or exc}") from exc
    try:
        remove_leftovers(target)
        document = read(target, emulator.config.max_snapshot_bytes)
        if document is not None:
            restore_into(emulator, document, target)
            emulator.loaded_state = LoadedState(target, _saved_at(document.saved_at))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return lock


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files of writes a crash interrupted (called while holding the lock, so
    no other writer of this file is running)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def head_bytes(emulator: StateHolder) -> bytes:
    """The state file's fields before its snapshot, ending where the snapshot's JSON goes."""
    saved_at, now = time.time(), emulator.clock.now()
    head = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "saved_at": saved_at,
        "clock": {"now": now, "frozen": emulator.clock.frozen, "offset": now - saved_at},
    }
    return msgspec.json.encode(head)[:-1] + b',"snapshot":'


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder (same file system, so a rename replaces atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def commit(temporary: str, path: Path) -> None:
    """Rename ``temporary`` over ``path`` and make the rename durable where the platform allows."""
    os.replace(temporary, path)
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def write(path: Path, document: dict[str, Any]) -> None:
    """Replace ``path`` with ``document`` atomically: temp file, fsync, rename, fsync the folder."""
    handle, temporary = temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(msgspec.json.encode(document))
            stream.flush()
            os.fsync(stream.fileno())
        commit(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
