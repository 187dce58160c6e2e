"""The reference's two replayable dialogues, byte for byte: requests sent and replies acted on."""

from __future__ import annotations

import httpx
from ivr_helpers import call, entries, kinds, place, played

PROMPT = "הקש מספר זהות בן ארבע ספרות"


def _base(body: dict) -> str:
    return (
        f"ApiCallId={body['api_call_id']}&ApiYFCallId={body['yf']}&ApiDID=0771234567&ApiRealDID=0771234567"
        "&ApiPhone=0501234567&ApiExtension=5&ApiTime=1700000000"
    )


def _yf_id(emulator, body):
    walk = emulator.runtime.world.yemot.ivr_walks[body["id"]]
    assert len(walk.yf_call_id) == 36 and walk.yf_call_id.count("-") == 4
    return walk.yf_call_id


def test_dialogue_one_get_read_then_message_then_hangup(ivr, service):
    emulator = ivr({"5/ext.ini": "type=api\napi_link=http://ivr.test/ivr\n"})
    service.replies = [
        f"read=t-{PROMPT}=userId,no,4,4,7,Digits,no,no,,,,,None,",
        "id_list_message=t-שלום.d-1234.m-1399&go_to_folder=hangup",
        httpx.Response(200, json={"message": "hangup"}),
    ]
    body = place(emulator, ["1234", "1"], path="/5")
    body["yf"] = _yf_id(emulator, body)
    emulator.advance(120)
    base = _base(body)
    assert service.urls == [
        f"http://ivr.test/ivr?{base}",
        f"http://ivr.test/ivr?{base}&userId=1234",
        f"http://ivr.test/ivr?{base}&userId=1234&hangup=yes&ApiHangupExtension=5",
    ]
    assert all(request.method == "GET" for request in service.requests)
    shown = call(emulator, body["id"])
    transcript = shown["transcript"]
    assert shown["state"] == "ended"
    assert kinds(transcript) == [
        "goto", "request", "reply", "play", "input", "play", "input", "request", "reply", "play", "hangup",
        "request", "reply",
    ]  # fmt: skip
    assert played(transcript) == [
        f"text:{PROMPT}",
        "digits:1234",  # mode Digits reads the answer back ...
        "system_message:M1034",  # ... and asks to confirm it
        "text:שלום",
        "digits:1234",
        "system_message:M1399",
    ]
    assert entries(transcript, "input")[0] | {"at": None} == {
        "at": None, "kind": "input", "variable": "userId", "keys": "1234", "mode": "tap", "value": "1234",
    }  # fmt: skip
    assert entries(transcript, "hangup")[0]["by"] == "system" and entries(transcript, "hangup")[0]["where"] == "/5"
    first_reply = entries(transcript, "reply")[0]
    assert first_reply["directives"][0]["read"]["name"] == "userId"
    assert entries(transcript, "reply")[-1]["text"] == '{"message":"hangup"}'


def test_dialogue_two_post_form_then_api_end_goto(ivr, service):
    emulator = ivr({"5/ext.ini": "type=api\napi_link=http://ivr.test/yemot\napi_url_post=yes\napi_end_goto=hangup\n"})
    service.replies = [
        f"read=t-{PROMPT}=userId,no,4,4,7,NO,no,no,*/,,3,no,None,no",
        "id_list_message=t-שלום.d-1234",
        "noop",
    ]
    body = place(emulator, ["1234"], path="/5")
    body["yf"] = _yf_id(emulator, body)
    emulator.advance(120)
    base = _base(body)
    assert [request.method for request in service.requests] == ["POST", "POST", "POST"]
    assert {request.headers["content-type"] for request in service.requests} == {"application/x-www-form-urlencoded"}
    assert service.urls == ["http://ivr.test/yemot"] * 3
    assert service.bodies == [base, f"{base}&userId=1234", f"{base}&userId=1234&hangup=yes&ApiHangupExtension=5"]
    transcript = call(emulator, body["id"])["transcript"]
    assert played(transcript) == [f"text:{PROMPT}", "text:שלום", "digits:1234"]  # field 15 'no': no confirm step
    goto = entries(transcript, "goto")
    assert [(g["from"], g["to"], g["reason"]) for g in goto] == [(None, "/5", "answered")]
    assert entries(transcript, "hangup")[0]["by"] == "system"  # api_end_goto=hangup
