"""The task scheduler: CreateTask, UpdateTask, DeleteTask, GetTasks, GetTasksData, GetTasksLogs, and task runs.

An active task with a future run time has exactly one ``yemot.task`` event on the emulator's
scheduler; when it comes due the task runs its action (SendSMS and RunTzintuk go through the
API's own SendSms / RunTzintuk services, MoveOnFile moves a file in the IVR tree), writes a log
row and schedules its next run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from emulator.core.http import params as param_layer
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.yemot import ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    PARAM_ERRORS,
    MissingParameter,
    TaskNeverRuns,
    TaskNotFound,
    TooManyActiveTasks,
    YemotError,
)
from emulator.yemot.schedule import Pattern, days_text, next_run, parse_days
from emulator.yemot.services import caller_ids
from emulator.yemot.state import Task, TaskLogRow, YemotSystem
from emulator.yemot.timefmt import datetime_text

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

EVENT_KIND = "yemot.task"
MAX_ACTIVE = 10
DEFAULT_LIMIT = 100
TIME_FIELDS = ("minute", "hour", "day", "month", "year")
# The parameters each task type keeps in ``action_data``, and which of them are required.
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "SendSMS": (("callerId", "smsList", "smsMessage"), ("smsList", "smsMessage")),
    "RunTzintuk": (("callerId", "toList", "typeList"), ("toList",)),
    "MoveOnFile": (("folder", "target", "moveFileType", "blockMoveIfNewFileInMinutes"), ("folder", "target")),
}


# -- API methods -------------------------------------------------------------------------------------


def create_task(call: YemotCall) -> dict[str, Any]:
    """CreateTask: a new task of ``taskType``; scheduled at once when active."""
    system = call.require_system()
    params = call.params
    kind = params["taskType"]
    names, required = ACTIONS[kind]
    for name in required:
        if params.get(name) in (None, ""):
            raise MissingParameter(name)
    action = {name: params[name] for name in names if params.get(name) is not None}
    if kind in ("SendSMS", "RunTzintuk"):  # refused now rather than at every run
        action["callerId"] = caller_ids.resolve(system, params.get("callerId"), call.now)
    if kind == "RunTzintuk":
        action.setdefault("typeList", "tzl")
    if kind == "MoveOnFile":
        action.setdefault("moveFileType", "maxFile")
        for name in ("folder", "target"):
            ivrtree.canonical(action[name], name)
    task = Task(
        id=system.next_task_id,
        type=kind,
        description=params.get("description"),
        created=call.now,
        updated=call.now,
        create_by="API",
        action=action,
        active=bool(params.get("active", False)),
        send_mail_in_end=bool(params.get("mailInEnd", False)),
        send_mail_in_error=bool(params.get("mailInError", False)),
        check_is_kodesh=bool(params.get("checkIsKodesh", False)),
    )
    _set_schedule(task, params)
    if task.active and _active_count(system) >= MAX_ACTIVE:
        raise TooManyActiveTasks()
    _plan(call.emulator, system, task, call.now)
    system.next_task_id += 1
    system.tasks.append(task)
    return {"id": task.id, "jobId": task.id, "ActionData": _action_data(task)}


def update_task(call: YemotCall) -> dict[str, Any]:
    """UpdateTask: new run time (unsent fields = any), flags and description; type and action stay."""
    system = call.require_system()
    task = _find(system, call.params["TaskId"])
    params = call.params
    was_active = task.active
    changed = Task(**{**task.__dict__, "logs": task.logs})
    if params.get("description") is not None:
        changed.description = params["description"]
    for param, attr in (
        ("active", "active"),
        ("mailInEnd", "send_mail_in_end"),
        ("mailInError", "send_mail_in_error"),
        ("checkIsKodesh", "check_is_kodesh"),
    ):
        if params.get(param) is not None:
            setattr(changed, attr, bool(params[param]))
    _set_schedule(changed, params)
    if changed.active and not was_active and _active_count(system) >= MAX_ACTIVE:
        raise TooManyActiveTasks()
    changed.updated = call.now
    _plan(call.emulator, system, changed, call.now)
    task.__dict__.update(changed.__dict__)
    return {"status": True}


def delete_task(call: YemotCall) -> dict[str, Any]:
    """DeleteTask: ``status`` is the number of tasks deleted (0 for an unknown id)."""
    system = call.require_system()
    task_id = call.params["TaskId"]
    before = len(system.tasks)
    system.tasks = [task for task in system.tasks if task.id != task_id]
    _unschedule(call.emulator, system, task_id)
    return {"status": before - len(system.tasks)}


def get_tasks(call: YemotCall) -> dict[str, Any]:
    """GetTasks: summaries, oldest first, at most ``limit`` (default 100)."""
    system = call.require_system()
    limit = call.params.get("limit") or DEFAULT_LIMIT
    return {"tasks": [_summary(task) for task in system.tasks[:limit]]}


def get_tasks_data(call: YemotCall) -> dict[str, Any]:
    """GetTasksData: one task, flat, with the client's ``createBy`` and ``check_is_kodesh``."""
    task = _find(call.require_system(), call.params["TaskId"])
    return {
        **_summary(task),
        "updateTs": datetime_text(task.updated),
        "lastRun": None if task.last_run is None else datetime_text(task.last_run),
        **{name: getattr(task, name) for name in TIME_FIELDS},
        "days_of_week": days_text(task.days),
        "action_data": task.action,
        "createBy": task.create_by,
        "check_is_kodesh": int(task.check_is_kodesh),
    }


