"""Events due at a future instant of the emulator clock, run in time order when they come due.

Scheduled events are plain data (``kind`` plus a JSON payload), so the queue is part of the
snapshot; what an event *does* is looked up by kind in a handler registry at run time.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from emulator.core.clock import EmulatorClock, check_instant

Handler = Callable[["ScheduledEvent"], None]


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
    """The pending queue and the sequence counter: the serialisable part of the scheduler."""

    pending: list[ScheduledEvent] = field(default_factory=list)
    next_seq: int = 0
    fired: int = 0


class UnknownEventKind(LookupError):
    pass


class Scheduler:
    """Runs scheduled events whose due time has been reached, earliest first, each once."""

    def __init__(self, clock: EmulatorClock, state: SchedulerState | None = None) -> None:
        self.clock = clock
        self.state = state or SchedulerState()
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    def unknown_kinds(self, state: SchedulerState) -> set[str]:
        """Kinds of pending events in ``state`` that no handler is registered for."""
        return {event.kind for event in state.pending if event.kind not in self._handlers}

    def bind(self, state: SchedulerState) -> None:
        """Point the scheduler at another queue (after reset or restore)."""
        heapq.heapify(state.pending)
        self.state = state

    def at(self, due: float, kind: str, payload: dict[str, Any] | None = None) -> ScheduledEvent:
        if kind not in self._handlers:
            raise UnknownEventKind(kind)
        event = ScheduledEvent(due=due, seq=self.state.next_seq, kind=kind, payload=payload or {})
        self.state.next_seq += 1
        heapq.heappush(self.state.pending, event)
        return event

    def after(self, seconds: float, kind: str, payload: dict[str, Any] | None = None) -> ScheduledEvent:
        return self.at(self.clock.now() + seconds, kind, payload)

    def cancel(self, predicate: Callable[[ScheduledEvent], bool]) -> int:
        kept = [event for event in self.state.pending if not predicate(event)]
        removed = len(self.state.pending) - len(kept)
        heapq.heapify(kept)
        self.state.pending = kept
        return removed

    def next_due(self) -> float | None:
        return self.state.pending[0].due if self.state.pending else None

    def run_due(self) -> int:
        """Run every event due at or before now, in (due, seq) order; return how many ran."""
        return self._run_until(self.clock.now())

    def advance(self, seconds: float) -> int:
        """Move the clock forward, running each due event with the clock set to its due time.

        Handlers therefore see the instant they were scheduled for, and events they schedule
        inside the window run in the same advance, so one jump equals many small steps.
        """
        # On the clock's microsecond grid, so that steps of 0.1 s add up to what one jump of 0.2 s reaches.
        target = check_instant(round(self.clock.now() + max(0.0, seconds), 6))
        ran = self._run_until(target, step_clock=True)
        self.clock.set(target)
        return ran

    def _run_until(self, limit: float, *, step_clock: bool = False) -> int:
        ran = 0
        pending = self.state.pending
        while pending and pending[0].due <= limit:
            event = heapq.heappop(pending)
            if step_clock and event.due > self.clock.now():
                self.clock.set(event.due)
            handler = self._handlers.get(event.kind)
            if handler is None:
                raise UnknownEventKind(event.kind)
            handler(event)
            ran += 1
            self.state.fired += 1
            pending = self.state.pending
        return ran
