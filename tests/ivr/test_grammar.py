"""The API module's reply grammar: every directive, message part and read layout of the reference."""

from __future__ import annotations

import pytest

from emulator.yemot.ivr.grammar import parse_reply
from emulator.yemot.ivr.messages import Part, parse_message
from emulator.yemot.ivr.reads import RecordRead, SpeechRead, TapRead, answer_allowed, parse_read_fields


def test_dialogue_one_replies():
    first = parse_reply("read=t-הקש מספר זהות בן ארבע ספרות=userId,no,4,4,7,Digits,no,no,,,,,None,")
    assert first.problems == []
    (read,) = first.actions
    assert read.parts == [Part("text", "הקש מספר זהות בן ארבע ספרות")]
    assert read.read == TapRead(name="userId", max_digits=4, min_digits=4, mode="Digits", confirm=True)
    second = parse_reply("id_list_message=t-שלום.d-1234.m-1399&go_to_folder=hangup")
    assert [action.name for action in second.actions] == ["id_list_message", "go_to_folder"]
    assert second.actions[0].parts == [Part("text", "שלום"), Part("digits", "1234"), Part("system_message", "M1399")]
    assert second.actions[1].path == "hangup" and second.actions[1].terminal


def test_yemot_flow_read_has_all_fifteen_fields():
    reply = parse_reply("read=t-הקש מספר זהות בן ארבע ספרות=userId,no,4,4,7,NO,no,no,*/,,3,no,None,no")
    read = reply.actions[0].read
    assert read == TapRead(
        name="userId", max_digits=4, min_digits=4, mode="No", replace=("*", "/"), tries=3, confirm=False
    )
    assert read.to_json()["replace"] == "*/"


def test_every_tap_field():
    read = parse_read_fields("code,yes,6,2,12,Number,yes,yes,*9,1.2.10,4,Ok,empty,InsertLettersTypeChangeNo,no")
    assert read == TapRead(
        name="code",
        reuse=True,
        max_digits=6,
        min_digits=2,
        wait_s=12.0,
        mode="Number",
        block_asterisk=True,
        block_zero=True,
        replace=("*", "9"),
        allowed=["1", "2", "10"],
        tries=4,
        allow_empty=True,
        empty_value="empty",
        block_language_change=True,
        confirm=False,
    )


@pytest.mark.parametrize(
    ("mode", "lengths"),
    [("Date", (8, 8)), ("HebrewDate", (8, 8)), ("Time", (4, 4)), ("TeudatZehut", (8, 9)), ("Phone", (9, 10))],
)
def test_preset_modes_fix_the_length(mode, lengths):
    read = parse_read_fields(f"v,no,2,1,7,{mode}")
    assert (read.min_digits, read.max_digits) == lengths


def test_allowed_keys_in_both_layouts():
    dotted = parse_read_fields("v,no,2,1,7,No,no,no,,1.2.10")
    assert answer_allowed(dotted, "10") and answer_allowed(dotted, "2") and not answer_allowed(dotted, "3")
    together = parse_read_fields("v,no,2,1,7,No,no,no,,123")
    assert answer_allowed(together, "31") and not answer_allowed(together, "4")


def test_record_mode_in_both_length_orders():
    yr2 = parse_read_fields("rec,no,record,/8,a1,no,,,,30")
    assert yr2 == RecordRead(name="rec", folder="/8", file="a1", confirm_menu=False, max_s=30.0)
    yapi = parse_read_fields("rec,no,record,8/,,,yes,yes,60,5")
    assert (yapi.folder, yapi.min_s, yapi.max_s, yapi.keep_on_hangup, yapi.append) == ("/8", 5.0, 60.0, True, True)


