"""A live caller on a Yemot IVR: a call placed without keys waits for input (``POST calls/{id}/input``),
the step's own timeout still runs on the emulator clock, and bad or late input gets the control
plane's error shape."""

from __future__ import annotations

import pytest
from ivr_helpers import CALLER, SYSTEM, call, entries, kinds

MENU = {"ivr2:/ext.ini": "type=menu\ntimeout=5\n", "ivr2:/1/ext.ini": "type=menu\n", "ivr2:/2/ext.ini": "type=record\n"}


def _live(emulator, path: str = "/") -> str:
    response = emulator.admin.post(f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "path": path})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _give(emulator, call_id: str, body: dict, status: int = 200) -> dict:
    response = emulator.admin.post(f"calls/{call_id}/input", json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_a_menu_waits_for_the_live_caller_and_takes_their_keys(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    view = call(emulator, call_id)
    assert view["state"] == "active"
    assert kinds(view["transcript"]) == ["goto", "play"]  # M1000 plays for 4.14 s; then the menu waits
    emulator.advance(5)
    assert kinds(call(emulator, call_id)["transcript"]) == ["goto", "play"]  # nothing keyed, nothing timed out
    answer = _give(emulator, call_id, {"keys": "1"})
    assert answer["queued"] == {"keys": "1"} and answer["ended"] is False and answer["api"] == "yemot"
    transcript = call(emulator, call_id)["transcript"]
    keyed = entries(transcript, "input")
    assert [(entry["keys"], entry["mode"]) for entry in keyed] == [("1", "menu")]
    assert keyed[0]["at"] == "2023-11-14T22:13:25.300000Z"  # keyed when it came (5 s in), 0.3 s to press
    assert entries(transcript, "goto")[-1]["to"] == "/1"


def test_the_menus_own_timeout_runs_on_the_clock_and_counts_as_silence(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    emulator.advance(4.5)  # M1000 ends at 4.14 s: the menu waits from there, 5 s (its timeout)
    before = len(call(emulator, call_id)["transcript"])
    emulator.advance(4.5)
    assert len(call(emulator, call_id)["transcript"]) == before
    emulator.advance(0.2)
    transcript = call(emulator, call_id)["transcript"]
    silent = entries(transcript, "input")[-1]
    assert (silent["keys"], silent["mode"], silent["at"]) == ("", "menu", "2023-11-14T22:13:29.140000Z")
    assert [part["data"] for part in transcript[before + 1]["parts"]] == ["M1002"]  # right after the silence
    assert call(emulator, call_id)["state"] == "active"  # a live caller is never hung up on for silence


def test_silence_input_lets_the_timeout_pass_at_once(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    emulator.advance(5)  # waiting since 4.14 s
    _give(emulator, call_id, {"silence": True})
    silent = entries(call(emulator, call_id)["transcript"], "input")
    assert [(entry["keys"], entry["at"]) for entry in silent] == [("", "2023-11-14T22:13:29.140000Z")]


def test_record_s_records_that_many_seconds(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator, "/2")
    _give(emulator, call_id, {"record_s": 3})
    recorded = entries(call(emulator, call_id)["transcript"], "record")
    assert [(entry["path"], entry["seconds"]) for entry in recorded] == [("/2/000.wav", 3.0)]


def test_keys_for_an_api_read_reach_the_service(ivr, service):
    emulator = ivr({"ivr2:/ext.ini": "type=api\napi_link=https://ivr.example.com/a\n"})
    service.replies = ["read=t-code=code,no,4,1,7,No", "go_to_folder=hangup"]
    call_id = _live(emulator)
    assert len(service.requests) == 1
    emulator.advance(2)  # the prompt plays, then the read waits
    _give(emulator, call_id, {"keys": "1234"})
    emulator.advance(5)
    assert "code=1234" in service.urls[1]
    assert call(emulator, call_id)["state"] == "ended"


def test_speech_goes_to_a_speech_read_as_its_text(ivr, service):
    emulator = ivr({"ivr2:/ext.ini": "type=api\napi_link=https://ivr.example.com/a\n"})
    service.replies = ["read=t-say=words,no,voice,he-IL", "go_to_folder=hangup"]
    call_id = _live(emulator)
    emulator.advance(2)
    _give(emulator, call_id, {"speech": "שלום לכם"})
    emulator.advance(3)  # saying it takes a second
    assert "words=%D7%A9%D7%9C%D7%95%D7%9D" in service.urls[1]


def test_input_to_an_ended_call_is_409(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    assert emulator.admin.delete(f"calls/{call_id}").status_code == 200
    answer = _give(emulator, call_id, {"keys": "1"}, status=409)
    assert answer == {"error": "the call has ended", "id": call_id}


def test_a_scripted_call_takes_no_input(ivr):
    emulator = ivr(MENU)
    placed = emulator.admin.post(
        f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "keys": ["1"], "hangup_after_s": 60}
    )
    answer = _give(emulator, placed.json()["id"], {"keys": "1"}, status=409)
    assert answer["error"] == "the call was placed with a key script; input goes to calls placed without one"


def test_unknown_call_is_404(ivr):
    emulator = ivr(MENU)
    assert _give(emulator, "call-999", {"keys": "1"}, status=404) == {"error": "no call 'call-999'"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"keys": "1", "silence": True},
        {"keys": ""},
        {"keys": "12a"},
        {"keys": "1" * 65},
        {"keys": 5},
        {"silence": False},
        {"record_s": 0},
        {"record_s": True},
        {"record_s": 601},
        {"speech": ""},
        {"speech": "a\nb"},
        {"speech": "x" * 501},
        {"volume": 3},
        [],
        "1",
    ],
)
def test_bad_input_is_400_with_the_error_shape(ivr, body):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    answer = _give(emulator, call_id, body, status=400)
    assert set(answer) == {"error"} and answer["error"]


def test_a_body_that_is_not_json_is_400(ivr):
    emulator = ivr(MENU)
    call_id = _live(emulator)
    response = emulator.admin.post(
        f"calls/{call_id}/input", content=b"keys=1", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["error"].startswith("request body is not valid JSON")


def test_inputs_queue_up_to_a_bound(ivr):
    emulator = ivr({"ivr2:/ext.ini": "type=menu\n", "ivr2:/1/ext.ini": "type=playfile\n"})
    call_id = _live(emulator, "/1")  # a playfile with nothing to play: a quiet line
    for _ in range(50):
        _give(emulator, call_id, {"keys": "5"})
    assert _give(emulator, call_id, {"keys": "5"}, status=409)["error"] != ""
