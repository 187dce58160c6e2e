"""Produce bytes from a frozen image of the process, in a forked child, while the server goes on.

Encoding a large world takes time the event loop would otherwise spend answering requests, and
running it in a thread does not help: the encoder holds the interpreter lock, and state changing
under a half-written snapshot would make it inconsistent. ``os.fork`` gives the child a
copy-on-write image of the process at one instant; the child encodes that image, writes the bytes
to a pipe and exits, and the parent streams them out as they come. The parent pays for the fork
itself (copying page tables: a few milliseconds for hundreds of megabytes), not for the encoding.

Where ``os.fork`` does not exist, :func:`available` is False and callers produce in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import warnings
from collections.abc import AsyncIterator, Callable

CHUNK = 1 << 16


class ChildFailed(RuntimeError):
    """The child could not produce its bytes (it exited with a failure status)."""


def available() -> bool:
    return hasattr(os, "fork")


async def produce_in_child(produce: Callable[[], bytes]) -> AsyncIterator[bytes]:
    """The bytes ``produce()`` returns in a child forked now, in chunks as they arrive.

    ``produce`` must only read state and return bytes: it runs in the child, alone, and the child
    leaves with ``os._exit`` (no cleanup, no flushing of the parent's buffers). Raises
    ``ChildFailed`` at the end of the stream if the child did not finish.
    """
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that fork() in a threaded process may deadlock the child on a lock
        # another thread held. This child takes no lock: it encodes, writes to its pipe and exits.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        _child(produce, read_fd, write_fd)
    os.close(write_fd)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=CHUNK * 4)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(read_fd, "rb", buffering=0)
    )
    finished = False
    try:
        while chunk := await reader.read(CHUNK):
            yield chunk
        finished = True
    finally:
        transport.close()
        if not finished:  # the reader went away (a client that hung up): the child's work is moot
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        status = await _reaped(pid)
    if status != 0:
        raise ChildFailed(f"the snapshot child exited with status {status}")


def _child(produce: Callable[[], bytes], read_fd: int, write_fd: int) -> None:  # pragma: no cover
    status = 1
    try:
        gc.disable()  # no finalizer of the parent's objects may run here (they could wait on its locks)
        os.close(read_fd)
        view = memoryview(produce())
        while view:
            view = view[os.write(write_fd, view[: 1 << 20]) :]
        status = 0
    finally:
        os._exit(status)


async def _reaped(pid: int) -> int:
    """Wait (without blocking the loop) for the child to exit; its exit status."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        await asyncio.sleep(0.005)
