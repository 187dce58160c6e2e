"""The loops of a served emulator end with their budget's error while the server keeps answering.

A real local web service drives each loop: a SmartAPI node whose exit leads back to itself, a
``go_to_folder`` back to the same API extension, and ``api_end_goto`` into its own folder with a
service that fails. A thread reads ``/__emulator__/health`` all the while; before budgets and
awaited exchanges such loops held the server for seconds (or for ever).
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from execution_helpers import START, SYSTEM, served, yemot_fixture

from emulator.testing.receiver import Hit, Receiver, Response

PROMPT_S = 0.5  # generous for a loaded machine; a held loop costs seconds


def _smartapi(hit: Hit) -> object:
    return {"ok": "1", "commands": "Exit('again')"}


def _go_to_folder(hit: Hit) -> object:
    return "noop" if hit.query.get("hangup") == "yes" else "go_to_folder=/5"


def _failing(hit: Hit) -> object:
    return Response(status=500, body=b"down")


LOOPS = {
    # name: (service, api_end_goto line or None for the SmartAPI node, expected last error, frozen)
    "smartapi-exit-to-itself": (_smartapi, None, "loop", False),
    "go_to_folder-to-itself": (_go_to_folder, "", "loop", False),
    "api_end_goto-into-itself": (_failing, "api_end_goto=/5\n", "steps", True),
}


def _place(server, service: Receiver, extra: str | None) -> str:
    if extra is None:
        node = {"type": "smart_api", "url": service.url + "/s", "exits": {"again": "s1"}}
        plan = {"numbers": ["789"], "start": "s1", "nodes": {"s1": node}}
        server.control("PUT", "simotel/dialplans/self", json=plan)
        return server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]
    tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\n{extra}"}
    server.load_fixture(yemot_fixture(tree))
    body = {"from": "0501234567", "path": "/5"}
    return server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]


@pytest.mark.parametrize("loop", list(LOOPS))
def test_a_loop_ends_with_its_budget_error_and_health_answers_all_along(loop):
    respond, extra, expected, frozen = LOOPS[loop]
    done, health = threading.Event(), []

    def read_health(base: str) -> None:
        with httpx.Client(timeout=30) as client:
            while not done.is_set():
                started = time.monotonic()
                assert client.get(base + "/__emulator__/health").status_code == 200
                health.append(time.monotonic() - started)
                time.sleep(0.01)

    with Receiver(respond=respond) as service, served(tick_interval_s=0.02) as server:
        if frozen:
            server.freeze(START)
        reader = threading.Thread(target=read_health, args=(server.base,))
        reader.start()
        try:
            call_id = _place(server, service, extra)
            if frozen:
                server.advance(7 * 86400)
            deadline = time.monotonic() + 60
            while (view := server.control("GET", f"calls/{call_id}"))["state"] != "ended":
                assert time.monotonic() < deadline, "the loop did not end"
                time.sleep(0.05)
        finally:
            done.set()
            reader.join()
    errors = [entry["code"] for entry in view["transcript"] if entry["kind"] == "error"]
    assert errors[-1] == expected
    assert len(health) > 3
    assert max(health) < PROMPT_S, f"health took {max(health) * 1000:.0f} ms during the loop"
