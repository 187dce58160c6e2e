"""GetQueueRealTime: live data of a queue extension (seeded by the fixture, ageing on the emulator clock,
plus the simulated inbound callers waiting in it)."""

from __future__ import annotations

from typing import Any

from emulator.yemot import ivrtree, live_calls
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import QueueNotFound
from emulator.yemot.queue_state import Queue, QueueMember
from emulator.yemot.timefmt import local


def ago_text(seconds: float) -> str:
    """Elapsed time as the server writes it, e.g. ``4 דקות, 33 שניות``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} שעות")
    if hours or minutes:
        parts.append(f"{minutes} דקות")
    parts.append(f"{secs} שניות")
    return ", ".join(parts)


def _member(member: QueueMember, started: float, now: float) -> dict[str, Any]:
    last = None if member.last_call_s_ago is None else started - member.last_call_s_ago
    return {
        "agent": member.agent,
        "Status": member.status,
        "CallsTaken": member.calls_taken,
        "LastCallUnitTime": "0" if last is None else str(int(last)),
        "LastCall": None if last is None else local(last).strftime("%m/%d/%Y, %I:%M:%S %p"),
        "LastCallAgo": None if last is None else ago_text(now - last),
        "Paused": member.paused,
        "Penalty": member.penalty,
    }


def get_queue_real_time(call: YemotCall) -> dict[str, Any]:
    """GetQueueRealTime: totals, members and waiting callers of the queue at ``queuePath``."""
    system = call.require_system()
    path = ivrtree.canonical(call.params["queuePath"], "queuePath")
    queue: Queue | None = system.queues.get(path)
    if queue is None:
        raise QueueNotFound()
    if queue.started is None:
        queue.started = call.now
    elapsed = call.now - queue.started
    waiting = [
        (entry.phone, entry.waiting_s + elapsed, entry.call_id) for entry in queue.entries
    ] + [  # simulated inbound callers, after the fixture's rows
        (live.caller, call.now - (live.queue_since or live.started), live.api_call_id)
        for live in live_calls.waiting_in(system, path)
    ]
    return {
        "queueData": {
            "Abandoned": queue.abandoned,
            "Calls": len(waiting),
            "Completed": queue.completed,
            "TalkTime": queue.talk_time,
            "Holdtime": queue.hold_time,
            "Max": queue.max,
            "Strategy": queue.strategy,
        },
        "members": [_member(member, queue.started, call.now) for member in queue.members],
        "entries": [
            {"phone": phone, "Wait": int(wait), "WaitAgo": ago_text(wait), "Position": position, "CallId": call_id}
            for position, (phone, wait, call_id) in enumerate(waiting, start=1)
        ],
    }
