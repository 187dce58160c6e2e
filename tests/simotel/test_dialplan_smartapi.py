"""SmartAPI on the wire: the wiki's worked two-step dialogue (reference B4) and its failure cases.

A local receiver plays the user's web service; the emulator walks the dialplan on its clock and
``GET /__emulator__/calls/{id}`` shows the transcript.
"""

from __future__ import annotations

import pytest
from simotel_wire import ANCHOR

from emulator.testing.receiver import Receiver, Response

S1 = "PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"


def scenario(url: str) -> dict:
    """The wiki's dialplan: s1 -> s2 -> sales (go-a) or support (go-b)."""
    return {
        "numbers": ["789"],
        "start": "s1",
        "nodes": {
            "s1": {"type": "smart_api", "url": url, "exits": {"go-s2": "s2", "e": "sorry"}},
            "s2": {"type": "smart_api", "url": url, "exits": {"go-a": "sales", "go-b": "support", "e": "sorry"}},
            "sales": {"type": "queue", "queue": "501"},
            "support": {"type": "queue", "queue": "500"},
            "sorry": {"type": "announcement", "file": "sorry-file"},
        },
    }


def _walk(emulator, body: dict, seconds: float = 120) -> dict:
    placed = emulator.control("POST", "simotel/calls", json=body)
    emulator.advance(seconds)
    return emulator.control("GET", f"calls/{placed['id']}") | {"placed": placed}


def _kinds(view: dict, *kinds: str) -> list[dict]:
    return [entry for entry in view["transcript"] if entry["kind"] in kinds]


def _gotos(view: dict) -> list[tuple]:
    return [(entry["from"], entry["reason"], entry["to"]) for entry in _kinds(view, "goto")]


def _played(view: dict) -> list[str]:
    return [part["name"] for entry in _kinds(view, "play") for part in entry["parts"]]


@pytest.fixture
def dialplan(emulator):
    """Define the scenario against a receiver answering with ``replies[app_name]``; yields (emulator, receiver)."""

    def start(replies: dict) -> tuple:
        def respond(hit):
            answer = replies[hit.json["app_name"]]
            return answer if isinstance(answer, Response) else answer

        receiver = Receiver(respond=respond).__enter__()
        started.append(receiver)
        emulator.control("PUT", "simotel/dialplans/scenario", json=scenario(receiver.url + "/smart"))
        emulator.freeze(ANCHOR)
        return emulator, receiver

    started: list[Receiver] = []
    yield start
    for receiver in started:
        receiver.__exit__(None, None, None)


def test_worked_dialogue_two_smartapi_steps_to_the_support_queue(dialplan):
    emulator, receiver = dialplan({"s1": {"ok": "1", "commands": S1}, "s2": {"ok": "1", "commands": "Exit('go-b');"}})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": ["2"]})
    first, second = receiver.wait_for(2)
    unique_id = view["unique_id"]
    assert (first.method, first.path, first.headers["content-type"]) == ("POST", "/smart", "application/json")
    assert first.json == {"src": "09155441", "dst": "789", "data": "", "unique_id": unique_id, "app_name": "s1"}
    assert second.json == {"src": "09155441", "dst": "789", "data": "2", "unique_id": unique_id, "app_name": "s2"}
    plays = [(entry["node"], entry["parts"]) for entry in _kinds(view, "play")]
    assert plays == [
        ("s1", [{"type": "announcement", "name": "welcome-file"}]),
        ("s1", [{"type": "announcement", "name": "enter-data-file"}]),
    ]
    [keyed] = _kinds(view, "input")
    assert (keyed["variable"], keyed["keys"], keyed["mode"]) == ("data", "2", "dtmf")
    assert _gotos(view) == [("s1", "go-s2", "s2"), ("s2", "go-b", "support"), ("support", "next", None)]
    [queued] = _kinds(view, "queue")
    assert (queued["queue"], queued["agent"]) == ("500", "101")  # the support queue's first free agent
    assert view["state"] == "ended"
    assert view["transcript"][-1]["kind"] == "hangup"
    requests = _kinds(view, "request")
    assert requests[1]["params"] == [["src", "09155441"], ["dst", "789"], ["data", "2"], ["unique_id", unique_id],
                                     ["app_name", "s2"]]  # fmt: skip
    replies = _kinds(view, "reply")
    assert [reply["directives"]["commands"] for reply in replies] == [S1, "Exit('go-b');"]


def test_worked_dialogue_times_follow_the_emulator_clock(dialplan):
    emulator, _ = dialplan({"s1": {"ok": "1", "commands": S1}, "s2": {"ok": "1", "commands": "Exit('go-a')"}})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": ["2"]})
    requests = _kinds(view, "request")
    # two announcements of 3 s and one keyed digit of 1 s between the two requests
    assert [entry["at"] for entry in requests] == ["2026-01-01T00:00:00Z", "2026-01-01T00:00:07Z"]


def test_the_same_script_gives_the_same_transcript_twice(dialplan):
    emulator, _ = dialplan({"s1": {"ok": "1", "commands": S1}, "s2": {"ok": "1", "commands": "Exit('go-b')"}})
    first = _walk(emulator, {"src": "09155441", "dst": "789", "keys": ["2"]})
    emulator.freeze(ANCHOR)
    second = _walk(emulator, {"src": "09155441", "dst": "789", "keys": ["2"]})

    def strip(view):
        return [{k: v for k, v in e.items() if k not in ("fields", "leg")} for e in view["transcript"]]

    assert len(strip(first)) == len(strip(second)) > 5
    assert [e["kind"] for e in first["transcript"]] == [e["kind"] for e in second["transcript"]]