def get_tasks_logs(call: YemotCall) -> dict[str, Any]:
    """GetTasksLogs: one row per run of the task."""
    task = _find(call.require_system(), call.params["TaskId"])
    return {
        "logs": [
            {
                "id": row.id,
                "succeeded": int(row.succeeded),
                "error_message": row.error_message,
                "ts": datetime_text(row.time),
            }
            for row in task.logs
        ]
    }


# -- schedule ----------------------------------------------------------------------------------------


def _find(system: YemotSystem, task_id: int) -> Task:
    for task in system.tasks:
        if task.id == task_id:
            return task
    raise TaskNotFound()


def _active_count(system: YemotSystem) -> int:
    return sum(1 for task in system.tasks if task.active)


def _set_schedule(task: Task, params: dict[str, Any]) -> None:
    """Run-time fields not sent are "any" (CreateTask and UpdateTask alike, as documented)."""
    for name in TIME_FIELDS:
        setattr(task, name, params.get(name))
    days = None if params.get("ifAnyDay") else parse_days(params.get("days"))
    task.days = None if days is None else sorted(days)


def pattern_of(task: Task) -> Pattern:
    """The run-time pattern of ``task`` (Saturdays skipped when ``checkIsKodesh``)."""
    return Pattern(
        minute=task.minute,
        hour=task.hour,
        day=task.day,
        month=task.month,
        year=task.year,
        days=None if task.days is None else frozenset(task.days),
        skip_saturday=task.check_is_kodesh,
    )


def _plan(emulator: Emulator, system: YemotSystem, task: Task, now: float) -> None:
    """Compute ``next_run`` and keep exactly one scheduler event for an active task."""
    upcoming = next_run(pattern_of(task), now)
    if upcoming is None:
        raise TaskNeverRuns()
    task.next_run = upcoming
    _unschedule(emulator, system, task.id)
    if task.active:
        emulator.scheduler.at(upcoming, EVENT_KIND, {"system": system.number, "task": task.id, "due": upcoming})


def _unschedule(emulator: Emulator, system: YemotSystem, task_id: int) -> None:
    emulator.scheduler.cancel(
        lambda event: (
            event.kind == EVENT_KIND
            and event.payload.get("system") == system.number
            and event.payload.get("task") == task_id
        )
    )


def _flag(value: bool) -> int:
    return 1 if value else 0


def _summary(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "description": task.description or "",
        "type": task.type,
        "createTs": datetime_text(task.created),
        "status": task.status,
        "active": _flag(task.active),
        "sendMailInEnd": _flag(task.send_mail_in_end),
        "sendMailInError": _flag(task.send_mail_in_error),
        "nextRun": datetime_text(task.next_run if task.next_run is not None else task.created),
    }


