"""Task scheduler over the wire: CreateTask/UpdateTask/DeleteTask/GetTasks/GetTasksData/GetTasksLogs and real runs."""

from __future__ import annotations

import pytest
from yemot_wire import api

SUNDAY_10_00 = "2026-03-01T08:00:00Z"  # Sunday 1 March 2026, 10:00 in Israel (UTC+2)
MOVE = {"taskType": "MoveOnFile", "folder": "ivr2:/2", "target": "ivr2:/4"}


def create(emulator, **params):
    body = api(emulator, "CreateTask", **{**MOVE, **params})
    assert body["responseStatus"] == "OK", body
    return body


def next_run(emulator, task_id: int) -> str:
    return api(emulator, "GetTasksData", TaskId=task_id)["nextRun"]


@pytest.fixture
def frozen(emulator):
    emulator.freeze(SUNDAY_10_00)
    return emulator


def test_create_task_returns_job_id_and_action_data(frozen):
    body = create(frozen, description="move", hour=10, minute=30, active=1)
    assert body["id"] == body["jobId"] == 1
    assert body["ActionData"] == {
        "minute": 30,
        "hour": 10,
        "day": None,
        "month": None,
        "year": None,
        "days_of_week": None,
        "action_data": {"folder": "ivr2:/2", "target": "ivr2:/4", "moveFileType": "maxFile"},
        "description": "move",
        "active": 1,
        "sendMailInEnd": 0,
        "sendMailInError": 0,
        "checkIsKodesh": 0,
    }


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"hour": 10, "minute": 30}, "2026-03-01 10:30:00"),
        ({"hour": 9}, "2026-03-02 09:00:00"),
        ({"minute": 5}, "2026-03-01 10:05:00"),
        ({}, "2026-03-01 10:01:00"),
        ({"day": 15, "hour": 8, "minute": 0}, "2026-03-15 08:00:00"),
        ({"month": 2, "day": 29, "hour": 0, "minute": 0}, "2028-02-29 00:00:00"),
        ({"year": 2027, "month": 1, "day": 1, "hour": 0, "minute": 0}, "2027-01-01 00:00:00"),
        ({"hour": 10, "minute": 0, "days": '{"0":0,"1":0,"2":1,"3":0,"4":0,"5":0,"6":0}'}, "2026-03-03 10:00:00"),
        ({"hour": 10, "minute": 0, "days": '{"2":1}', "ifAnyDay": 1}, "2026-03-02 10:00:00"),
        ({"hour": 10, "minute": 0, "days": "not json"}, "2026-03-02 10:00:00"),
    ],
)
def test_create_task_next_run_is_the_next_matching_minute_in_israel_time(frozen, schedule, expected):
    body = create(frozen, **schedule)
    assert next_run(frozen, body["jobId"]) == expected


def test_create_task_days_are_shown_as_a_comma_list(frozen):
    body = create(frozen, days={"0": 1, "2": 1, "3": 1})
    assert body["ActionData"]["days_of_week"] == "0,2,3"
    assert api(frozen, "GetTasksData", TaskId=body["jobId"])["days_of_week"] == "0,2,3"


def test_create_task_check_is_kodesh_skips_saturday(frozen):
    frozen.freeze("2026-03-06T09:00:00Z")  # Friday 11:00 in Israel
    plain = create(frozen, hour=10, minute=0)
    kodesh = create(frozen, hour=10, minute=0, checkIsKodesh=1)
    assert next_run(frozen, plain["jobId"]) == "2026-03-07 10:00:00"
    assert next_run(frozen, kodesh["jobId"]) == "2026-03-08 10:00:00"
    assert api(frozen, "GetTasksData", TaskId=kodesh["jobId"])["check_is_kodesh"] == 1


def test_create_task_with_no_future_run_is_refused(frozen):
    body = api(frozen, "CreateTask", **MOVE, year=2025)
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "The task has no future run time"


def test_create_task_missing_action_parameter_is_refused(frozen):
    body = api(frozen, "CreateTask", taskType="SendSMS", smsList="1")
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "missing required parameter 'smsMessage'"


def test_create_task_unknown_type_is_refused(frozen):
    body = api(frozen, "CreateTask", taskType="Reboot")
    assert body["responseStatus"] == "ERROR"
    assert body["message"].startswith("invalid value for parameter 'taskType'")


