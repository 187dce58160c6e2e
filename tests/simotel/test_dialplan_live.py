"""A live caller in a Simotel dialplan: a call placed without ``keys`` waits where a node asks for
input, takes ``POST calls/{id}/input``, and falls back to the node's timeout on the emulator clock.
A SmartAPI node that waits at GetData asks its web service once."""

from __future__ import annotations

import pytest
from simotel_wire import ANCHOR

from emulator.testing.receiver import Receiver

SMART = "PlayAnnouncement('welcome');GetData('enter-code', 5, 3);Exit('next')"


@pytest.fixture
def service():
    replies: dict = {}

    def respond(hit):
        reply = replies[hit.json["app_name"]]
        return reply(hit.json) if callable(reply) else reply

    with Receiver(respond=respond) as receiver:
        receiver.replies = replies
        yield receiver


def _plan(url: str) -> dict:
    return {
        "numbers": ["789"],
        "start": "menu",
        "nodes": {
            "menu": {"type": "ivr", "announcement": "menu-file", "timeout": 5, "max_digits": 1,
                     "exits": {"1": "smart", "t": "bye", "i": "bye"}},
            "smart": {"type": "smart_api", "url": url, "exits": {"next": "check", "e": "bye"}},
            "check": {"type": "smart_api", "url": url, "exits": {"done": "bye", "e": "bye"}},
            "bye": {"type": "announcement", "file": "bye-file"},
        },
    }  # fmt: skip


def _place(emulator, service) -> str:
    emulator.control("PUT", "simotel/dialplans/live", json=_plan(service.url + "/smart"))
    emulator.freeze(ANCHOR)
    return emulator.control("POST", "simotel/calls", json={"src": "09121111111", "dst": "789"})["id"]


def _view(emulator, call_id: str) -> dict:
    return emulator.control("GET", f"calls/{call_id}")


def _kinds(view: dict) -> list[str]:
    return [entry["kind"] for entry in view["transcript"]]


def _inputs(view: dict) -> list[tuple]:
    return [(e["node"], e["keys"], e["at"][11:]) for e in view["transcript"] if e["kind"] == "input"]


def test_an_ivr_node_waits_for_the_live_caller(emulator, service):
    call_id = _place(emulator, service)
    emulator.advance(7.9)  # the announcement plays 3 s, then the node waits up to 5 s for a key
    view = _view(emulator, call_id)
    assert view["state"] == "walking" and _inputs(view) == []
    assert [e["kind"] for e in view["transcript"]][-1] == "play"  # the announcement played once
    assert emulator.control("GET", "simotel/calls")["calls"][0]["live"] is True


def test_keys_resume_the_ivr_node_when_they_come(emulator, service):
    service.replies["smart"] = {"ok": "1", "commands": SMART}
    service.replies["check"] = lambda fields: {"ok": "1", "commands": "Exit('done')"}
    call_id = _place(emulator, service)
    emulator.advance(3.5)  # the announcement ends at 3 s
    answer = emulator.control("POST", f"calls/{call_id}/input", json={"keys": "1"})
    assert (answer["api"], answer["id"]) == ("simotel", call_id)
    view = _view(emulator, call_id)
    assert _inputs(view) == [("menu", "1", "00:00:04.500000Z")]  # (UTC) keyed at 3.5 s, 1 s to press
    emulator.advance(1.5)
    view = _view(emulator, call_id)
    plays = [e["parts"][0]["name"] for e in view["transcript"] if e["kind"] == "play"]
    assert plays == ["menu-file", "welcome", "enter-code"]  # played once each, though the nodes waited
    assert len(service.hits) == 1  # the SmartAPI node now waits at GetData, asked once
    emulator.advance(10)
    emulator.control("POST", f"calls/{call_id}/input", json={"keys": "42"})
    emulator.advance(30)
    first, second = service.wait_for(2)
    assert (first.json["app_name"], second.json["app_name"], second.json["data"]) == ("smart", "check", "42")
    view = _view(emulator, call_id)
    assert [e["kind"] for e in view["transcript"]].count("request") == 2
    assert view["state"] == "ended"


def test_the_nodes_timeout_still_runs_and_counts_as_silence(emulator, service):
    service.replies["smart"] = {"ok": "1", "commands": SMART}
    call_id = _place(emulator, service)
    emulator.advance(3.5)
    emulator.control("POST", f"calls/{call_id}/input", json={"keys": "1"})
    emulator.advance(20)  # GetData waits 5 s after 'enter-code', then the caller was silent
    view = _view(emulator, call_id)
    assert [(node, keys) for node, keys, _ in _inputs(view)] == [("menu", "1"), ("smart", "")]
    assert len(service.hits) == 2  # 'check' got the (empty) data


def test_silence_input_leaves_the_ivr_by_t(emulator, service):
    call_id = _place(emulator, service)
    emulator.advance(4)
    emulator.control("POST", f"calls/{call_id}/input", json={"silence": True})
    emulator.advance(10)
    view = _view(emulator, call_id)
    assert _inputs(view) == [("menu", "", "00:00:08Z")]  # the 5 s timeout from the end of the announcement
    assert [(e["from"], e["reason"]) for e in view["transcript"] if e["kind"] == "goto"][0] == ("menu", "t")


def test_input_to_an_ended_dialplan_call_is_409_and_a_scripted_one_takes_none(emulator, service):
    call_id = _place(emulator, service)
    emulator.control("DELETE", f"calls/{call_id}")
    response = emulator.admin.post(f"calls/{call_id}/input", json={"keys": "1"})
    assert (response.status_code, response.json()) == (409, {"error": "the call has ended", "id": call_id})
    scripted = emulator.control("POST", "simotel/calls", json={"src": "09121111111", "dst": "789", "keys": ["1"]})
    response = emulator.admin.post(f"calls/{scripted['id']}/input", json={"keys": "1"})
    assert response.status_code == 409
