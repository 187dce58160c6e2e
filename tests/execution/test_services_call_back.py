"""A web service may call the emulator's REST API while a call waits for its answer.

Real IVR apps read the session, look up a user or download the caller's recording before they
answer. The emulator is served by uvicorn and the service is a local HTTP server in a thread, so
the service's calls go over real sockets to the same event loop that waits for its answer.
"""

from __future__ import annotations

import time

import httpx
from execution_helpers import START, SYSTEM, TOKEN, yemot_fixture

from emulator.testing.receiver import Hit, Receiver

GREETING = "shalom caller"


def _yemot_service(server) -> Receiver:
    """Reads GetSession and downloads a file of the tree, then plays what it found and hangs up."""

    def respond(hit: Hit) -> str:
        if hit.query.get("hangup") == "yes":
            return "noop"
        session = httpx.get(server.yemot + "GetSession", params={"token": TOKEN}, timeout=5).json()
        file = httpx.get(server.yemot + "DownloadFile", params={"token": TOKEN, "path": "ivr2:/5/000.tts"}, timeout=5)
        return f"id_list_message=t-{file.text.strip()} {session['username']}&go_to_folder=hangup"

    return Receiver(respond=respond)


def _yemot_call(server, service: Receiver) -> str:
    tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={service.url}/ivr\n", "5/000.tts": GREETING}
    server.load_fixture(yemot_fixture(tree))
    body = {"from": "0501234567", "path": "/5", "keys": []}
    placed = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)
    return placed["id"]


def _until(server, call_id: str, kind: str, timeout: float = 5.0) -> dict:
    """The call's view once its transcript holds a ``kind`` entry, or it has ``ended`` (a running clock
    walks it live)."""
    deadline = time.monotonic() + timeout
    while True:
        view = server.control("GET", f"calls/{call_id}")
        done = view["state"] == "ended" if kind == "ended" else any(e["kind"] == kind for e in view["transcript"])
        if done or time.monotonic() > deadline:
            return view
        time.sleep(0.02)


def _played_text(view: dict) -> list[str]:
    return [part["data"] for entry in view["transcript"] if entry["kind"] == "play" for part in entry["parts"]]


def _frozen_dialogue(server, service: Receiver, place) -> tuple[dict, float]:
    """Freeze the clock, place a call with ``place``, advance a minute: the call's view and the real
    seconds it all took."""
    with service:
        server.freeze(START)
        started = time.monotonic()
        call_id = place(server, service)
        server.advance(60)
        view = server.control("GET", f"calls/{call_id}")
        return view, time.monotonic() - started


def test_a_yemot_service_that_calls_the_rest_api_before_answering_completes_on_a_frozen_clock(server):
    view, took = _frozen_dialogue(server, _yemot_service(server), _yemot_call)
    assert _played_text(view) == [f"{GREETING} {SYSTEM}"]
    assert [entry.get("error") for entry in view["transcript"] if entry["kind"] == "reply"][0] is None
    assert took < 2.0, f"the dialogue took {took:.2f} s of real time"  # (it hung for the 30 s timeout before)


def test_a_yemot_service_that_calls_the_rest_api_completes_on_a_running_clock(server):
    with _yemot_service(server) as service:
        started = time.monotonic()
        call_id = _yemot_call(server, service)
        view = _until(server, call_id, "play")
        took = time.monotonic() - started
        assert _until(server, call_id, "ended")["state"] == "ended"
    assert _played_text(view) == [f"{GREETING} {SYSTEM}"]
    assert took < 2.0, f"the dialogue took {took:.2f} s of real time"


def _smartapi_service(server) -> tuple[Receiver, list]:
    """Searches the PBX's users and downloads a recording, then says the user's number and leaves."""
    found: list = []
    username, password, key = server.simotel_credentials
    auth, headers = (username, password), {"X-APIKEY": key} if key else {}
    cdr = server.state()["simotel"]["collections"]["cdr"]
    record = next(row["record"] for row in cdr if row.get("record"))

    def respond(hit: Hit) -> dict:
        users = httpx.post(server.simotel + "pbx/users/search", json={"alike": False, "conditions": {}},
                           auth=auth, headers=headers, timeout=5).json()  # fmt: skip
        audio = httpx.post(server.simotel + "reports/audio/download", json={"file": record},
                           auth=auth, headers=headers, timeout=5)  # fmt: skip
        number = users["data"][0]["number"]
        found.append((number, audio.status_code, len(audio.content)))
        return {"ok": "1", "commands": f"SayDigit({number});Exit('done')"}

    return Receiver(respond=respond), found


def _smartapi_call(server, service: Receiver) -> str:
    plan = {
        "numbers": ["789"],
        "start": "s1",
        "nodes": {
            "s1": {"type": "smart_api", "url": service.url + "/smart", "exits": {"done": "bye", "e": "bye"}},
            "bye": {"type": "hangup"},
        },
    }
    server.control("PUT", "simotel/dialplans/execution", json=plan)
    return server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]


def _said(view: dict) -> list[str]:
    return [part["name"] for entry in view["transcript"] if entry["kind"] == "play" for part in entry["parts"]]


def test_a_smartapi_service_that_calls_the_rest_api_before_answering_completes_on_a_frozen_clock(server):
    service, found = _smartapi_service(server)
    view, took = _frozen_dialogue(server, service, _smartapi_call)
    [(number, status, size)] = found
    assert (status, size > 0) == (200, True)
    assert _said(view) == [number]
    assert [entry["reason"] for entry in view["transcript"] if entry["kind"] == "goto"][0] == "done"
    assert took < 2.0, f"the dialogue took {took:.2f} s of real time"  # (it left by exit e after 1 s before)


def test_a_smartapi_service_that_calls_the_rest_api_completes_on_a_running_clock(server):
    service, found = _smartapi_service(server)
    with service:
        started = time.monotonic()
        call_id = _smartapi_call(server, service)
        view = _until(server, call_id, "play")
        took = time.monotonic() - started
        assert _until(server, call_id, "ended")["state"] == "ended"
    assert _said(view) == [found[0][0]]
    assert took < 2.0, f"the dialogue took {took:.2f} s of real time"
