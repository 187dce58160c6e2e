"""The API module (type=api): request fields and switches, every reply directive, reads, failures."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import httpx
import pytest
from ivr_helpers import START, SYSTEM, call, entries, fixture_yaml, place, played

from emulator.core.outbound.targets import MARKER, MARKER_HEADER

LINK = "http://ivr.test/ivr"


def _api(extra: str = "", **tree: str) -> dict[str, str]:
    return {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={LINK}\n{extra}", **tree}


def _run(emulator, keys, path="/5", advance=600, **extra):
    body = place(emulator, keys, path=path, **extra)
    emulator.advance(advance)
    return call(emulator, body["id"])


def _fields(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)


def test_api_add_switches_and_order(ivr, service):
    extra = "api_add_1=b=2\napi_add_0=secret=s3\napi_phone_send=no\napi_time_send=no\napi_call_id_send=no\n"
    service.replies = ["read=t-x=v,no,1,1,7,No", "go_to_folder=hangup"]
    _run(ivr(_api(extra)), ["7"])
    assert [name for name, _ in _fields(service.requests[0])] == [
        "ApiDID", "ApiRealDID", "ApiExtension", "secret", "b",
    ]  # fmt: skip
    assert _fields(service.requests[1])[-1] == ("v", "7")
    assert _fields(service.requests[2])[-2:] == [("hangup", "yes"), ("ApiHangupExtension", "5")]
    # marked as the emulator's own outbound request: its control plane refuses such requests
    assert service.requests[0].headers[MARKER_HEADER] == MARKER


def test_the_transcript_redacts_secret_fields_the_service_receives_whole(ivr, service):
    service.replies = ["go_to_folder=hangup"]
    body = _run(ivr(_api("api_add_0=token=s3cr3t-value\napi_add_1=city=ashdod\n")), [])
    assert ("token", "s3cr3t-value") in _fields(service.requests[0])
    [request, *_] = entries(body["transcript"], "request")
    assert ["token", "***ue"] in request["params"] and ["city", "ashdod"] in request["params"]
    assert "s3cr3t" not in request["url"] and "&token=***ue&" in request["url"]


def test_link_with_its_own_query_gets_a_second_question_mark(ivr, service):
    emulator = ivr({"5/ext.ini": f"type=api\napi_link={LINK}?secret=abc\napi_hangup_send=no\n"})
    service.replies = ["go_to_folder=hangup"]
    _run(emulator, [])
    assert len(service.requests) == 1  # api_hangup_send=no: no final request
    assert str(service.requests[0].url).startswith(f"{LINK}?secret=abc?ApiCallId=")


def test_values_accumulate_and_a_repeated_name_is_sent_again(ivr, service):
    service.replies = ["read=t-a=val,no,1,1,7,No", "read=t-b=val,no,1,1,7,No", "read=t-c=other,yes,1,1,7,No"]
    service.replies.append("go_to_folder=hangup")
    shown = _run(ivr(_api()), ["1", "9"])
    assert _fields(service.requests[2])[-2:] == [("val", "1"), ("val", "9")]
    # reuse=yes and the name... is new: asked; the script is out, so the caller hangs up
    assert entries(shown["transcript"], "hangup")[0]["by"] == "caller"


def test_reuse_yes_skips_a_name_already_answered(ivr, service):
    service.replies = ["read=t-a=val,no,1,1,7,No", "read=t-again=val,yes,1,1,7,No", "go_to_folder=hangup"]
    shown = _run(ivr(_api()), ["4"])
    assert len(service.requests) == 4
    assert "text:again" not in played(shown["transcript"])


def test_ext_ini_reads_come_before_the_first_request(ivr, service):
    tree = _api("api_000=code,,2,2,7,No\napi_001=pin,,1,1,7,No\n", **{"5/000.tts": "הקישו קוד"})
    service.replies = ["go_to_folder=hangup"]
    shown = _run(ivr(tree), ["12", "3"])
    assert _fields(service.requests[0])[-2:] == [("code", "12"), ("pin", "3")]
    assert played(shown["transcript"])[0] == "file:/5/000.tts"


@pytest.mark.parametrize(
    ("fields", "keys", "sent", "heard"),
    [
        ("v,no,4,4,7,No", ["12", "1234"], "1234", ["system_message:M1035"]),  # too short, asked again
        ("v,no,2,1,7,No,no,no,,1.2.10", ["3", "10"], "10", ["system_message:M1224"]),  # not allowed
        ("v,no,2,1,7,No,no,no,,12", ["3", "21"], "21", ["system_message:M1224"]),  # keys written together
        ("v,no,,1,7,No,no,no,*/", ["1*2#"], "1/2", []),  # replacement; # ends typing
        ("v,no,,1,7,No,yes,yes", ["1*02"], "12", []),  # * and 0 blocked
        ("v,no,3,1,7,No", ["98765"], "987", []),  # keys past the maximum are not taken
        ("v,no,2,1,7,No,no,no,,,,Ok,empty", [""], "empty", []),  # an empty answer accepted
        ("v,no,2,1,7,No,no,no,,,,Ok", [""], "None", []),  # ... with the default value
        ("v,no,2,1,7,No,no,no,,,2,,gave-up", ["", ""], "gave-up", ["system_message:M1002"] * 2),  # tries
        ("v,no,4,4,7,Digits", ["1234", "2", "5678", "1"], "5678", ["digits:1234", "system_message:M1034"]),
        ("v,no,2,1,7,Number,no,no,,,,,,,no", ["42"], "42", []),  # field 15 no: no confirmation
        ("v,no,voice,he-IL", ["שלום עולם"], "שלום עולם", []),  # speech: the scripted text is recognised
        ("v,no,voice,he-IL", [""], "", []),  # silence in speech mode: empty
    ],
)
def test_read_fields(ivr, service, fields, keys, sent, heard):
    service.replies = [f"read=t-q={fields}", "go_to_folder=hangup"]
    shown = _run(ivr(_api()), keys)
    assert _fields(service.requests[1])[-1] == ("v", sent)
    assert [part for part in played(shown["transcript"]) if part != "text:q"][: len(heard)] == heard


def test_record_read_saves_into_the_tree_and_sends_the_path(ivr, service):
    emulator = ivr(_api("api_dir=/8\n"))
    service.replies = [
        "read=f-000=rec,no,record,,a1,no,,,,30",
        "read=t-again=rec2,no,record,/9,,no",
        "go_to_folder=hangup",
    ]
    shown = _run(emulator, ["4", "2"])
    assert _fields(service.requests[1])[-1] == ("rec", "/8/a1.wav")
    assert _fields(service.requests[2])[-1] == ("rec2", "/9/000.wav")
    assert [entry["path"] for entry in entries(shown["transcript"], "record")] == ["/8/a1.wav", "/9/000.wav"]
    files = emulator.runtime.world.yemot.systems[SYSTEM].tree.files
    assert (files["8/a1.wav"].duration, files["8/a1.wav"].source, files["8/a1.wav"].phone) == (
        4.0,
        "call",
        "0501234567",
    )


@pytest.mark.parametrize(
    ("target", "folder"),
    [("/1/2", "/1/2"), ("ivr2:/1", "/1"), ("2", "/5/2"), ("..", "/"), ("/..", "/"), (".", "/5"), ("/", "/")],
)
def test_go_to_folder_forms(ivr, service, target, folder):
    tree = _api(**{"1/2/ext.ini": "type=hangup\n", "1/ext.ini": "type=hangup\n", "5/2/ext.ini": "type=hangup\n"})
    service.answer = lambda request: "noop" if "hangup" in request.url.params else f"go_to_folder={target}"
    shown = _run(ivr(tree), [])
    assert entries(shown["transcript"], "goto")[1]["to"] == folder


def test_bad_go_to_folder_is_m1608(ivr, service):
    service.replies = ["go_to_folder=/a*b"]
    shown = _run(ivr(_api()), [])
    error = entries(shown["transcript"], "error")[0]
    assert (error["code"], error["text"]) == ("M1608", "/a*b")
    assert entries(shown["transcript"], "hangup")[0]["by"] == "system"


def test_g_part_and_go_to_folder_and_play_and_music_on_hold(ivr, service):
    tree = _api(**{"3/ext.ini": "type=playfile\n", "3/000.tts": "a", "3/001.tts": "bb", "3/002.tts": "ccc"})
    service.replies = ["music_on_hold=moh,20", "id_list_message=t-x.g-/3"]
    shown = _run(ivr(tree), [])
    plays = entries(shown["transcript"], "play")
    assert plays[0]["parts"][0] | {"seconds": 20.0} == plays[0]["parts"][0] and plays[0]["seconds"] == 20.0
    assert service.requests[1].url.params["ApiExtension"] == "5"  # called again after the hold music
    assert played(shown["transcript"])[1:5] == ["text:x", "file:/3/000.tts", "file:/3/001.tts", "file:/3/002.tts"]
    service.requests.clear()
    service.replies = ["go_to_folder_and_play=/3,001,500"]
    shown = _run(ivr(tree), [])
    assert played(shown["transcript"])[:2] == ["file:/3/001.tts", "file:/3/002.tts"]


def test_routing_to_an_unknown_system_ends_the_call_and_credit_card_is_not_simulated(ivr, service):
    service.replies = ["routing_yemot=0779999999"]
    shown = _run(ivr(_api()), [])
    note = entries(shown["transcript"], "note")[0]
    assert note["args"] == {"system": "0779999999"} and "not a system on this server" in note["message"]
    assert entries(shown["transcript"], "hangup")[0]["by"] == "system"
    service.replies = ["credit_card=tranzila,10", "noop"]
    shown = _run(ivr(_api()), [])
    assert entries(shown["transcript"], "error")[0]["message"] == "credit_card payments are not simulated"


def test_routing_yemot_goes_on_at_the_root_of_the_other_system(emulator_factory, service):
    other = "0779999999"
    document = json.loads(fixture_yaml(_api()))
    document["yemot"]["systems"].append(
        {"number": other, "password": "4321", "units": 5, "files": {"ext.ini": {"text": "type=playfile\n"},
                                                                    "000.tts": {"text": "welcome to the other"}}}
    )  # fmt: skip
    emulator = emulator_factory(ivr_transport=httpx.MockTransport(service))
    assert emulator.admin.post("fixtures", content=json.dumps(document)).status_code == 200
    emulator.freeze(START)
    service.replies = ["routing_yemot=" + other]
    body = place(emulator, [], path="/5", hangup_after_s=30)
    emulator.advance(5)
    live = emulator.yemot.get("GetIncomingCalls", params={"token": f"{other}:4321"}).json()
    assert [(c["path"], c["transferFrom"]) for c in live["calls"]] == [("/", "מועבר")]
    assert emulator.yemot.get("GetIncomingCalls", params={"token": f"{SYSTEM}:1234"}).json()["calls"] == []
    emulator.advance(600)
    shown = call(emulator, body["id"])
    gotos = [(g["to"], g["reason"]) for g in entries(shown["transcript"], "goto")]
    assert gotos[:2] == [("/5", "answered"), ("/", "routing_yemot")]
    first = entries(shown["transcript"], "play")[0]["parts"][0]
    assert (first["path"], first["found"], first["text"]) == ("/000.tts", True, "welcome to the other")
    assert [r.url.params.get("hangup") for r in service.requests] == [None]  # the left API gets no hangup=yes
    assert emulator.yemot.get("GetIncomingCalls", params={"token": f"{other}:4321"}).json()["calls"] == []
    units = emulator.yemot.get("GetCustomerData", params={"token": f"{other}:4321"}).json()["units"]
    assert units == 5


def test_malformed_parts_are_errors_with_their_text_and_the_rest_runs(ivr, service):
    service.replies = ["id_list_message=t-ok.x-bad&api_answer=OK&go_to_folder=hangup&id_list_message=t-late"]
    shown = _run(ivr(_api()), [])
    errors = [(e["code"], e["text"]) for e in entries(shown["transcript"], "error")]
    assert errors == [("reply", "x-bad"), ("reply", "api_answer=OK"), ("reply", "id_list_message=t-late")]
    assert played(shown["transcript"]) == ["text:ok"]
    reply = entries(shown["transcript"], "reply")[0]
    assert [d["action"] for d in reply["directives"]] == ["id_list_message", "go_to_folder"]


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (httpx.Response(500, text="boom"), "HTTP 500"),
        (httpx.Response(200, text="  "), "empty reply"),
        (httpx.ConnectError("refused"), "ConnectError: refused"),
        ("hangup=yes", "the reply holds no action the platform can run"),
        (httpx.Response(302, headers={"location": "http://127.0.0.1/__emulator__/reset"}), "HTTP 302"),
    ],
)
def test_no_usable_answer_is_m1607_then_api_end_goto(ivr, service, reply, why):
    service.replies = [reply]
    shown = _run(ivr(_api("api_end_goto=/7\n", **{"7/ext.ini": "type=hangup\n"})), [])
    error = entries(shown["transcript"], "error")[-1]
    assert (error["code"], error["message"]) == ("M1607", why)
    assert "system_message:M1607" in played(shown["transcript"])
    assert entries(shown["transcript"], "goto")[-1]["to"] == "/7"


def test_a_timeout_costs_api_timeout_seconds(ivr, service):
    service.replies = [httpx.ReadTimeout("slow")]
    shown = _run(ivr(_api("api_timeout=12\n")), [])
    request, reply = entries(shown["transcript"], "request")[0], entries(shown["transcript"], "reply")[0]
    assert reply["error"] == "no answer within 12 s"
    assert (request["at"], reply["at"]) == ("2023-11-14T22:13:20Z", "2023-11-14T22:13:32Z")


def test_missing_link_is_m1609(ivr, service):
    shown = _run(ivr({"ext.ini": "type=menu\n", "5/ext.ini": "type=api\n"}), [])
    assert entries(shown["transcript"], "error")[0]["code"] == "M1609"
    assert played(shown["transcript"])[:2] == ["system_message:M1609", "system_message:M1000"]
    assert service.requests == []


@pytest.mark.parametrize("link", ["http://127.0.0.1:8080/__emulator__/reset", "ftp://ivr.test/x", "http://[::1"])
def test_links_the_emulator_refuses_never_leave_it(ivr, service, link):
    shown = _run(ivr({"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={link}\n"}), [])
    assert service.requests == []
    assert entries(shown["transcript"], "error")[0]["code"] == "M1607"


def test_caller_hanging_up_mid_read_sends_hangup_with_the_values_so_far(ivr, service):
    service.replies = ["read=t-a=a,no,1,1,7,No", "read=t-b=b,no,1,1,7,No", "noop"]
    shown = _run(ivr(_api()), ["1", "", "", ""], hangup_after_s=12)
    assert _fields(service.requests[-1])[-3:] == [("a", "1"), ("hangup", "yes"), ("ApiHangupExtension", "5")]
    hangup = entries(shown["transcript"], "hangup")[0]
    assert (hangup["by"], hangup["at"]) == ("caller", "2023-11-14T22:13:32Z")
    assert all(entry["at"] <= hangup["at"] for entry in shown["transcript"])


def test_a_service_looping_on_itself_is_stopped(ivr, service):
    service.answer = lambda request: "noop" if "hangup" in request.url.params else "go_to_folder=."
    shown = _run(ivr(_api()), [])
    assert entries(shown["transcript"], "error")[0]["code"] == "loop"
    assert shown["state"] == "ended" and len(service.requests) < 400


def test_an_answered_outbound_callee_with_a_key_script_walks_the_ivr(ivr, service):
    emulator = ivr(_api())
    assert emulator.admin.put("phones/0527000000", json={"keys": ["1234"]}).json()["rule"]["keys"] == ["1234"]
    service.replies = ["read=t-code=code,no,4,4,7,No", "go_to_folder=hangup", "noop"]
    placed = emulator.runtime.telephony.place(
        api="yemot", tenant=SYSTEM, kind="extension_bridging", caller_id=SYSTEM, to="0527000000", extra={"ivrPath": "5"}
    )
    emulator.advance(120)
    shown = call(emulator, placed.id)
    assert [(g["to"], g["reason"]) for g in entries(shown["transcript"], "goto")] == [("/5", "answered")]
    first = dict(_fields(service.requests[0]))
    assert (first["ApiPhone"], first["ApiRealDID"], first["ApiExtension"]) == ("0527000000", SYSTEM, "5")
    assert dict(_fields(service.requests[1]))["code"] == "1234"
    assert shown["phase"] == "ended" and entries(shown["transcript"], "hangup")[0]["by"] == "system"
    # the handset answered after its ring time (5 s) and talked until the IVR hung up, not its default 20 s
    assert shown["talk_s"] < 20


def test_a_phone_rule_refuses_a_bad_key_script(ivr):
    emulator = ivr(_api())
    refused = emulator.admin.put("phones/0527000000", json={"keys": "1234"})
    assert refused.status_code == 400 and "'keys' must be a list" in refused.json()["error"]


def test_hold_music_while_waiting_for_a_slow_service(ivr, service):
    service.replies = [httpx.ReadTimeout("slow")]
    shown = _run(ivr(_api("api_timeout=5\napi_wait_answer_music_on_hold=yes\n")), [])
    assert played(shown["transcript"])[:2] == ["music_on_hold:default,5", "system_message:M1607"]
    assert entries(shown["transcript"], "play")[0]["seconds"] == 5.0


def test_call_extension_bridging_drops_a_scripted_callee_into_the_api_extension(ivr, service):
    emulator = ivr(_api())
    emulator.admin.put("phones/0527000000", json={"keys": ["42"]})
    service.replies = ["read=t-code=code,no,2,2,7,No", "go_to_folder=hangup", "noop"]
    token = f"{SYSTEM}:1234"
    placed = emulator.yemot.get(
        "CallExtensionBridging", params={"token": token, "phones": "0527000000", "ivrPath": "ivr2:/5"}
    ).json()
    assert placed["responseStatus"] == "OK", placed
    emulator.advance(120)
    (bridged,) = [c for c in emulator.calls(kind="extension_bridging")]
    shown = call(emulator, bridged["id"])
    first = dict(_fields(service.requests[0]))
    assert first["ApiCallId"] == bridged["extra"]["api_call_id"]  # the live call's id, as GetIncomingCalls shows
    assert (first["ApiPhone"], first["ApiExtension"]) == ("0527000000", "5")
    assert dict(_fields(service.requests[1]))["code"] == "42"
    assert shown["state"] == "ended"
