"""Queue agents: add / pause / resume / remove, single and batch, visible in queue and user search."""

from __future__ import annotations

import pytest
from simotel_wire import ok

FAILED = "Requested operation failed"


def _members(emulator, number="501"):
    body = {"alike": "false", "conditions": {"number": number}}
    (queue,) = ok(emulator, "pbx/queues/search", body)["data"]
    return {member["agent"]: member for member in queue["agents"]}


@pytest.mark.parametrize(
    ("op", "body", "message"),
    [
        ("addagent", {"queue": "501", "source": "103", "agent": "103", "penalty": "1"}, "Added successfully"),
        ("pauseagent", {"queue": "500", "agent": "101"}, "Paused successfully"),
        ("resumeagent", {"queue": "500", "agent": "101"}, "UnPaused successfully"),
        ("removeagent", {"queue": "500", "agent": "101"}, "Removed successfully"),
    ],
)
def test_agent_op_answers_documented_message_in_data(emulator, op, body, message):
    payload = ok(emulator, f"pbx/queues/{op}", body)
    assert payload == {"success": 1, "message": "", "data": {"message": message, "ok": 1}}


def test_addagent_member_is_visible_in_queue_and_user_search(emulator):
    ok(emulator, "pbx/queues/addagent", {"queue": "501", "source": "103", "agent": "103", "penalty": 2})
    assert _members(emulator)["103"] == {"agent": "103", "source": "103", "penalty": "2", "paused": False}
    (user,) = ok(emulator, "pbx/users/search", {"alike": "false", "conditions": {"number": "103"}})["data"]
    assert user["queues"] == ["501"]


def test_pause_then_resume_toggles_paused(emulator):
    ok(emulator, "pbx/queues/pauseagent", {"queue": "500", "agent": "102"})
    assert _members(emulator, "500")["102"]["paused"] is True
    ok(emulator, "pbx/queues/resumeagent", {"queue": "500", "agent": "102"})
    assert _members(emulator, "500")["102"]["paused"] is False


def test_removeagent_drops_membership(emulator):
    ok(emulator, "pbx/queues/removeagent", {"queue": "500", "agent": "102"})
    assert "102" not in _members(emulator, "500")


@pytest.mark.parametrize(
    ("op", "body"),
    [
        ("addagent", {"queue": "999", "source": "103", "agent": "103"}),
        ("addagent", {"queue": "500", "source": "101", "agent": "101"}),
        ("pauseagent", {"queue": "501", "agent": "101"}),
        ("removeagent", {"queue": "501", "agent": "101"}),
    ],
    ids=["unknown-queue", "already-member", "pause-non-member", "remove-non-member"],
)
def test_agent_op_refused_answers_operation_failed(emulator, op, body):
    payload = emulator.simotel.post(f"pbx/queues/{op}", json=body).json()
    assert payload == {"success": 0, "message": FAILED, "data": None}


def test_addagent_without_source_is_missing_field(emulator):
    emulator.simotel_settings(strict=True)
    payload = emulator.simotel.post("pbx/queues/addagent", json={"queue": "501", "agent": "103"}).json()
    assert payload == {"success": 0, "message": "Field 'source':value is missing", "data": None}


def test_batchaddagent_answers_each_item_under_capital_data(emulator):
    agents = [{"queue": "501", "source": "103", "agent": "103", "penalty": "0"},
              {"queue": "501", "source": "104", "agent": "104", "penalty": "1"}]  # fmt: skip
    payload = ok(emulator, "pbx/queues/batchaddagent", {"agents": agents})
    assert payload["message"] == ""
    assert payload["data"] == {
        # the agent echoed under ``agents`` as the current documentation writes it, and ``agent`` as before
        "Data": [{**agent, "agents": agent["agent"], "message": "Added successfully", "ok": 1} for agent in agents],
        "ok": 1,
    }
    assert set(_members(emulator)) == {"103", "104"}


@pytest.mark.parametrize(
    ("op", "message"),
    [("batchpauseagent", "Paused successfully"), ("batchresumeagent", "UnPaused successfully"),
     ("batchremoveagent", "Removed successfully")],
)  # fmt: skip
def test_batch_op_answers_each_item(emulator, op, message):
    agents = [{"queue": "500", "agent": "101"}, {"queue": "500", "agent": "102"}]
    payload = ok(emulator, f"pbx/queues/{op}", {"agents": agents})
    assert payload["data"] == {"Data": [{**agent, "message": message, "ok": 1} for agent in agents], "ok": 1}


def test_batch_with_refused_item_marks_it_and_the_batch_not_ok(emulator):
    agents = [{"queue": "500", "agent": "101"}, {"queue": "500", "agent": "999"}]
    payload = ok(emulator, "pbx/queues/batchpauseagent", {"agents": agents})
    assert [item["ok"] for item in payload["data"]["Data"]] == [1, 0]
    assert payload["data"]["Data"][1]["message"] == FAILED
    assert payload["data"]["ok"] == 0
    assert _members(emulator, "500")["101"]["paused"] is True