def test_create_task_eleventh_active_task_is_refused(frozen):
    for _ in range(10):
        create(frozen, active=1)
    create(frozen, active=0)
    body = api(frozen, "CreateTask", **MOVE, active=1)
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "You can not have more than 10 active tasks"
    assert len(api(frozen, "GetTasks")["tasks"]) == 11


def test_update_task_reactivating_past_the_cap_is_refused(frozen):
    for _ in range(10):
        create(frozen, active=1)
    spare = create(frozen, active=0)["jobId"]
    body = api(frozen, "UpdateTask", TaskId=spare, active=1)
    assert (body["responseStatus"], body["message"]) == ("ERROR", "You can not have more than 10 active tasks")
    api(frozen, "UpdateTask", TaskId=1, active=0)
    assert api(frozen, "UpdateTask", TaskId=spare, active=1) == {
        "responseStatus": "OK",
        "status": True,
        "yemotAPIVersion": 6,
        "yAfastVersion": "6.6.156",
    }


def test_update_task_replaces_the_whole_run_time(frozen):
    task = create(frozen, description="d", hour=10, minute=30, active=1)["jobId"]
    api(frozen, "UpdateTask", TaskId=task, hour=12)
    data = api(frozen, "GetTasksData", TaskId=task)
    assert (data["hour"], data["minute"], data["description"], data["active"]) == (12, None, "d", 1)
    assert data["nextRun"] == "2026-03-01 12:00:00"


@pytest.mark.parametrize("method", ["UpdateTask", "GetTasksData", "GetTasksLogs"])
def test_task_methods_unknown_task_id_is_refused(frozen, method):
    body = api(frozen, method, TaskId=99)
    assert (body["responseStatus"], body["message"]) == ("ERROR", "TaskId not found")


def test_delete_task_reports_the_number_deleted(frozen):
    task = create(frozen)["jobId"]
    assert api(frozen, "DeleteTask", TaskId=task)["status"] == 1
    assert api(frozen, "DeleteTask", TaskId=task)["status"] == 0
    assert api(frozen, "GetTasks")["tasks"] == []


def test_get_tasks_lists_summaries_and_honours_limit(frozen):
    for n in range(3):
        create(frozen, description=f"t{n}")
    tasks = api(frozen, "GetTasks", limit=2)["tasks"]
    assert [t["description"] for t in tasks] == ["t0", "t1"]
    assert set(tasks[0]) == {
        "id",
        "description",
        "type",
        "createTs",
        "status",
        "active",
        "sendMailInEnd",
        "sendMailInError",
        "nextRun",
    }
    assert tasks[0]["type"] == "MoveOnFile" and tasks[0]["status"] == "WAITING"


def test_get_tasks_data_has_every_documented_and_client_field(frozen):
    data = api(frozen, "GetTasksData", TaskId=create(frozen, mailInEnd=1)["jobId"])
    for name in ("updateTs", "lastRun", "minute", "hour", "year", "day", "month", "days_of_week", "action_data"):
        assert name in data
    assert data["createBy"] == "API" and data["check_is_kodesh"] == 0 and data["sendMailInEnd"] == 1


def test_due_move_on_file_task_runs_on_the_clock_and_logs(frozen):
    task = create(frozen, hour=10, minute=30, active=1)["jobId"]
    frozen.advance(30 * 60)
    logs = api(frozen, "GetTasksLogs", TaskId=task)["logs"]
    assert logs == [{"id": 1, "succeeded": 1, "error_message": None, "ts": "2026-03-01 10:30:00"}]
    assert api(frozen, "CheckIfFileExists", path="ivr2:/4/000.wav")["fileExists"] is True
    assert api(frozen, "CheckIfFileExists", path="ivr2:/2/001.wav")["fileExists"] is False
    data = api(frozen, "GetTasksData", TaskId=task)
    assert (data["status"], data["lastRun"], data["nextRun"]) == ("OK", "2026-03-01 10:30:00", "2026-03-02 10:30:00")


def test_due_task_with_min_file_moves_the_lowest_number(frozen):
    create(frozen, minute=1, active=1, moveFileType="minFile")
    frozen.advance(60)
    assert api(frozen, "CheckIfFileExists", path="ivr2:/2/000.wav")["fileExists"] is False
    assert api(frozen, "CheckIfFileExists", path="ivr2:/2/001.wav")["fileExists"] is True


