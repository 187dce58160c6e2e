"""Extension modules a caller walks: menus, playfile, go_to_folder, hangup, record, queue; navigation and timing."""

from __future__ import annotations

import base64
import io
import json
import re
import wave

import pytest
from ivr_helpers import SYSTEM, call, entries, fixture_yaml, kinds, place, played

MENU = "type=menu\n"


def _wav(seconds: float) -> str:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\0\0" * int(8000 * seconds))
    return base64.b64encode(out.getvalue()).decode("ascii")


def _walk(emulator, keys, path="/", advance=600, **extra):
    body = place(emulator, keys, path=path, **extra)
    emulator.advance(advance)
    return call(emulator, body["id"])


def test_menu_plays_its_files_and_takes_multi_digit_extensions(ivr):
    emulator = ivr({"ext.ini": MENU, "000.tts": "ברוכים הבאים", "12/ext.ini": "type=hangup\n"})
    shown = _walk(emulator, ["12"])
    transcript = shown["transcript"]
    assert played(transcript) == ["file:/000.tts"]
    assert entries(transcript, "play")[0]["parts"][0]["text"] == "ברוכים הבאים"
    assert [(g["from"], g["to"]) for g in entries(transcript, "goto")] == [(None, "/"), ("/", "/12")]
    hangup = entries(transcript, "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("system", "/12")


def test_hash_goes_back_and_star_goes_to_the_root(ivr):
    tree = {"ext.ini": MENU, "1/ext.ini": MENU, "1/2/ext.ini": MENU, "9/ext.ini": "type=hangup\n"}
    shown = _walk(ivr(tree), ["1", "2", "#", "2", "*", "9"])
    tos = [(g["to"], g["reason"]) for g in entries(shown["transcript"], "goto")]
    assert tos == [
        ("/", "answered"),
        ("/1", "menu"),
        ("/1/2", "menu"),
        ("/1", "#"),
        ("/1/2", "menu"),
        ("/", "*"),
        ("/9", "menu"),
    ]


def test_timing_follows_what_plays(ivr):
    emulator = ivr({"ext.ini": MENU, "000.wav": "", "5/ext.ini": "type=playfile\n", "5/000.tts": "abcdefghij"})
    emulator.runtime.world.yemot.systems[SYSTEM].tree.files["000.wav"].duration = 3.0
    shown = _walk(emulator, ["5"])
    plays = entries(shown["transcript"], "play")
    assert plays[0]["seconds"] == 3.0  # a WAV plays for its real length
    assert plays[1]["seconds"] == 0.3 + 0.08 * 10  # TTS: proportional to the text
    keyed = entries(shown["transcript"], "input")[0]
    assert keyed["at"] == "2023-11-14T22:13:23.300000Z"  # 3 s of prompt, 0.3 s to press 5


def test_wav_fixture_durations_come_from_the_file(ivr, emulator_factory):
    emulator = emulator_factory()
    document = fixture_yaml({"ext.ini": "type=playfile\n"}, binary={"000.wav": _wav(2.5)})
    assert emulator.admin.post("fixtures", content=document).status_code == 200
    emulator.freeze("2023-11-14T22:13:20Z")
    shown = _walk(emulator, [])
    assert entries(shown["transcript"], "play")[0]["seconds"] == 2.5


def test_wrong_key_and_silence_in_a_menu(ivr):
    shown = _walk(ivr({"ext.ini": "type=menu\ntimeout=4\n", "9/ext.ini": "type=hangup\n"}), ["3", "", "9"])
    transcript = shown["transcript"]
    assert played(transcript) == [
        "system_message:M1000",
        "system_message:M1001",
        "system_message:M1000",
        "system_message:M1002",
        "system_message:M1000",
    ]
    silent = entries(transcript, "input")[1]
    previous_play_end = entries(transcript, "play")[2]
    assert silent["keys"] == "" and silent["at"] > previous_play_end["at"]


def test_the_caller_hangs_up_when_the_script_runs_out(ivr):
    shown = _walk(ivr({"ext.ini": MENU}), [])
    assert kinds(shown["transcript"]) == ["goto", "play", "hangup"]
    assert entries(shown["transcript"], "hangup")[0]["by"] == "caller"
    assert shown["state"] == "ended"
    assert shown["talk_s"] == pytest.approx(entries(shown["transcript"], "play")[0]["seconds"], abs=1e-3)


def test_with_hangup_after_s_the_caller_waits_silently_until_then(ivr):
    shown = _walk(ivr({"ext.ini": MENU}), [], hangup_after_s=15)
    assert shown["talk_s"] == 15.0
    assert [entry["keys"] for entry in entries(shown["transcript"], "input")] == [""]
    assert entries(shown["transcript"], "hangup")[0]["by"] == "caller"


def test_a_menu_left_unanswered_hangs_up_after_five_rounds(ivr):
    shown = _walk(ivr({"ext.ini": MENU}), [], hangup_after_s=3600)
    assert len(entries(shown["transcript"], "input")) == 5
    assert entries(shown["transcript"], "hangup")[0]["by"] == "system"


def test_playfile_plays_in_order_then_end_goto_or_m1005_and_back(ivr):
    tree = {
        "ext.ini": MENU,
        "1/ext.ini": "type=playfile\nplayfile_end_goto=/2\n",
        "1/001.tts": "שני",
        "1/000.tts": "ראשון",
        "1/readme.txt": "not played",
        "2/ext.ini": "type=playfile\n",
        "2/000.tts": "שלישי",
    }
    shown = _walk(ivr(tree), ["1"])
    assert played(shown["transcript"]) == [
        "system_message:M1000",
        "file:/1/000.tts",
        "file:/1/001.tts",
        "file:/2/000.tts",
        "system_message:M1005",
        "system_message:M1000",
    ]
    assert [g["to"] for g in entries(shown["transcript"], "goto")] == ["/", "/1", "/2", "/"]


def test_go_to_folder_extension_and_missing_extension(ivr):
    tree = {"ext.ini": MENU, "7/ext.ini": "type=go_to_folder\ngo_to_folder=/8\n", "3/ext.ini": MENU, "8/x.txt": ""}
    shown = _walk(ivr(tree), ["7"])
    transcript = shown["transcript"]
    assert [g["to"] for g in entries(transcript, "goto")][:3] == ["/", "/7", "/8"]
    assert entries(transcript, "note")[0]["message"] == "no module: the caller stays here"
    shown = _walk(ivr({"ext.ini": MENU, "7/ext.ini": "type=go_to_folder\ngo_to_folder=/4\n"}), ["7"])
    error = entries(shown["transcript"], "error")[0]
    assert (error["code"], error["text"]) == ("M1042", "/4")
    assert "system_message:M1042" in played(shown["transcript"])


def test_record_module_saves_a_wav_the_file_api_sees(ivr):
    emulator = ivr({"ext.ini": MENU, "4/ext.ini": "type=record\n", "4/000.wav": ""})
    shown = _walk(emulator, ["4", "3"])
    record = entries(shown["transcript"], "record")[0]
    assert record | {"at": None} == {"at": None, "kind": "record", "path": "/4/001.wav", "seconds": 3.0}
    token = f"{SYSTEM}:1234"
    download = emulator.yemot.get("DownloadFile", params={"token": token, "path": "ivr2:/4/001.wav"})
    assert download.status_code == 200 and download.content[:4] == b"RIFF"
    with wave.open(io.BytesIO(download.content)) as reader:
        assert (reader.getframerate(), reader.getnframes()) == (8000, 24000)
    listing = emulator.yemot.get("GetIVR2Dir", params={"token": token, "path": "ivr2:/4"}).json()
    assert "001.wav" in [item["name"] for item in listing["files"]]


def test_queue_extension_puts_the_caller_in_the_queue(ivr):
    emulator = ivr({"ext.ini": MENU, "6/ext.ini": "type=queue\n"})
    body = place(emulator, ["6"], hangup_after_s=100)
    emulator.advance(10)
    shown = call(emulator, body["id"])
    assert shown["state"] == "waiting" and shown["yemot"]["queue"] == "/6"
    assert entries(shown["transcript"], "queue")[0]["queue"] == "/6"
    live = emulator.runtime.world.yemot.systems[SYSTEM].live_calls[body["api_call_id"]]
    assert (live.path, live.queue) == ("6", "6")
    token = f"{SYSTEM}:1234"
    realtime = emulator.yemot.get("GetQueueRealTime", params={"token": token, "queuePath": "/6"}).json()
    assert [entry.get("phone", entry.get("callerIdNum")) for entry in realtime["entries"]] == ["0501234567"]
    listed = emulator.yemot.get("GetIncomingCalls", params={"token": token}).json()
    assert [(item["id"], item["path"]) for item in listed["calls"]] == [(body["api_call_id"], "/6")]


def test_call_action_moves_a_walking_caller_on(ivr):
    emulator = ivr({"ext.ini": MENU, "2/ext.ini": "type=playfile\n", "2/000.tts": "שלום", "9/ext.ini": "type=hangup\n"})
    body = place(emulator, ["", "", "9"])
    emulator.advance(2)
    token = f"{SYSTEM}:1234"
    moved = emulator.yemot.get(
        "CallAction", params={"token": token, "ids": body["api_call_id"], "action": "set:GOasap=/2"}
    )
    assert moved.json()["responseStatus"] == "OK"
    emulator.advance(120)
    transcript = call(emulator, body["id"])["transcript"]
    assert [(g["to"], g["reason"]) for g in entries(transcript, "goto")][:3] == [
        ("/", "answered"),
        ("/2", "moved"),
        ("/", "end of messages"),
    ]
    assert "file:/2/000.tts" in played(transcript)


def test_hang_up_from_outside_ends_the_walk(ivr):
    emulator = ivr({"ext.ini": MENU})
    body = place(emulator, [""] * 10)
    emulator.advance(5)
    assert emulator.admin.delete(f"calls/{body['id']}").status_code == 200
    emulator.advance(60)
    shown = call(emulator, body["id"])
    assert kinds(shown["transcript"])[-1] == "hangup"
    assert entries(shown["transcript"], "hangup")[0]["by"] == "system"
    assert len(entries(shown["transcript"], "input")) == 0


CALL_ID = re.compile(r"\b[0-9a-f]{40}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def _call_ids(transcript):
    return set(CALL_ID.findall(json.dumps(transcript)))


def _masked(transcript):
    return json.loads(CALL_ID.sub("<call id>", json.dumps(transcript)))


def test_same_script_same_fixture_same_transcript(ivr, service):
    tree = {"ext.ini": MENU, "5/ext.ini": "type=api\napi_link=http://ivr.test/x\n", "5/000.tts": "x"}

    def answer(request):
        fields = dict(request.url.params)
        if "hangup" in fields:
            return "noop"
        return "id_list_message=t-b&go_to_folder=/" if "v" in fields else "read=t-a=v,no,2,1,5,No"

    service.answer = answer
    emulator = ivr(tree)
    keys = ["5", "", "12", "5", "7"]
    first = _walk(emulator, keys)["transcript"]
    emulator.reset()
    assert emulator.admin.post("fixtures", content=fixture_yaml(tree)).status_code == 200
    emulator.freeze("2023-11-14T22:13:20Z")
    second = _walk(emulator, keys)["transcript"]
    assert _call_ids(first) and _call_ids(first).isdisjoint(_call_ids(second))  # never handed out again
    assert _masked(first) == _masked(second)
    assert len(entries(first, "request")) == 5  # two visits to 5 (a request and a value each), the hang-up


def test_call_and_transcript_match_the_admin_contract(ivr, service):
    from emulator.config import default_contracts_dir
    from emulator.core.http.contracts import Contract

    contract = Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")
    service.replies = ["read=t-x.m-1399=v,no,1,1,7,Number", "id_list_message=t-y&bad", "noop"]
    tree = {"ext.ini": MENU, "5/ext.ini": "type=api\napi_link=http://ivr.test/x\n", "4/ext.ini": "type=record\n"}
    emulator = ivr(tree)
    body = place(emulator, ["5", "3", "1", "4", "2"])
    emulator.advance(600)
    shown = emulator.admin.get(f"calls/{body['id']}")
    schema = contract.resolve(contract.get("calls/{id}").verbs["get"]["responses"]["200"])
    schema = contract.resolve(schema["content"]["application/json"]["schema"])
    assert [str(error) for error in contract.validator(schema).iter_errors(shown.json())] == []
    assert set(kinds(shown.json()["transcript"])) >= {"goto", "play", "input", "request", "reply", "error", "record"}


def test_a_running_clock_runs_the_call_live(ivr, service):
    import time

    emulator = ivr({"5/ext.ini": "type=api\napi_link=http://ivr.test/x\napi_end_goto=hangup\n"})
    emulator.control("POST", "clock", json={"freeze": False})
    service.replies = ["id_list_message=t-abcdefghij"]  # 1.1 s of speech, then api_end_goto
    body = place(emulator, [], path="/5")
    assert call(emulator, body["id"])["state"] == "active"
    deadline = time.monotonic() + 10
    while call(emulator, body["id"])["state"] != "ended" and time.monotonic() < deadline:
        time.sleep(0.1)
    shown = call(emulator, body["id"])
    assert shown["state"] == "ended" and entries(shown["transcript"], "hangup")[0]["by"] == "system"
    assert 1.0 <= shown["talk_s"] < 5.0


def test_a_walk_in_progress_survives_snapshot_and_restore(ivr, service):
    tree = {"ext.ini": MENU, "5/ext.ini": "type=api\napi_link=http://ivr.test/x\n"}
    service.answer = lambda request: (
        "noop"
        if "hangup" in request.url.params
        else "id_list_message=t-b&go_to_folder=hangup"
        if "v" in request.url.params
        else "read=t-a=v,no,2,1,5,No"
    )
    emulator = ivr(tree)
    body = place(emulator, ["5", "12"])
    emulator.advance(5)  # in the menu prompt... then extension 5 asks its question
    snapshot = emulator.control("GET", "snapshot")
    emulator.advance(60)
    straight = call(emulator, body["id"])["transcript"]
    emulator.control("POST", "restore", json=snapshot)
    emulator.control("POST", "clock", json={"set": "2023-11-14T22:13:25Z"})
    emulator.advance(60)
    assert call(emulator, body["id"])["transcript"] == straight
    assert entries(straight, "hangup")[0]["where"] == "/5"
