"""Live calls: GetIncomingCalls, GetCallsStatus, CallAction, CallManager and CallExtensionBridging."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, VERSION, api, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def ring(emulator, caller="0501234567", **body):
    """A simulated inbound call; the control plane's answer."""
    response = emulator.admin.post(f"yemot/systems/{SYSTEM}/calls", json={"from": caller, **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_list_move_hang_up_and_gone(emulator):
    call = ring(emulator, path="/1")
    emulator.advance(12)
    listed = api(emulator, "GetIncomingCalls")
    assert listed == {
        "responseStatus": "OK",
        "callsCount": 1,
        "calls": [
            {
                "did": SYSTEM,
                "callerIdNum": "0501234567",
                "duration": 12,
                "transferFrom": None,
                "id": call["api_call_id"],
                "path": "/1",
            }
        ],
        **VERSION,
    }
    moved = ok(api(emulator, "CallAction", ids=call["api_call_id"], action="set:GOasap=/2"))
    assert (moved["action"], moved["callsCount"], moved["calls"][0]["path"]) == ("set:GOasap=/2", 1, "/2")
    assert ok(api(emulator, "GetIncomingCalls"))["calls"][0]["path"] == "/2"
    assert emulator.admin.get(f"calls/{call['id']}").json()["yemot"]["path"] == "/2"
    hung = api(emulator, "CallManager", calls=call["api_call_id"], action="hangup")
    assert hung == {"responseStatus": "OK", "callOK": 1, "callIdOK": [call["api_call_id"]], **VERSION}
    assert ok(api(emulator, "GetIncomingCalls"))["calls"] == []
    assert ok(api(emulator, "GetCallsStatus"))["calls"] == []
    assert emulator.admin.get(f"calls/{call['id']}").json()["state"] == "ended"


def test_get_calls_status_shows_status_start_and_extension_title(emulator):
    first = ring(emulator, path="ivr2:/1")
    emulator.advance(5)
    second = ring(emulator, "0501234568", path="/3")
    emulator.advance(2)
    body = ok(api(emulator, "GetCallsStatus"))
    assert (body["mainDid"], body["callsCount"]) == (SYSTEM, 2)
    assert body["calls"][0] == {
        "callId": first["api_call_id"],
        "callTime": 7,
        "updateStamp": 1773136800,
        "callData": {
            "status": "IN_IVR",
            "callerIdNum": "0501234567",
            "callerIdname": "",
            "startTime": 1773136800,
            "startTimeDate": "2026-03-10 12:00:00",
            "path": "/1",
            "pathTitle": "שלוחה 1",
            "enterID": "",
            "enterIDName": "",
        },
    }
    assert body["calls"][1]["callId"] == second["api_call_id"]
    assert (body["calls"][1]["callData"]["status"], body["calls"][1]["callTime"]) == ("IN_QUEUE", 2)


def test_conference_actions_change_the_room_state(emulator):
    calls = [ring(emulator), ring(emulator, "0501234568")]
    ids = ":".join(call["api_call_id"] for call in calls)
    for action in ("mute", "raisehand", "path:add:speaker", "set:ConfbridgeNewGoto=/5", "action=set:Clanguage=en"):
        assert ok(api(emulator, "CallAction", ids=ids, action=action))["callsCount"] == 2
    shown = emulator.admin.get(f"calls/{calls[0]['id']}").json()["yemot"]
    assert (shown["muted"], shown["hand_raised"], shown["room_data"], shown["language"]) == (
        True,
        True,
        ["speaker"],
        "en",
    )
    assert emulator.runtime.world.yemot.systems[SYSTEM].live_calls[calls[0]["api_call_id"]].room_goto == "/5"
    for action in ("unmute", "lowerhand", "path:remove:speaker"):
        ok(api(emulator, "CallAction", ids=ids, action=action))
    shown = emulator.admin.get(f"calls/{calls[1]['id']}").json()["yemot"]
    assert (shown["muted"], shown["hand_raised"], shown["room_data"]) == (False, False, [])


def test_kick_takes_the_caller_out_and_unknown_ids_are_skipped(emulator):
    call = ring(emulator)
    body = ok(api(emulator, "CallAction", ids=f"{call['api_call_id']}:{'0' * 40}", action="kick"))
    assert (body["callsCount"], [c["id"] for c in body["calls"]]) == (1, [call["api_call_id"]])
    assert ok(api(emulator, "GetIncomingCalls"))["callsCount"] == 0


@pytest.mark.parametrize("action", ["dance", "set:GOasap=", "set:GOasap=/../x"])
def test_unsupported_call_actions_are_refused(emulator, action):
    call = ring(emulator)
    error(api(emulator, "CallAction", ids=call["api_call_id"], action=action), f"action {action} is not supported")


def test_call_manager_refusals(emulator):
    error(api(emulator, "CallManager", calls="x", action="transfer"), "bad action", "EXCEPTION")
    error(api(emulator, "CallManager", action="hangup"), "missing required parameter 'calls'")
    assert ok(api(emulator, "CallManager", calls="nope,other", action="hangup"))["callIdOK"] == []


def test_ended_inbound_call_counts_in_get_incoming_sum(emulator):
    before = ok(api(emulator, "GetIncomingSum", **{"from": "2026-03-10", "to": "2026-03-10"}))["direct"]
    ring(emulator, hangup_after_s=180)
    emulator.advance(200)
    after = ok(api(emulator, "GetIncomingSum", **{"from": "2026-03-10", "to": "2026-03-10"}))["direct"]
    assert after == before + 3


# -- CallExtensionBridging ------------------------------------------------------------------------------


def test_extension_bridging_drops_the_answered_callee_into_the_extension(emulator):
    body = api(emulator, "CallExtensionBridging", phones="0521234567:0521234903:abc", ivrPath="ivr2:/1")
    assert body == {
        "responseStatus": "OK",
        "module": "CallExtensionBridging",
        "callerId": SYSTEM,
        "callsCount": 1,
        "bilingPerCall": 0.1,
        "errors": {"0521234903": "blocked", "abc": "notValid"},
        "callsTimeout": 30,
        "campaignId": body["campaignId"],
        **VERSION,
    }
    assert body["campaignId"].startswith("YA-")
    assert ok(api(emulator, "GetIncomingCalls"))["calls"] == []  # still ringing
    emulator.advance(5)
    calls = ok(api(emulator, "GetIncomingCalls"))["calls"]
    assert [(c["callerIdNum"], c["did"], c["path"]) for c in calls] == [("0521234567", SYSTEM, "/1")]
    emulator.advance(20)
    assert ok(api(emulator, "GetIncomingCalls"))["calls"] == []
    rows = ok(api(emulator, "GetTransactions", limit=2))["transactions"]
    assert [(row["amount"], row["campaignId"]) for row in rows] == [
        (-0.3333, body["campaignId"]),
        (-0.1, body["campaignId"]),
    ]


def test_extension_bridging_rings_at_most_35_seconds_and_defaults_to_the_root(emulator):
    emulator.set_phone("0521234567", outcome="answered", ring_s=2, talk_s=60)
    body = ok(api(emulator, "CallExtensionBridging", phones=["0521234567"], callsTimeOut=90))
    assert body["callsTimeout"] == 35
    emulator.advance(3)
    assert ok(api(emulator, "GetIncomingCalls"))["calls"][0]["path"] == "/"


def test_extension_bridging_without_valid_phones_is_refused(emulator):
    body = api(emulator, "CallExtensionBridging", phones="123")
    error({k: body[k] for k in ("responseStatus", "message")}, "No valid phones")
    assert body["errors"] == {"123": "notValid"}