def test_due_task_that_fails_logs_the_error(frozen):
    task = create(frozen, folder="ivr2:/9", minute=1, active=1)["jobId"]
    frozen.advance(60)
    logs = api(frozen, "GetTasksLogs", TaskId=task)["logs"]
    assert [(row["succeeded"], row["error_message"]) for row in logs] == [(0, "No file to move in folder")]
    assert api(frozen, "GetTasksData", TaskId=task)["status"] == "ERROR"


def test_due_task_block_move_if_new_file_in_target(frozen):
    first = create(frozen, minute=1, active=1)["jobId"]
    frozen.advance(60)
    second = create(frozen, minute=3, active=1, blockMoveIfNewFileInMinutes=10)["jobId"]
    frozen.advance(120)
    assert api(frozen, "GetTasksLogs", TaskId=first)["logs"][0]["succeeded"] == 1
    assert (
        api(frozen, "GetTasksLogs", TaskId=second)["logs"][0]["error_message"]
        == "A new file exists in the target folder"
    )


def test_inactive_and_deleted_tasks_do_not_run(frozen):
    inactive = create(frozen, minute=1, active=0)["jobId"]
    deleted = create(frozen, minute=1, active=1)["jobId"]
    api(frozen, "DeleteTask", TaskId=deleted)
    frozen.advance(120)
    assert api(frozen, "GetTasksLogs", TaskId=inactive)["logs"] == []
    assert api(frozen, "CheckIfFileExists", path="ivr2:/2/001.wav")["fileExists"] is True


def test_one_shot_task_finishes_after_its_only_run(frozen):
    task = create(frozen, year=2026, month=3, day=1, hour=10, minute=5, active=1)["jobId"]
    frozen.advance(10 * 60)
    data = api(frozen, "GetTasksData", TaskId=task)
    assert (data["status"], data["active"], data["nextRun"]) == ("FINISHED", 0, "2026-03-01 10:05:00")


def test_send_sms_task_runs_send_sms_on_the_distribution_list(frozen):
    task = create(frozen, taskType="SendSMS", smsList="3", smsMessage="hello", minute=1, active=1)["jobId"]
    frozen.advance(60)
    logs = api(frozen, "GetTasksLogs", TaskId=task)["logs"]
    assert logs == [{"id": 1, "succeeded": 1, "error_message": None, "ts": "2026-03-01 10:01:00"}]
    sent = api(frozen, "GetSmsOutLog", limit=2)["rows"]
    assert {row["To"] for row in sent} == {"0527777741", "0527777742"}
    assert {row["Message"] for row in sent} == {"hello"}


def test_send_sms_task_on_a_missing_list_logs_send_sms_refusal(frozen):
    task = create(frozen, taskType="SendSMS", smsList="404", smsMessage="hello", minute=1, active=1)["jobId"]
    frozen.advance(60)
    logs = api(frozen, "GetTasksLogs", TaskId=task)["logs"]
    refusal = api(frozen, "SendSms", phones="tpl:404", message="hello")["message"]
    assert [(row["succeeded"], row["error_message"]) for row in logs] == [(0, refusal)]


def test_run_tzintuk_task_runs_on_a_free_list(frozen):
    task = create(frozen, taskType="RunTzintuk", toList="120", typeList="tzl", minute=1, active=1)["jobId"]
    frozen.advance(60)
    assert api(frozen, "GetTasksLogs", TaskId=task)["logs"][0]["succeeded"] == 1
    assert {call["to"] for call in frozen.calls(kind="tzintuk")} == {"0527777731", "0527777732"}


def test_task_schedule_survives_snapshot_and_restore(frozen):
    task = create(frozen, minute=5, active=1)["jobId"]
    snapshot = frozen.control("GET", "snapshot")
    frozen.control("POST", "reset")
    frozen.control("POST", "restore", json=snapshot)
    frozen.advance(10 * 60)
    assert [row["succeeded"] for row in api(frozen, "GetTasksLogs", TaskId=task)["logs"]] == [1]


def test_get_tasks_limit_sent_as_json_float_counts_as_an_integer(frozen):
    create(frozen)
    create(frozen)
    assert len(api(frozen, "GetTasks", limit=1.0)["tasks"]) == 1


def test_create_task_unapproved_caller_id_is_refused(frozen):
    body = api(frozen, "CreateTask", taskType="SendSMS", smsList="3", smsMessage="hi", callerId="0529999999")
    assert (body["responseStatus"], body["message"]) == ("ERROR", "callerId 0529999999 is not approved in this system")
