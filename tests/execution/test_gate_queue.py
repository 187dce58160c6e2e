"""A call that ends while its exchange waits for its tenant's gate sends its service nothing more.

With one exchange in flight per tenant, call B's request waits behind call A's; B is hung up
meanwhile. When A's answer frees the gate, B's step request is dropped (the platform never asks a
service about a call that is over); only B's ``hangup=yes`` request is sent.
"""

from __future__ import annotations

import threading
import time

from execution_helpers import SYSTEM, served, yemot_fixture

from emulator.testing.receiver import Hit, Receiver

A, B = "0501111111", "0502222222"


def test_a_call_hung_up_while_its_exchange_waits_for_the_gate_is_not_asked_about():
    release = threading.Event()

    def respond(hit: Hit) -> str:
        if hit.query.get("ApiPhone") == A and hit.query.get("hangup") != "yes":
            release.wait(10)
        return "id_list_message=t-hi&go_to_folder=hangup"

    with Receiver(respond=respond) as service, served(max_exchanges_per_tenant=1, tick_interval_s=0.02) as server:
        tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\n"}
        server.load_fixture(yemot_fixture(tree))
        place = {"path": "/5", "keys": []}
        first = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": A, **place})["id"]
        second = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": B, **place})["id"]
        service.wait_for(1, timeout=5)
        server.control("DELETE", f"calls/{second}")
        release.set()
        deadline = time.monotonic() + 5
        while server.control("GET", f"calls/{first}")["state"] != "ended":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        hits = service.wait_for(3, timeout=5)
        time.sleep(0.2)  # (anything sent late would arrive by now)
        view = server.control("GET", f"calls/{second}")
    asked = sorted((hit.query["ApiPhone"], hit.query.get("hangup", "")) for hit in service.hits)
    assert asked == [(A, ""), (A, "yes"), (B, "yes")], hits
    assert [entry["kind"] for entry in view["transcript"]] == ["goto", "hangup", "request", "reply"]