def _action_data(task: Task) -> dict[str, Any]:
    return {
        **{name: getattr(task, name) for name in TIME_FIELDS},
        "days_of_week": days_text(task.days),
        "action_data": task.action,
        "description": task.description,
        "active": _flag(task.active),
        "sendMailInEnd": _flag(task.send_mail_in_end),
        "sendMailInError": _flag(task.send_mail_in_error),
        "checkIsKodesh": _flag(task.check_is_kodesh),
    }


# -- runs --------------------------------------------------------------------------------------------


def run_due_task(emulator: Emulator, event: ScheduledEvent) -> None:
    """Scheduler handler: run the task, log the outcome, plan the next run (stale events do nothing)."""
    system = emulator.world.yemot.systems.get(event.payload.get("system", ""))
    task = None
    if system is not None:
        task = next((t for t in system.tasks if t.id == event.payload.get("task")), None)
    if system is None or task is None or not task.active or task.next_run != event.payload.get("due"):
        return
    now = emulator.clock.now()
    try:
        _RUNNERS[task.type](emulator, system, task)
        ok, error = True, None
    except YemotError as exc:
        ok, error = False, exc.message
    task.logs.append(TaskLogRow(id=len(task.logs) + 1, time=now, succeeded=ok, error_message=error))
    task.last_run = now
    task.status = "OK" if ok else "ERROR"
    upcoming = next_run(pattern_of(task), now)
    if upcoming is None:  # no minute left: the task is done and shows its last run as the next one
        task.active, task.status, task.next_run = False, "FINISHED", now
        return
    task.next_run = upcoming
    emulator.scheduler.at(upcoming, EVENT_KIND, {"system": system.number, "task": task.id, "due": upcoming})


def _invoke(emulator: Emulator, system: YemotSystem, method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Run an API method as ``system`` would over the wire (same coercion, validation and service)."""
    service = _METHODS.get(method)
    operation = emulator.contracts["yemot"].get(method)
    if service is None or operation is None:
        raise YemotError(f"{method} is not available in this emulator")
    params = param_layer.coerce(operation, raw)
    PARAM_ERRORS.check(operation, params)
    result = service(YemotCall(emulator=emulator, params=params, client_ip="task", system=system))
    return result if isinstance(result, dict) else {}


def _run_send_sms(emulator: Emulator, system: YemotSystem, task: Task) -> None:
    action = task.action
    _invoke(
        emulator,
        system,
        "SendSms",
        {"phones": f"tpl:{action['smsList']}", "message": action["smsMessage"], "from": action.get("callerId")},
    )


def _run_tzintuk(emulator: Emulator, system: YemotSystem, task: Task) -> None:
    action = task.action
    phones = f"{action.get('typeList', 'tzl')}:{action['toList']}"
    _invoke(emulator, system, "RunTzintuk", {"phones": phones, "callerId": action.get("callerId")})


def _run_move_on_file(emulator: Emulator, system: YemotSystem, task: Task) -> None:
    action = task.action
    ivrtree.move_numbered_file(
        system,
        source=ivrtree.canonical(action["folder"], "folder"),
        target=ivrtree.canonical(action["target"], "target"),
        newest=action.get("moveFileType", "maxFile") == "maxFile",
        block_minutes=action.get("blockMoveIfNewFileInMinutes"),
        now=emulator.clock.now(),
    )


_RUNNERS = {"SendSMS": _run_send_sms, "RunTzintuk": _run_tzintuk, "MoveOnFile": _run_move_on_file}


_METHODS: dict[str, Callable[[YemotCall], Any]] = {}
"""The API's method table, handed over by ``install`` (the table itself lists this module's methods)."""


def install(emulator: Emulator, methods: Mapping[str, Callable[[YemotCall], Any]]) -> None:
    """Register the task-run event kind on a new runtime; tasks run ``methods`` by name."""
    _METHODS.update(methods)
    emulator.scheduler.register(EVENT_KIND, lambda event: run_due_task(emulator, event))
