"""An ``api_timeout`` that is not a finite number of seconds falls back to the default wait.

``nan`` once became the exchange's timeout and deadline, which then never came: the call waited
for an answer that had arrived, for ever, holding one of its tenant's places.
"""

from __future__ import annotations

import time

import pytest
from execution_helpers import SYSTEM, yemot_fixture

from emulator.testing.receiver import Receiver, Response


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan", "inf", "1e400"])
def test_a_non_finite_api_timeout_still_waits_for_the_answer(server, value):
    answer = Response(body="id_list_message=t-hello&go_to_folder=hangup", delay_s=0.2)
    with Receiver(respond=lambda hit: answer) as service:
        tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\napi_timeout={value}\n"}
        server.load_fixture(yemot_fixture(tree))
        body = {"from": "0501234567", "path": "/5", "keys": []}
        call_id = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]
        deadline = time.monotonic() + 5
        while True:
            view = server.control("GET", f"calls/{call_id}")
            replies = [entry for entry in view["transcript"] if entry["kind"] == "reply"]
            if replies:
                break
            assert time.monotonic() < deadline, f"no reply recorded: {view['transcript']}"
            time.sleep(0.02)
    assert (replies[0]["status"], replies[0].get("error")) == (200, None)
