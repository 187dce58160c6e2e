"""A snapshot taken while a call waits for its web service shows that step not started."""

from __future__ import annotations

import threading

import httpx
from execution_helpers import SYSTEM, served, yemot_fixture

from emulator.testing.receiver import Hit, Receiver


def test_a_step_waiting_for_its_service_is_pending_in_a_snapshot_and_runs_again_after_restore():
    release = threading.Event()

    def held(hit: Hit) -> str:
        if hit.query.get("hangup") != "yes":
            release.wait(10)
        return "go_to_folder=hangup"

    with Receiver(respond=held) as service, served(tick_interval_s=0.02) as server:
        tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\n"}
        server.load_fixture(yemot_fixture(tree))
        body = {"from": "0501234567", "path": "/5", "keys": []}
        call_id = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]
        assert len(service.wait_for(1, timeout=5)) == 1  # the step waits for the service
        snapshot = httpx.get(server.admin + "snapshot", timeout=30).json()
        walk = snapshot["world"]["yemot"]["ivr_walks"][call_id]
        pending = [e for e in snapshot["world"]["scheduler"]["pending"] if e["kind"] == "yemot.ivr"]
        release.set()
        assert [e["payload"] for e in pending] == [{"call": call_id, "seq": walk["seq"]}]
        assert walk["op"]["name"] == "api_request"
        assert "request" not in [entry["kind"] for entry in walk["transcript"]["entries"]]

        service.wait_for(2, timeout=5)  # (the hangup=yes request of the call that went on)
        restored = httpx.post(server.admin + "restore", json=snapshot, timeout=30)
        assert restored.status_code == 200, restored.text
        hits = service.wait_for(3, timeout=5)
    assert [hit.query.get("hangup") for hit in hits][:3] == [None, "yes", None]  # the step ran again
