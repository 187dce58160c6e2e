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
Writer = Callable[[bytes], object]


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
    async for chunk in stream_from_child(lambda write: write(produce())):
        yield chunk


async def stream_from_child(emit: Callable[[Writer], object]) -> AsyncIterator[bytes]:
    """``produce_in_child`` for a child that hands its bytes out in pieces: ``emit(write)`` calls
    ``write`` with each piece, so the child never holds the whole output either."""
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        _child(emit, read_fd, write_fd)
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


async def run_in_child(work: Callable[[], int]) -> int:
    """Run ``work`` in a child forked now (an image of this instant) and wait, without blocking the
    loop, for it to exit; its exit status (``work``'s answer, 1 if it raised)."""
    pid = _fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        status = 1
        try:
            gc.disable()
            status = work()
        finally:
            os._exit(status)
    return await _reaped(pid)


def _fork() -> int:
    with warnings.catch_warnings():
        # Python 3.12+ warns that fork() in a threaded process may deadlock the child on a lock
        # another thread held. These children take no lock: they encode, write and exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _child(emit: Callable[[Writer], object], read_fd: int, write_fd: int) -> None:  # pragma: no cover
    status = 1
    try:
        gc.disable()  # no finalizer of the parent's objects may run here (they could wait on its locks)
        os.close(read_fd)
        with os.fdopen(write_fd, "wb", buffering=1 << 20) as pipe:
            emit(pipe.write)
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
