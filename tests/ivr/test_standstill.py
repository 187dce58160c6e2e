"""A line with nothing more to play or ask: a folder without a module (M1042), a module the emulator
does not run, the end of the root's playfile. A scripted caller whose script has run out hangs up
after the silence timeout; one placed without keys (or with hangup_after_s) stays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from ivr_helpers import call, entries, place, played

from emulator.yemot.ivr.idle import SILENCE_TIMEOUT_S

MENU = "type=menu\n"
LINK = "http://ivr.test/ivr"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _silence_starts(transcript: list[dict]) -> datetime:
    """When the line fell silent: the end of the last thing played."""
    last = entries(transcript, "play")[-1]
    return _at(last["at"]) + timedelta(seconds=last["seconds"])


def _standstill(transcript: list[dict]) -> datetime:
    """When the line came to a standstill in a module-less folder: M1042 starts playing."""
    return _at(entries(transcript, "play")[-1]["at"])


def test_a_module_less_folder_plays_m1042_and_the_caller_hangs_up_after_the_silence_timeout(ivr):
    assert SILENCE_TIMEOUT_S == 30.0
    emulator = ivr({"ext.ini": MENU, "3/ext.ini": "title=no type\n"})
    placed = place(emulator, ["3"])
    emulator.advance(10)  # M1000 (4.14 s), the key (0.3 s), M1042 (2.46 s)
    shown = call(emulator, placed["id"])
    assert played(shown["transcript"]) == ["system_message:M1000", "system_message:M1042"]
    assert entries(shown["transcript"], "note")[0] == {
        "at": "2023-11-14T22:13:24.440000Z",
        "kind": "note",
        "message": "no module: the caller stays here",
        "folder": "/3",
    }
    still_from = _standstill(shown["transcript"])  # the timeout counts from here: M1042 plays within it
    assert still_from == _at("2023-11-14T22:13:24.440000Z")
    assert _silence_starts(shown["transcript"]) == _at("2023-11-14T22:13:26.900000Z")
    emulator.advance((still_from + timedelta(seconds=29.9) - _at("2023-11-14T22:13:30Z")).total_seconds())
    assert call(emulator, placed["id"])["state"] == "active"  # 29.9 s after the standstill: still there
    emulator.advance(0.1)
    shown = call(emulator, placed["id"])
    assert shown["state"] == "ended"
    hangup = entries(shown["transcript"], "hangup")[0]
    assert hangup == {"at": "2023-11-14T22:13:54.440000Z", "kind": "hangup", "by": "caller", "where": "/3"}
    assert shown["talk_s"] == pytest.approx(34.44, abs=1e-3)


def test_an_api_extension_ending_in_a_module_less_root_no_longer_keeps_the_call_up(ivr, service):
    """The reported case: ``api_end_goto`` to a root without ``type``; the service still gets hangup=yes."""
    emulator = ivr({"5/ext.ini": f"type=api\napi_link={LINK}\napi_end_goto=/\n"})
    service.replies = ["read=t-קוד=code,no,4,4,7,No", "id_list_message=t-תודה", "noop"]
    shown = call(emulator, place(emulator, ["1234"], path="/5")["id"])
    assert shown["state"] == "active"
    emulator.advance(120)
    shown = call(emulator, shown["id"])
    assert shown["state"] == "ended"
    assert played(shown["transcript"])[-1] == "system_message:M1042"
    hangup = entries(shown["transcript"], "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("caller", "/")
    assert _at(hangup["at"]) - _standstill(shown["transcript"]) == timedelta(seconds=SILENCE_TIMEOUT_S)
    assert service.requests[-1].url.params["hangup"] == "yes"
    assert service.requests[-1].url.params["ApiHangupExtension"] == ""


def test_an_empty_script_is_a_script_with_nothing_in_it_and_no_script_stays(ivr):
    emulator = ivr({"3/000.tts": "x"})  # a root and a folder, neither with a module
    empty = place(emulator, [], path="/3")
    response = emulator.admin.post(
        "yemot/systems/0771234567/calls", json={"from": "0501234567", "path": "/3"}
    )  # no `keys` at all
    assert response.status_code == 201, response.text
    emulator.advance(3600)
    ended = call(emulator, empty["id"])
    assert ended["state"] == "ended" and ended["talk_s"] == pytest.approx(SILENCE_TIMEOUT_S, abs=1e-3)
    stays = call(emulator, response.json()["id"])
    assert stays["state"] == "active"
    assert entries(stays["transcript"], "note")[-1]["message"] == "nothing more to play: the caller stays on the line"


def test_with_hangup_after_s_the_caller_stays_on_the_silent_line_until_then(ivr):
    emulator = ivr({"3/000.tts": "x"})
    shown = call(emulator, place(emulator, [], path="/3", hangup_after_s=300)["id"])
    emulator.advance(299)
    assert call(emulator, shown["id"])["state"] == "active"
    emulator.advance(2)
    assert call(emulator, shown["id"])["talk_s"] == 300.0


def test_keys_left_on_a_silent_line_navigate_or_go_unheard(ivr):
    emulator = ivr({"ext.ini": MENU, "3/000.tts": "x"})
    shown = call(emulator, place(emulator, ["3", "9", "", "#"])["id"])
    emulator.advance(600)
    shown = call(emulator, shown["id"])
    inputs = [(entry["keys"], entry["mode"]) for entry in entries(shown["transcript"], "input")]
    assert inputs == [("3", "menu"), ("9", "idle"), ("", "idle"), ("#", "idle")]
    assert [goto["to"] for goto in entries(shown["transcript"], "goto")] == ["/", "/3", "/"]
    hangup = entries(shown["transcript"], "hangup")[0]  # back at the menu the script has run out: at once
    assert (hangup["by"], hangup["where"]) == ("caller", "/")
    assert _at(hangup["at"]) == _silence_starts(shown["transcript"])
    assert played(shown["transcript"])[-1] == "system_message:M1000"


def test_the_end_of_the_roots_playfile_is_silence_not_a_loop(ivr):
    emulator = ivr({"ext.ini": "type=playfile\n", "000.tts": "שלום"})
    shown = call(emulator, place(emulator, [])["id"])
    emulator.advance(600)
    shown = call(emulator, shown["id"])
    assert played(shown["transcript"]) == ["file:/000.tts", "system_message:M1005"]
    hangup = entries(shown["transcript"], "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("caller", "/")
    assert _at(hangup["at"]) - _silence_starts(shown["transcript"]) == timedelta(seconds=SILENCE_TIMEOUT_S)


def test_a_module_the_emulator_does_not_run_is_silence_without_m1042(ivr):
    emulator = ivr({"ext.ini": MENU, "4/ext.ini": "type=last_play\n"})
    shown = call(emulator, place(emulator, ["4"])["id"])
    emulator.advance(600)
    shown = call(emulator, shown["id"])
    assert played(shown["transcript"]) == ["system_message:M1000"]
    assert entries(shown["transcript"], "note")[0]["message"] == "module 'last_play' is not simulated"
    assert entries(shown["transcript"], "hangup")[0]["by"] == "caller"
    assert shown["talk_s"] == pytest.approx(4.44 + SILENCE_TIMEOUT_S, abs=1e-3)


def test_a_call_placed_into_a_module_less_folder_has_ended_once_the_silence_timeout_has_passed(ivr):
    emulator = ivr({"3/000.tts": "x"})
    placed = place(emulator, [], path="/3")
    emulator.advance(SILENCE_TIMEOUT_S - 0.1)
    assert call(emulator, placed["id"])["state"] == "active"
    emulator.advance(0.1)
    shown = call(emulator, placed["id"])
    assert shown["state"] == "ended"
    assert played(shown["transcript"]) == ["system_message:M1042"]
