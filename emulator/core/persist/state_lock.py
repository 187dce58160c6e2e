"""One server per state file: an exclusive lock on a sidecar file that names its holder.

The state file itself is replaced by a rename on every write, so a lock on it would be lost with
the old file. The lock is taken instead on ``<state file>.lock`` next to it (``flock``, released by
the kernel when the holder exits, even on ``kill -9``), and the holder writes its process id there
so a second server can say who holds it. A clean stop removes the sidecar.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class StateLockHeld(Exception):
    """Another process holds the state file's lock."""


def lock_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".lock")


class StateLock:
    """The held lock of one state file; ``release`` (or the process's exit) frees it."""

    def __init__(self, state_path: Path) -> None:
        import fcntl

        self.path = lock_path(state_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                raise StateLockHeld(
                    f"state file {state_path} is in use by {holder} (lock {self.path}); "
                    "stop that server or give this one another --state-file"
                ) from None
            except OSError:
                os.close(fd)
                raise
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the holder removed the sidecar between our open and our lock: take the new one
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd: int | None = fd

    def release(self) -> None:
        """Remove the sidecar and free the lock (idempotent)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            if _same_file(self._fd, self.path):
                os.unlink(self.path)
        os.close(self._fd)
        self._fd = None


def acquire(state_path: Path) -> StateLock | None:
    """The lock of ``state_path``; None where the platform has no ``flock`` (Windows)."""
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - POSIX only
        return None
    return StateLock(state_path)


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
        return f"process {pid}"
    return "another process"


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)
