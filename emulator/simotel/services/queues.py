"""Queue agents (reference §3.5): add / pause / resume / remove, one at a time or in batches.

Membership lives on the queue record as ``agents: [{"agent", "source", "penalty", "paused"}]``,
so ``pbx/queues/search`` shows it and ``pbx/users/search`` lists each user's ``queues``. A queue
is named by its ``number`` (``queue``). Every op answers ``data = {"message": <text>, "ok": 1}``
with top-level message ``""``; a batch answers ``{"Data": [<item echo> + message + ok], "ok": 1}``;
``batchaddagent`` echoes the agent under ``agents`` too (the current documentation's key, sic).
Refusals (unknown queue, adding a member twice, pausing/resuming/removing a non-member) answer
``success: 0`` ``Requested operation failed`` for a single op, and ``ok: 0`` with that message
for the item of a batch (the batch's own ``ok`` is then 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.simotel.context import SimotelCall
from emulator.simotel.errors import InvalidField, MissingField, OperationFailed
from emulator.simotel.resources import find_by
from emulator.simotel.services.pbx import QUEUES

Change = Callable[[list[dict[str, Any]], dict[str, Any], dict[str, Any] | None], None]


def _add(members: list[dict[str, Any]], item: dict[str, Any], member: dict[str, Any] | None) -> None:
    if member is not None:
        raise OperationFailed()
    if not item.get("source"):
        raise MissingField("source")
    members.append(
        {
            "agent": str(item["agent"]),
            "source": str(item["source"]),
            "penalty": str(item.get("penalty", 0)),
            "paused": False,
        }
    )


def _pause(paused: bool) -> Change:
    def change(_members: list[dict[str, Any]], item: dict[str, Any], member: dict[str, Any] | None) -> None:
        if member is None:
            raise OperationFailed()
        member["paused"] = paused
        if paused and item.get("reason"):
            member["reason"] = str(item["reason"])
        elif not paused:
            member.pop("reason", None)

    return change


def _remove(members: list[dict[str, Any]], _item: dict[str, Any], member: dict[str, Any] | None) -> None:
    if member is None:
        raise OperationFailed()
    members.remove(member)


OPS: dict[str, tuple[Change, str]] = {
    "addagent": (_add, "Added successfully"),
    "pauseagent": (_pause(True), "Paused successfully"),
    "resumeagent": (_pause(False), "UnPaused successfully"),
    "removeagent": (_remove, "Removed successfully"),
}


def _apply(call: SimotelCall, op: str, item: dict[str, Any]) -> str:
    for name in ("queue", "agent"):
        if item.get(name) in (None, ""):
            raise MissingField(name)
    queue = find_by(call, QUEUES, "number", item["queue"])
    if queue is None:
        raise OperationFailed()
    members = queue.setdefault("agents", [])
    member = next((m for m in members if m.get("agent") == str(item["agent"])), None)
    change, message = OPS[op]
    change(members, item, member)
    return message


def single(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """``pbx/queues/<op>agent``: one (queue, agent) pair."""
    op = call.service.rsplit("/", 1)[-1]
    return {"message": _apply(call, op, call.params), "ok": 1}, ""


def batch(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """``pbx/queues/batch<op>agent``: every item of ``agents``, each answered on its own."""
    op = call.service.rsplit("/", 1)[-1].removeprefix("batch")
    items = call.params.get("agents")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidField("agents")
    answers = []
    for item in items:
        echo = {**item, "agents": item.get("agent")} if op == "addagent" else dict(item)
        try:
            answers.append({**echo, "message": _apply(call, op, item), "ok": 1})
        except (OperationFailed, MissingField) as exc:
            answers.append({**echo, "message": exc.message, "ok": 0})
    return {"Data": answers, "ok": int(all(answer["ok"] for answer in answers))}, ""


SERVICES = {
    **{f"pbx/queues/{op}": single for op in OPS},
    **{f"pbx/queues/batch{op}": batch for op in OPS},
}
