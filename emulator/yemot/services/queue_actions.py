"""Queue actions: QueueManagement (kick waiting callers, pause agents) and QueueCallBack (call-back lists)."""

from __future__ import annotations

from typing import Any

from emulator.yemot import ivrtree, live_calls
from emulator.yemot.actions import by_action
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadAction,
    CallbackQueueNotFound,
    MissingParameter,
    QueueAgentNotFound,
    QueueNotFound,
)
from emulator.yemot.ivr import engine as ivr_engine
from emulator.yemot.queue_state import Queue
from emulator.yemot.state import CallbackQueue, YemotSystem
from emulator.yemot.timefmt import datetime_text

CALL_NOT_FOUND = "Call not found"
GOTO = "GOTO:"


def _queue(call: YemotCall) -> tuple[YemotSystem, str, Queue]:
    system = call.require_system()
    path = ivrtree.canonical(call.params["queuePath"], "queuePath")
    queue = system.queues.get(path)
    if queue is None:
        raise QueueNotFound()
    return system, path, queue


def _call_ids(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw or "").replace(",", ":").split(":")
    return [str(item).strip() for item in items if str(item).strip()]


def _kick(call: YemotCall) -> dict[str, Any]:
    """Take callers out of the queue: to ``moreData`` ``GOTO:<path>`` if given, else they are hung up."""
    system, path, queue = _queue(call)
    more = str(call.params.get("moreData") or "").strip()
    target = more[len(GOTO) :] if more.upper().startswith(GOTO) else None
    status: dict[str, str] = {}
    for call_id in _call_ids(call.params.get("callIds")):
        live = live_calls.by_api_id(system, call_id)
        if live is not None and live.queue == path:
            if target is not None:
                ivr_engine.move(call.emulator, system, live, target)
            else:
                live_calls.hang_up(call.emulator, live)
            status[call_id] = "OK"
            continue
        seeded = next((entry for entry in queue.entries if entry.call_id == call_id), None)
        if seeded is not None:
            queue.entries.remove(seeded)
            status[call_id] = "OK"
        else:
            status[call_id] = CALL_NOT_FOUND
    return {"status": status}


def _pause(paused: bool) -> Any:
    def handler(call: YemotCall) -> dict[str, Any]:
        _, _, queue = _queue(call)
        agent = str(call.params.get("agent") or "").strip()
        if not agent:
            raise MissingParameter("agent")
        member = next((m for m in queue.members if m.agent == agent), None)
        if member is None:
            raise QueueAgentNotFound()
        member.paused = paused
        return {}

    return handler


queue_management = by_action({"kick": _kick, "pause": _pause(True), "unpause": _pause(False)}, BadAction)


# -- QueueCallBack ------------------------------------------------------------------------------------


def _queue_json(queue: CallbackQueue) -> dict[str, Any]:
    return {
        "id": queue.id,
        "path": queue.path,
        "queue_path": queue.queue_path,
        "caller_id": queue.caller_id,
        "callback_times": queue.callback_times,
        "max_waiting_time": queue.max_waiting_time,
        "max_waiting_customers": queue.max_waiting_customers,
        "waiting_customers": sum(1 for row in queue.rows if row.status == "WAITING"),
        "open": queue.open,
    }


def _id(call: YemotCall) -> int:
    raw = call.params.get("id")
    if raw is None:
        raise MissingParameter("id")
    return raw


def _get_queues(call: YemotCall) -> dict[str, Any]:
    return {"callbackList": [_queue_json(queue) for queue in call.require_system().callback_queues]}


def _get_list(call: YemotCall) -> dict[str, Any]:
    wanted = _id(call)
    queue = next((q for q in call.require_system().callback_queues if q.id == wanted), None)
    if queue is None:
        raise CallbackQueueNotFound()
    rows = [
        {
            "id": row.id,
            "calling_number": row.calling_number,
            "status": row.status,
            "date_time": datetime_text(row.time),
            "attempts": row.attempts,
            "last_attempt": None if row.last_attempt is None else datetime_text(row.last_attempt),
        }
        for row in queue.rows
    ]
    return {"callbackList": rows}


def _remove_number(call: YemotCall) -> dict[str, Any]:
    """``id`` is the row's id (GetList ``callbackList[].id``)."""
    wanted = _id(call)
    for queue in call.require_system().callback_queues:
        for row in queue.rows:
            if row.id == wanted:
                queue.rows.remove(row)
                return {}
    raise CallbackQueueNotFound()


queue_call_back = by_action({"getQueues": _get_queues, "getList": _get_list, "removeNumber": _remove_number}, BadAction)