def test_speech_mode_layouts():
    yr2 = parse_read_fields("name,no,voice,he-IL,,,,,")
    assert yr2 == SpeechRead(name="name", lang="he-IL", extra=["", "", ""])
    engine = parse_read_fields("name,no,voice,he-IL,no,5,3,10,record")
    assert engine.records_engine and not engine.allow_typing and engine.max_digits == 5
    yemot_flow = parse_read_fields("name,no,voice,he-IL,no,,no,,")
    assert not yemot_flow.records_engine


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("t-שלום עולם", Part("text", "שלום עולם")),
        ("f-002", Part("file", "002")),
        ("f-/1/002", Part("file", "/1/002")),
        ("s-/5/000", Part("tts_file", "/5/000")),
        ("d-105", Part("digits", "105")),
        ("n-105", Part("number", "105")),
        ("a-abc", Part("alpha", "abc")),
        ("m-1399", Part("system_message", "M1399")),
        ("m-M1399", Part("system_message", "M1399")),
        ("z-T,IL/Jerusalem,+,H3", Part("time", "T,IL/Jerusalem,+,H3")),
        ("h-moh1,30", Part("music_on_hold", "moh1,30")),
        ("g-/1/2", Part("go_to_folder", "/1/2")),
        ("date-28/07/2022", Part("date", "28/07/2022")),
        ("dateH-28/07/2022", Part("hebrew_date", "28/07/2022")),
    ],
)
def test_every_message_part_prefix(text, part):
    assert parse_message(text) == ([part], [])


def test_bad_parts_are_reported_with_their_text():
    parts, problems = parse_message("t-ok.x-what.d-12a.m-12.date-2022-07-28.g-/1.t-after")
    assert parts == [Part("text", "ok"), Part("go_to_folder", "/1")]
    assert [problem.text for problem in problems] == ["x-what", "d-12a", "m-12", "date-2022-07-28", "t-after"]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("t-שלום.g-.", "."),
        ("g-..", ".."),
        ("g-../", "../"),
        ("g-../x", "../x"),
        ("g-./x", "./x"),
        ("g-/1/..", "/1/.."),
        ("g-hangup", "hangup"),
        ("g-/1.", "/1"),  # a dot that ends a path and is no . or .. segment separates, as elsewhere
    ],
)
def test_a_g_part_keeps_its_path_whole(text, path):
    parts, problems = parse_message(text)
    assert (parts[-1], problems) == (Part("go_to_folder", path), [])


def test_system_message_part_carries_hebrew_text():
    assert Part("system_message", "M1607").to_json() == {
        "type": "system_message",
        "data": "M1607",
        "code": "M1607",
        "text": "אין מענה משרת API",
    }


def test_other_directives():
    reply = parse_reply(
        "id_list_message=t-a&go_to_folder_and_play=/3,005,1500&routing_yemot=0771234567"
        "&routing=0501.0502,,,yes,,id7&music_on_hold=moh,20&noop&id_list_message=noop"
    )
    assert reply.problems == []
    names = [action.name for action in reply.actions]
    assert names == [
        "id_list_message",
        "go_to_folder_and_play",
        "routing_yemot",
        "routing",
        "music_on_hold",
        "noop",
        "noop",
    ]
    play = reply.actions[1]
    assert (play.path, play.args) == ("/3", {"file": "005", "offset_ms": "1500"})
    assert reply.actions[3].args == {"phones": "0501.0502", "multiple": "yes", "your_id": "id7"}
    assert reply.actions[4].args == {"class": "moh", "seconds": "20"}


def test_prompt_may_hold_commas_and_equals():
    reply = parse_reply("read=t-היי, תקיש 10=val_1,no,,1,7,No,no,no,,,,,None,")
    assert reply.actions[0].parts == [Part("text", "היי, תקיש 10")]
    assert reply.actions[0].read.name == "val_1"


def test_trailing_ampersand_and_unknown_directives():
    reply = parse_reply("id_list_message=t-got it&")
    assert [action.name for action in reply.actions] == ["id_list_message"] and reply.problems == []
    odd = parse_reply("read=t-x=v,no,1,1,7,No&api_link_append=step=1&hangup=yes&garbage")
    assert [action.name for action in odd.actions] == ["read"]
    assert [problem.text for problem in odd.problems] == ["api_link_append=step=1", "hangup=yes", "garbage"]


@pytest.mark.parametrize(
    "text",
    ["read=t-x", "read=t-x=", "read=t-x=v,no,a", "read=t-x=v,no,1,1,7,Sideways", "go_to_folder=", "routing_yemot=abc"],
)
def test_malformed_actions_become_problems(text):
    reply = parse_reply(text)
    assert reply.actions == [] and reply.problems[0].text == text


def test_hostile_sizes_are_bounded():
    assert parse_reply("id_list_message=t-a&" * 60).problems[0].message == "more than 50 actions in one reply"
    assert "longer than" in parse_reply("id_list_message=t-" + "א" * 40000).problems[0].message
