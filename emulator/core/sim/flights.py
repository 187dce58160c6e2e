"""Steps that wait for a web service: the step's code stays synchronous, only the exchange is awaited.

A step that asks a service is a generator: it runs on the loop's thread up to the exchange, yields
the exchange's awaitable, and is resumed with its result (``drive``). The scheduler flies the rest
of such a step as a task (``Scheduler.launch``); meanwhile the server answers every other request,
the service's own REST calls about the same call included. Every mutation of the world happens on
the loop's thread, before the ``yield`` or after it, never while the exchange is in the air.

``TenantGates`` caps the exchanges one tenant has in flight at once; ``note`` and ``landed`` let the
request that set a frozen-clock run going answer only when that run is done, as it did when the
exchange held the request (another request, such as the service's own, never waits for it).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any

Steps = Generator[Awaitable[Any], Any, None]

DEFAULT_MAX_EXCHANGES_PER_TENANT = 100

# The flights a request launched on a frozen clock: the request answers once they have landed.
_launched: contextvars.ContextVar[list[asyncio.Future[Any]] | None] = contextvars.ContextVar(
    "launched_flights", default=None
)


def drive(
    steps: Steps | None,
    *,
    then: Callable[[], None],
    still: Callable[[], bool],
    gate: asyncio.Semaphore | None = None,
    waited: Callable[[float], None] | None = None,
) -> Awaitable[None] | None:
    """Run ``steps`` up to its first exchange; None when it needed none (``then`` has run), else
    the awaitable rest of it.

    After each exchange the step resumes only if ``still()`` holds (the call was not ended, moved
    or replaced meanwhile), and an exchange that waited for the gate is sent only if it still
    holds then; ``then`` runs once the step is done. ``gate`` bounds the tenant's
    exchanges in flight; ``waited`` is told the real seconds each exchange took (gate included).
    """
    if steps is None:
        then()
        return None
    try:
        pending = next(steps)
    except StopIteration:
        then()
        return None
    return _resume(steps, pending, then, still, gate, waited)


async def _resume(
    steps: Steps,
    pending: Awaitable[Any],
    then: Callable[[], None],
    still: Callable[[], bool],
    gate: asyncio.Semaphore | None,
    waited: Callable[[float], None] | None,
) -> None:
    while True:
        started = time.monotonic()
        if gate is not None:
            async with gate:
                if not still():  # the call ended or moved while the exchange waited its turn: never sent
                    _discard(pending)
                    steps.close()
                    return
                result = await pending
        else:
            result = await pending
        if waited is not None:
            waited(time.monotonic() - started)
        if not still():
            steps.close()
            return
        try:
            pending = steps.send(result)
        except StopIteration:
            then()
            return


def _discard(pending: Awaitable[Any]) -> None:
    """Drop an exchange that was never awaited (a coroutine is closed, so it never runs)."""
    if inspect.iscoroutine(pending):
        pending.close()
    elif isinstance(pending, asyncio.Future):
        pending.cancel()


class TenantGates:
    """One semaphore per tenant (``yemot:<system>``, ``simotel``): at most ``limit`` exchanges in flight."""

    def __init__(self, limit: int = DEFAULT_MAX_EXCHANGES_PER_TENANT) -> None:
        self.limit = max(1, limit)
        self._gates: dict[str, asyncio.Semaphore] = {}

    def __call__(self, tenant: str) -> asyncio.Semaphore:
        gate = self._gates.get(tenant)
        if gate is None:
            gate = self._gates[tenant] = asyncio.Semaphore(self.limit)
        return gate


def note(task: asyncio.Future[Any]) -> None:
    """Remember ``task`` for the request being served, which answers once it is done (``landed``)."""
    launched = _launched.get()
    if launched is not None:
        launched.append(task)


def collecting() -> contextvars.Token[list[asyncio.Future[Any]] | None]:
    """Start collecting the flights this request launches."""
    return _launched.set([])


async def landed() -> None:
    """Wait for the flights this request launched (and those they launched)."""
    launched = _launched.get()
    while launched:
        batch = list(launched)
        launched.clear()
        await asyncio.wait(batch)


def stop(token: contextvars.Token[list[asyncio.Future[Any]] | None]) -> None:
    """Stop collecting (the request is answered)."""
    _launched.reset(token)
