"""QueueManagement and QueueCallBack, and simulated callers waiting in GetQueueRealTime."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, VERSION, api, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def wait_in_queue(emulator, caller="0501234567"):
    response = emulator.admin.post(f"yemot/systems/{SYSTEM}/calls", json={"from": caller, "path": "/3"})
    return response.json()["api_call_id"]


def test_simulated_callers_wait_after_the_fixture_rows(emulator):
    first = wait_in_queue(emulator)
    emulator.advance(30)
    second = wait_in_queue(emulator, "0501234568")
    emulator.advance(5)
    body = ok(api(emulator, "GetQueueRealTime", queuePath="/3"))
    assert body["queueData"]["Calls"] == 4
    assert body["entries"][2:] == [
        {"phone": "0501234567", "Wait": 35, "WaitAgo": "35 שניות", "Position": 3, "CallId": first},
        {"phone": "0501234568", "Wait": 5, "WaitAgo": "5 שניות", "Position": 4, "CallId": second},
    ]


def test_kick_hangs_up_or_sends_to_more_data_and_reports_each_id(emulator):
    gone, moved = wait_in_queue(emulator), wait_in_queue(emulator, "0501234568")
    body = api(emulator, "QueueManagement", queuePath="/3", action="kick", callIds=[gone, "805c1b2e-queue-0001", "x"])
    assert body == {
        "responseStatus": "OK",
        "status": {gone: "OK", "805c1b2e-queue-0001": "OK", "x": "Call not found"},
        **VERSION,
    }
    ok(api(emulator, "QueueManagement", queuePath="/3", action="kick", callIds=[moved], moreData="GOTO:/1"))
    calls = ok(api(emulator, "GetIncomingCalls"))["calls"]
    assert [(c["id"], c["path"]) for c in calls] == [(moved, "/1")]
    entries = ok(api(emulator, "GetQueueRealTime", queuePath="/3"))["entries"]
    assert [entry["CallId"] for entry in entries] == ["f665a0d4-queue-0002"]
    again = ok(api(emulator, "QueueManagement", queuePath="/3", action="kick", callIds=[moved]))
    assert again["status"] == {moved: "Call not found"}  # no longer waiting in this queue


def test_kick_over_a_form_post_takes_a_colon_list(emulator):
    caller = wait_in_queue(emulator)
    body = emulator.yemot.post(
        "QueueManagement",
        data={"token": emulator.yemot_token, "queuePath": ".", "action": "kick", "callIds": caller},
    ).json()
    error(body, "queuePath is not a queue extension")
    body = emulator.yemot.post(
        "QueueManagement",
        data={"token": emulator.yemot_token, "queuePath": "/3", "action": "kick", "callIds": f"{caller}:y"},
    ).json()
    assert ok(body)["status"] == {caller: "OK", "y": "Call not found"}


def test_pause_and_unpause_an_agent(emulator):
    ok(api(emulator, "QueueManagement", queuePath="/3", action="pause", agent="0527777711"))
    members = ok(api(emulator, "GetQueueRealTime", queuePath="/3"))["members"]
    assert [m["Paused"] for m in members] == [True, True]
    assert api(emulator, "QueueManagement", queuePath="/3", action="unpause", agent="0527777712") == {
        "responseStatus": "OK",
        **VERSION,
    }
    members = ok(api(emulator, "GetQueueRealTime", queuePath="/3"))["members"]
    assert [m["Paused"] for m in members] == [True, False]


@pytest.mark.parametrize(
    ("params", "message", "status"),
    [
        ({"action": "pause"}, "missing required parameter 'agent'", "ERROR"),
        ({"action": "pause", "agent": "0500000000"}, "agent is not a member of the queue", "ERROR"),
        ({"action": "transfer"}, "bad action", "EXCEPTION"),
    ],
)
def test_queue_management_refusals(emulator, params, message, status):
    error(api(emulator, "QueueManagement", queuePath="/3", **params), message, status)


def test_queue_call_back_lists_and_removes(emulator):
    queues = api(emulator, "QueueCallBack", action="getQueues")
    assert queues == {
        "responseStatus": "OK",
        "callbackList": [
            {
                "id": 7,
                "path": "/3",
                "queue_path": "/3",
                "caller_id": SYSTEM,
                "callback_times": "09:00-18:00",
                "max_waiting_time": 600,
                "max_waiting_customers": 20,
                "waiting_customers": 2,
                "open": True,
            }
        ],
        **VERSION,
    }
    rows = ok(
        emulator.yemot.get(
            "QueueCallBack", params={"token": emulator.yemot_token, "action": "getList", "id": "7"}
        ).json()
    )
    assert rows["callbackList"][0] == {
        "id": 71,
        "calling_number": "0527777751",
        "status": "WAITING",
        "date_time": "2026-01-01 01:50:00",
        "attempts": 0,
        "last_attempt": None,
    }
    ok(api(emulator, "QueueCallBack", action="removeNumber", id=71))
    assert [row["id"] for row in ok(api(emulator, "QueueCallBack", action="getList", id=7))["callbackList"]] == [72]
    assert ok(api(emulator, "QueueCallBack", action="getQueues"))["callbackList"][0]["waiting_customers"] == 1


@pytest.mark.parametrize(
    ("params", "message", "status"),
    [
        ({"action": "getList"}, "missing required parameter 'id'", "ERROR"),
        ({"action": "getList", "id": 8}, "id not found", "ERROR"),
        ({"action": "removeNumber", "id": 7}, "id not found", "ERROR"),
        ({"action": "other"}, "bad action", "EXCEPTION"),
    ],
)
def test_queue_call_back_refusals(emulator, params, message, status):
    error(api(emulator, "QueueCallBack", **params), message, status)