FAILURES = {
    "late reply": Response(200, {"ok": "1", "commands": "Exit('go-s2')"}, delay_s=1.5),
    "non-JSON": Response(200, "<html>oops</html>"),
    "refused": {"ok": 0},
    "unknown Exit": {"ok": "1", "commands": "Exit('nope')"},
    "bad command": {"ok": "1", "commands": "PlayAnnouncement('a');Dance(3);Exit('go-s2')"},
    "no Exit": {"ok": "1", "commands": "PlayAnnouncement('a')"},
    "HTTP 500": Response(500, {"ok": "1", "commands": "Exit('go-s2')"}),
}


CODES = {"late reply": "timeout", "non-JSON": "reply", "refused": "refused", "unknown Exit": "exit",
         "bad command": "command", "no Exit": "exit", "HTTP 500": "status"}  # fmt: skip


@pytest.mark.parametrize("case", list(FAILURES))
def test_failures_leave_by_exit_e(dialplan, case):
    emulator, receiver = dialplan({"s1": FAILURES[case]})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": []})
    assert len(receiver.wait_for(1)) == 1
    [error] = _kinds(view, "error")
    assert error["node"] == "s1" and error["message"]
    assert error["code"] == CODES[case]
    assert _gotos(view)[0] == ("s1", "e", "sorry")
    assert _played(view)[-1] == "sorry-file"
    assert view["state"] == "ended"


def test_command_error_stops_the_commands_after_it(dialplan):
    emulator, _ = dialplan({"s1": FAILURES["bad command"]})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": []})
    assert _played(view) == ["sorry-file"]  # 'a' never played
    assert "Dance(3)" in _kinds(view, "error")[0]["message"]


def test_php_client_command_forms_are_tolerated(dialplan):
    commands = "ClearUserData();SetExten('200');MusicOnHold('default', 60);;SayClock(14:00);Exit('go-s2')"
    emulator, _ = dialplan({"s1": {"ok": 1, "commands": commands}, "s2": {"ok": 1, "commands": "Exit('go-a')"}})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": []}, seconds=200)
    assert _kinds(view, "error") == []
    parts = [part for entry in _kinds(view, "play") for part in entry["parts"]]
    assert parts == [{"type": "music_on_hold", "name": "default"}, {"type": "clock", "name": "14:00"}]
    assert [entry["reason"] for entry in _kinds(view, "goto")] == ["go-s2", "go-a"]


def test_caller_hangs_up_when_the_key_script_runs_out(dialplan):
    emulator, receiver = dialplan({"s1": {"ok": "1", "commands": S1}})
    view = _walk(emulator, {"src": "09155441", "dst": "789", "keys": []})
    assert len(receiver.wait_for(1)) == 1
    assert view["transcript"][-1] | {"at": None} == {"at": None, "kind": "hangup", "node": "s1", "by": "caller",
                                                     "where": "s1"}  # fmt: skip


def test_an_unknown_call_id_is_a_404(emulator):
    response = emulator.admin.get("calls/dialplan-999")
    assert response.status_code == 404


def test_a_served_emulator_in_real_time_walks_the_call_live(emulator_server):
    import time

    import httpx

    replies = {"s1": {"ok": "1", "commands": "SayDigit(1);Exit('go-s2')"}, "s2": {"ok": "1", "commands": "Exit('x')"}}
    with (
        Receiver(respond=lambda hit: replies[hit.json["app_name"]]) as receiver,
        httpx.Client(base_url=emulator_server.admin, timeout=10) as admin,
    ):
        plan = scenario(receiver.url)
        plan["nodes"]["s2"]["exits"] = {"x": "sorry"}
        assert admin.put("simotel/dialplans/live", json=plan).status_code == 200
        placed = admin.post("simotel/calls", json={"src": "09155441", "dst": "789"}).json()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            view = admin.get(f"calls/{placed['id']}").json()
            if view["state"] == "ended":
                break
            time.sleep(0.1)
    assert view["state"] == "ended"
    assert [(g["from"], g["reason"]) for g in _kinds(view, "goto")][:2] == [("s1", "go-s2"), ("s2", "x")]
    assert len(receiver.hits) == 2


def test_a_component_request_carries_the_outbound_marker(dialplan):
    emulator, receiver = dialplan({"s1": {"ok": "1", "commands": "Exit('go-b');"}})
    _walk(emulator, {"src": "09155441", "dst": "789"})
    [hit] = receiver.wait_for(1)
    assert "x-emulator-delivery" in {name.lower() for name in hit.headers}


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080//__emulator__/reset", "http://localhost/%5F%5Femulator__/reset", "http://[::1"],
)
def test_a_component_address_the_emulator_would_not_call_is_refused_when_defined(emulator, url):
    refused = emulator.admin.put("simotel/dialplans/scenario", json=scenario(url))
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("node 's1': 'url' ")
    assert emulator.control("GET", "simotel/dialplans")["dialplans"] == []
