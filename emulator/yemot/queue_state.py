"""Yemot queue extensions' live data: the queue, its members and the callers waiting in it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QueueMember:
    agent: str
    status: str = "1"
    calls_taken: int = 0
    last_call_s_ago: int | None = None
    paused: bool = False
    penalty: str = "0"


@dataclass
class QueueEntry:
    phone: str
    call_id: str
    waiting_s: int = 0


@dataclass
class Queue:
    """A queue extension's live data (GetQueueRealTime), seeded by the fixture.

    Waits and "last call ago" are relative to ``started``: the emulator-clock instant of the
    first read, after which they grow with the clock.
    """

    strategy: str = "ringall"
    max: int = 0
    abandoned: int = 0
    completed: int = 0
    talk_time: int = 0
    hold_time: int = 0
    members: list[QueueMember] = field(default_factory=list)
    entries: list[QueueEntry] = field(default_factory=list)
    started: float | None = None
