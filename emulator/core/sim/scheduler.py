"""Events due at a future instant of the emulator clock, run in time order when they come due.

Scheduled events are plain data (``kind`` plus a JSON payload), so pending work is part of the
snapshot; what an event *does* is looked up by kind in a handler registry at run time.

A handler may return an awaitable: the rest of its step, waiting for a web service. It then flies
as a task on the event loop (``emulator.core.sim.flights``), which serves other requests meanwhile.
On a running clock other calls' events go on at once; on a frozen clock the run holds the next
event until every flight has landed, so events run in exactly the order of a synchronous run, and
``advance_async`` returns only when everything due in its window has run.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from emulator.core.sim import flights
from emulator.core.sim.clock import EmulatorClock, check_instant

Handler = Callable[["ScheduledEvent"], Awaitable[None] | None]
log = logging.getLogger("telephony_emulator.scheduler")


class ScheduledEvent(msgspec.Struct, order=True, gc=False):
    """One pending event. Ordered by ``(due, seq)`` (``seq`` is unique, so the rest never decides),
    compared in C: the queue's heap compares events a dozen times per push and pop. Its payload
    is JSON data, so an event is never part of a cycle and the collector need not track it."""

    due: float
    seq: int
    kind: str
    payload: dict[str, Any] = msgspec.field(default_factory=dict)


@dataclass
class SchedulerState:
    """The pending events and the sequence counter: the part of the scheduler a World holds.

    ``pending`` is the heap of events the scheduler's in-memory queue does not hold (see
    ``Scheduler``); a snapshot lists every pending event there (``Scheduler.saved_state``).
    ``in_order`` and ``in_order_next`` are only read: states saved before the queue left the
    state may list events there, and binding such a state moves them into the heap.
    """

    pending: list[ScheduledEvent] = field(default_factory=list)
    next_seq: int = 0
    fired: int = 0
    in_order: list[ScheduledEvent] = field(default_factory=list)
    in_order_next: list[ScheduledEvent] = field(default_factory=list)


@dataclass
class SavedSchedulerState:
    """The scheduler as a snapshot holds it: every pending event under ``pending``, earliest first."""

    pending: list[ScheduledEvent]
    next_seq: int
    fired: int


def _every(state: SchedulerState) -> list[ScheduledEvent]:
    """Every pending event ``state`` lists (in no particular order)."""
    return [*state.pending, *state.in_order_next, *state.in_order]


def _drop(event: ScheduledEvent, exc: Exception) -> None:
    """Log, in one line, a restored event its handler could not run (a snapshot's payloads are free
    JSON: one written by hand may lack what its kind needs); the run goes on without it."""
    log.error(
        "event %s (seq %d) of a restored state could not run and was dropped: %s: %s",
        event.kind, event.seq, type(exc).__name__, str(exc)[:200],
    )  # fmt: skip


class UnknownEventKind(LookupError):
    pass


class Scheduler:
    """Runs scheduled events whose due time has been reached, earliest first, each once.

    ``next_due_at`` is the earliest pending event's due time (infinity when none is pending), so a
    request can tell that nothing is due without a call.

    Pending events live in the bound state's heap (``pending``) or, while they keep coming in time
    order (a stream of SMS whose reports are all due 5 s on, say), in a first-in-first-out queue
    kept in memory: ``_in_order`` (earliest first; new events go on its end) and
    ``_in_order_next`` (the earlier part, latest first, taken from its end). Taking an event from a
    heap of tens of thousands costs a dozen comparisons on cold memory; from the queue, none. The
    queue is never part of a snapshot's form: ``saved_state`` lists both under ``pending``.
    """

    def __init__(self, clock: EmulatorClock, state: SchedulerState | None = None) -> None:
        self.clock = clock
        self._handlers: dict[str, Handler] = {}
        self.flights: dict[asyncio.Task[None], ScheduledEvent | None] = {}  # steps awaiting a service
        self._runner: asyncio.Task[Any] | None = None  # a frozen-clock run holding the queue for a flight
        self._restored_below = 0  # events with a lower seq came with a bound (restored) state
        self._in_order: list[ScheduledEvent] = []
        self._in_order_next: list[ScheduledEvent] = []
        self.state = SchedulerState()
        self.bind(state or SchedulerState())

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    def events(self) -> list[ScheduledEvent]:
        """Every pending event (in no particular order)."""
        return [*self.state.pending, *self._in_order_next, *self._in_order]

    def knows(self, kind: str) -> bool:
        """Whether a handler is registered for events of ``kind``."""
        return kind in self._handlers

    def unknown_kinds(self, state: SchedulerState) -> set[str]:
        """Kinds of pending events in ``state`` that no handler is registered for."""
        return {event.kind for event in _every(state) if event.kind not in self._handlers}

    def bind(self, state: SchedulerState) -> None:
        """Point the scheduler at another state (after reset or restore); its events all go to the heap
        (the in-memory queue held the replaced state's)."""
        if state is not self.state:
            self._restored_below = state.next_seq  # (new events get a seq from next_seq on)
            self._in_order, self._in_order_next = [], []
        if state.in_order or state.in_order_next:  # (a state saved while the queue was part of it)
            state.pending.extend(state.in_order_next)
            state.pending.extend(state.in_order)
            state.in_order, state.in_order_next = [], []
        heapq.heapify(state.pending)
        self.state = state
        self._note_next()

    def saved_state(self) -> SavedSchedulerState:
        """The state as a snapshot lists it, made without changing anything: every pending event,
        heap and queue alike, earliest first.

        An event whose step is waiting for a web service is listed too: its step applies nothing
        before the answer, so a snapshot shows it not started (a restore runs it again).
        """
        state = self.state
        pending = self.events()
        flying = [event for event in self.flights.values() if event is not None]
        if flying:
            listed = {event.seq for event in pending}
            pending.extend(event for event in flying if event.seq not in listed)
        pending.sort()
        return SavedSchedulerState(pending=pending, next_seq=state.next_seq, fired=state.fired)

    def at(self, due: float, kind: str, payload: dict[str, Any] | None = None) -> ScheduledEvent:
        if kind not in self._handlers:
            raise UnknownEventKind(kind)
        # On the clock's microsecond grid (as ``_target``): a bare sum of an epoch instant and a delay
        # reads 1773129601.3999999, and so would the handler's clock and every instant it records.
        due = round(due, 6)
        state = self.state
        event = ScheduledEvent(due=due, seq=state.next_seq, kind=kind, payload=payload or {})
        state.next_seq += 1
        in_order = self._in_order
        latest = in_order[-1] if in_order else (self._in_order_next[0] if self._in_order_next else None)
        if latest is None or due >= latest.due:
            in_order.append(event)  # (no earlier than every queued event: its seq breaks a tie)
        else:
            heapq.heappush(state.pending, event)
        if due < self.next_due_at:
            self.next_due_at = due
        return event

    def after(self, seconds: float, kind: str, payload: dict[str, Any] | None = None) -> ScheduledEvent:
        return self.at(self.clock.now() + seconds, kind, payload)

    def cancel(self, predicate: Callable[[ScheduledEvent], bool]) -> int:
        state = self.state
        before = len(state.pending) + len(self._in_order) + len(self._in_order_next)
        kept = [event for event in state.pending if not predicate(event)]
        heapq.heapify(kept)
        state.pending = kept
        self._in_order = [event for event in self._in_order if not predicate(event)]
        self._in_order_next = [event for event in self._in_order_next if not predicate(event)]
        self._note_next()
        return before - len(state.pending) - len(self._in_order) - len(self._in_order_next)

    def next_due(self) -> float | None:
        return self.next_due_at if self.next_due_at != math.inf else None

    def run_due(self) -> int:
        """Run every event due at or before now, in (due, seq) order; return how many ran.

        On a frozen clock nothing runs while a flight holds the queue (the run that launched it
        goes on when it lands), so other requests never run events out of their order.
        """
        if self._runner is not None or (self.clock.frozen and self.flights):
            return 0
        return self._run_until(self.clock.now())

    def advance(self, seconds: float) -> int:
        """``advance_async`` from synchronous code: steps waiting for a service fly on (tests,
        benchmarks and state tools whose handlers never wait)."""
        target = self._target(seconds)
        ran = self._run_until(target, step_clock=True)
        self.clock.set(target)
        return ran

    def _target(self, seconds: float) -> float:
        # On the clock's microsecond grid, so that steps of 0.1 s add up to what one jump of 0.2 s reaches.
        return check_instant(round(self.clock.now() + max(0.0, seconds), 6))

    async def advance_async(self, seconds: float) -> int:
        """Move the clock forward, running each due event with the clock set to its due time.

        Handlers therefore see the instant they were scheduled for, and events they schedule
        inside the window run in the same advance, so one jump equals many small steps. Steps that
        wait for a web service are awaited (on a frozen clock one at a time, in order) before the
        advance returns; other requests are served meanwhile.
        """
        await self.idle()
        target = self._target(seconds)
        self._runner = asyncio.current_task()
        try:
            ran, held = self._step_until(target, step_clock=True)
            while held:
                await self._landed()
                more, held = self._step_until(target, step_clock=True)
                ran += more
        finally:
            self._runner = None
        self.clock.set(target)
        return ran

    async def idle(self) -> None:
        """Wait until no run holds the queue and no step waits for a web service."""
        while True:
            waiting = {task for task in (self._runner, *self.flights) if task is not None}
            waiting.discard(asyncio.current_task())  # type: ignore[arg-type]
            if not waiting:
                return
            await asyncio.wait(waiting)

    def restored(self, event: ScheduledEvent) -> bool:
        """Whether ``event`` came with a restored or loaded state rather than from this run's handlers."""
        return event.seq < self._restored_below

    def launch(self, step: Awaitable[None], event: ScheduledEvent | None = None) -> None:
        """Fly the rest of a step (awaiting a web service) as a task; then run what came due."""
        task = asyncio.ensure_future(self._fly(step, event if event is not None and self.restored(event) else None))
        self.flights[task] = event
        task.add_done_callback(self._land)
        if self.clock.frozen:
            flights.note(task)

    def ground(self) -> None:
        """Cancel every step still waiting for a web service (the server is shutting down)."""
        for task in [*self.flights, *([self._runner] if self._runner is not None else [])]:
            task.cancel()

    async def _fly(self, step: Awaitable[None], restored: ScheduledEvent | None = None) -> None:
        try:
            await step
        except Exception as exc:
            if restored is None:
                log.exception("a step waiting for a web service failed")
            else:
                _drop(restored, exc)

    def _land(self, task: asyncio.Task[None]) -> None:
        self.flights.pop(task, None)
        idle = self._runner is None and not (self.clock.frozen and self.flights)
        if idle and self.next_due_at <= self.clock.now():
            self._run_until(self.clock.now())

    async def _landed(self) -> None:
        if self.flights:
            await asyncio.wait(set(self.flights))

    def _earliest(self) -> ScheduledEvent | None:
        """Take the earliest pending event off its queue (None when none is pending)."""
        taking = self._in_order_next
        if not taking and self._in_order:
            taking = self._in_order_next = self._in_order[::-1]
            self._in_order = []
        pending = self.state.pending
        if taking and (not pending or taking[-1] < pending[0]):
            return taking.pop()
        return heapq.heappop(pending) if pending else None

    def _note_next(self) -> None:
        pending = self.state.pending
        heads = []
        if pending:
            heads.append(pending[0].due)
        if self._in_order_next:
            heads.append(self._in_order_next[-1].due)
        elif self._in_order:
            heads.append(self._in_order[0].due)
        self.next_due_at = min(heads) if heads else math.inf

    def _run_until(self, limit: float, *, step_clock: bool = False) -> int:
        """Run due events; on a frozen clock, a step that flies hands the rest of the run to a task."""
        ran, held = self._step_until(limit, step_clock=step_clock)
        if held:
            self._runner = asyncio.ensure_future(self._hold(limit, step_clock))
            flights.note(self._runner)
        return ran

    async def _hold(self, limit: float, step_clock: bool) -> None:
        try:
            held = True
            while held:
                await self._landed()
                _, held = self._step_until(limit, step_clock=step_clock)
        finally:
            self._runner = None

    def _step_until(self, limit: float, *, step_clock: bool = False) -> tuple[int, bool]:
        """Run due events in order until one leaves a step in flight on a frozen clock (then
        ``True``: the caller awaits it before the next)."""
        ran = 0
        while self.next_due_at <= limit:
            event = self._earliest()
            self._note_next()
            if event is None:
                break
            if step_clock and event.due > self.clock.now():
                self.clock.set(event.due)
            handler = self._handlers.get(event.kind)
            if handler is None:
                raise UnknownEventKind(event.kind)
            try:
                rest = handler(event)
            except Exception as exc:
                if not self.restored(event):
                    raise
                _drop(event, exc)
                continue
            ran += 1
            self.state.fired += 1
            if rest is not None and inspect.isawaitable(rest):  # (what other handlers return is ignored)
                self.launch(rest, event)
            if self.flights and self.clock.frozen:
                return ran, True
        return ran, False
