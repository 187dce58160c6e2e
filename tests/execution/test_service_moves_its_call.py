"""A service that moves its own call through the REST API while the call waits for its answer.

The service lists the system's calls (GetIncomingCalls), finds its caller and sends it elsewhere
(CallAction ``set:GOasap=/6``) before it answers: the call goes on from the move, the late answer
is dropped, and the hang-up request names the folder the call ended in. Frozen and running clock.
"""

from __future__ import annotations

import time

import httpx
import pytest
from execution_helpers import START, SYSTEM, TOKEN, yemot_fixture

from emulator.testing.receiver import Hit, Receiver


def _mover(server, seen: list) -> Receiver:
    def respond(hit: Hit) -> str:
        if hit.query.get("hangup") == "yes":
            seen.append(("hangup", hit.query.get("ApiHangupExtension")))
            return "noop"
        listed = httpx.get(server.yemot + "GetIncomingCalls", params={"token": TOKEN}, timeout=5).json()
        ids = [call["id"] for call in listed["calls"] if call["callerIdNum"] == hit.query["ApiPhone"]]
        moved = httpx.post(server.yemot + "CallAction", data={"token": TOKEN, "ids": ":".join(ids),
                           "action": "set:GOasap=/6"}, timeout=5).json()  # fmt: skip
        seen.append(("moved", ids == [hit.query["ApiCallId"]], [call["path"] for call in moved["calls"]]))
        return "id_list_message=t-too late&go_to_folder=hangup"

    return Receiver(respond=respond)


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "running"])
def test_a_service_that_moves_its_own_call_mid_exchange(server, frozen):
    seen: list = []
    with _mover(server, seen) as service:
        tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\n",
                "6/ext.ini": "type=hangup\n"}  # fmt: skip
        server.load_fixture(yemot_fixture(tree))
        if frozen:
            server.freeze(START)
        body = {"from": "0501234567", "path": "/5", "keys": []}
        call_id = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]
        if frozen:
            server.advance(60)
        deadline = time.monotonic() + 5
        while (view := server.control("GET", f"calls/{call_id}"))["state"] != "ended":
            assert time.monotonic() < deadline, view
            time.sleep(0.02)
        service.wait_for(2, timeout=5)
    assert seen == [("moved", True, ["/6"]), ("hangup", "6")]
    gotos = [(entry["to"], entry["reason"]) for entry in view["transcript"] if entry["kind"] == "goto"]
    assert gotos == [("/5", "answered"), ("/6", "moved")]
    assert not [entry for entry in view["transcript"] if entry["kind"] in ("play", "error")]
