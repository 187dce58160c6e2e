"""Placeholders at write time, and the matcher's kinds of difference, on small inputs."""

from __future__ import annotations

from emulator.parity import bodies
from emulator.parity.matcher import Bindings, compare
from emulator.parity.redaction import Redactor
from emulator.parity.rules import parse_rules

RULES = parse_rules(
    {"volatile": {"keys": ["/.*Id/"], "values": [r"^\d{4}-\d{2}-\d{2}$"]}, "envelope": {"yemot": ["message"]}}
)


def test_one_secret_gets_one_placeholder_wherever_it_appears():
    redactor = Redactor()
    assert redactor.pairs([["token", "0773137770:1234"], ["what", "ivr2:/1"]]) == [
        ["token", "<token:1>"], ["what", "ivr2:/1"],
    ]  # fmt: skip
    assert redactor.mapping({"authorization": "Basic dGVzdDpBYTEyMzQ1Ng=="}) == {"authorization": "Basic <basic:1>"}
    assert redactor.mapping({"X-APIKEY": "k3y-value-1", "nested": {"newPassword": "0773137770:1234"}}) == {
        "X-APIKEY": "<apikey:1>",
        "nested": {"newPassword": "<token:1>"},  # the same value as before: the same placeholder
    }
    assert redactor.text("the key k3y-value-1 again") == "the key <apikey:1> again"


def test_phone_numbers_map_consistently_only_when_asked():
    assert Redactor().text("call 0501234567") == "call 0501234567"
    redactor = Redactor(phones=True)
    assert redactor.text("0501234567, +972501234567, 050-123-4567 and 0527777770") == (
        "<phone:1>, <phone:1>, <phone:1> and <phone:2>"
    )
    assert redactor.body({"form": [["phones", "0527777770"]]}) == {"form": [["phones", "<phone:2>"]]}


def test_bindings_fill_requests_and_learn_from_answers():
    bindings = Bindings({"token": "0773137770:1234"})
    assert bindings.fill([["token", "<token:1>"], ["to", "<phone:3>"]]) == [
        ["token", "0773137770:1234"], ["to", "0500000003"],
    ]  # fmt: skip
    assert bindings.match("<session:1>", "abcDEF123")  # unbound: takes the live value
    assert bindings.fill("<session:1>") == "abcDEF123"
    assert not bindings.match("<session:1>", "other")
    assert bindings.match("Bearer <session:1>", "Bearer abcDEF123")


def _answer(json_body, status=200):
    return {"status": status, "body": {"json": json_body}}


def test_each_kind_of_difference_is_reported_at_its_field():
    recorded = _answer({"message": "a", "callId": "1", "when": "2026-01-01", "n": 1, "gone": 1, "list": [1, 2]})
    live = _answer({"message": "b", "callId": "2", "when": "2026-02-02", "n": "1", "new": 1, "list": [1]}, 500)
    found = [(d.path, d.kind) for d in compare("yemot", recorded, live, RULES, Bindings())]
    assert found == [
        ("status", "status"),
        ("$.message", "envelope"),
        ("$.callId", "volatile"),
        ("$.when", "volatile"),
        ("$.n", "type"),
        ("$.gone", "missing"),
        ("$.list", "length"),
        ("$.new", "extra"),
    ]
    assert [d.failing for d in compare("yemot", recorded, recorded, RULES, Bindings())] == []


def test_integers_and_floats_are_one_json_type_and_bodies_of_other_kinds_differ_by_kind():
    assert compare("yemot", _answer({"units": 10}), _answer({"units": 10.0}), RULES, Bindings()) == []
    text = {"status": 200, "body": {"text": "id_list_message=t-x"}}
    [difference] = compare("yemot", text, _answer({}), RULES, Bindings())
    assert (difference.path, difference.kind, difference.expected, difference.actual) == (
        "body",
        "type",
        "text",
        "json",
    )


def test_bodies_are_described_and_built_again():
    form, _ = bodies.describe("application/x-www-form-urlencoded", b"a=1&a=2&b=", "x")
    assert form == {"form": [["a", "1"], ["a", "2"], ["b", ""]]}
    assert bodies.build(form, None) == (b"a=1&a=2&b=", None)
    upload = (
        b'--B\r\nContent-Disposition: form-data; name="path"\r\n\r\nivr2:/1\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n'
        b"RIFF\x00\x01\r\n--B--\r\n"
    )
    described, files = bodies.describe("multipart/form-data; boundary=B", upload, "0001-UploadFile.request")
    assert described == {
        "multipart": [
            {"name": "path", "value": "ivr2:/1"},
            {"name": "file", "filename": "a.wav", "content_type": "audio/wav",
             "file": "0001-UploadFile.request.part-2.bin", "size": 6},
        ]
    }  # fmt: skip
    assert files == {"0001-UploadFile.request.part-2.bin": b"RIFF\x00\x01"}
    rebuilt, content_type = bodies.build(described, files.__getitem__)
    again, _ = bodies.describe(content_type, rebuilt, "0001-UploadFile.request")
    assert again == described
    assert bodies.describe("application/octet-stream", b"\x00\xff", "y") == (
        {"file": "y.bin", "size": 2},
        {"y.bin": b"\x00\xff"},
    )


def test_a_malformed_exchange_file_is_refused_with_its_name_and_reason(tmp_path):
    import json

    import pytest

    from emulator.parity.exchange import RecordingError, load_recording

    exchange = {"request": {"path": "/ym/api/X", "query": [["a", 1]]}, "response": {"status": 200}}
    (tmp_path / "0001-X.json").write_text(json.dumps(exchange), "utf-8")
    with pytest.raises(RecordingError, match=r"0001-X.json: the request's 'query' is a list of \[name, value\]"):
        list(load_recording(tmp_path))
