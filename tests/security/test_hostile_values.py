"""Defects 2, 3, 6, 7 and 11: alias bombs, deep JSON, edge instants, foreign digits, control characters in paths."""

from __future__ import annotations

import pytest
from conftest import TOKEN, Wire

ALIAS_BOMB_367 = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
)
ALIAS_BOMB_417 = ALIAS_BOMB_367 + "k: &k [" + ",".join(["*j"] * 10) + "]\n"


def _deep(levels: int) -> str:
    return '{"token": "' + TOKEN + '", "x": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize("bomb", [ALIAS_BOMB_367, ALIAS_BOMB_417], ids=["10x10", "11x10"])
def test_yaml_alias_bombs_are_refused_at_once_and_the_fixture_stays(wire: Wire, bomb: str):
    response = wire.admin.post("fixtures", content=bomb.encode(), timeout=10)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "(document)"
    assert body["problem"] == "expands to more than 200000 values (anchors and aliases count once per use)"
    assert wire.yemot_call("GetSession")["responseStatus"] == "OK"


@pytest.mark.parametrize("levels", [500, 990, 5000, 100_000])
def test_deeply_nested_json_gets_each_apis_malformed_body_answer_and_the_journal_stays_readable(
    wire: Wire, levels: int
):
    body = _deep(levels).encode()
    yemot = wire.yemot.post("GetSession", content=body, headers={"content-type": "application/json"})
    assert (yemot.status_code, yemot.json()["message"]) == (200, "request body could not be parsed")
    simotel = wire.simotel.put("setting/ping/act", content=body, headers={"content-type": "application/json"})
    assert simotel.status_code == 400
    assert simotel.json() == {"success": 0, "message": "Unable to parse content", "data": None}
    control = wire.admin.post("clock", content=body, headers={"content-type": "application/json"})
    assert control.status_code == 400
    assert control.json()["error"] == "request body is not valid JSON: JSON nests deeper than 64 levels"
    phones = wire.yemot.post("SendSms", data={"token": TOKEN, "message": "x", "phones": "[" * levels + "]" * levels})
    assert phones.status_code == 200 and phones.json()["responseStatus"] == "ERROR"
    journal = wire.admin.get("journal")
    assert journal.status_code == 200
    assert [entry["operation"] for entry in journal.json()["entries"]] == ["GetSession", "setting/ping/act", "SendSms"]


def test_journal_stays_readable_after_a_request_nesting_right_under_the_limit(wire: Wire):
    response = wire.yemot.post("GetSession", content=_deep(63).encode(), headers={"content-type": "application/json"})
    assert response.json()["responseStatus"] == "OK"
    entries = wire.admin.get("journal").json()["entries"]
    assert entries[-1]["operation"] == "GetSession"


@pytest.mark.parametrize("instant", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_clock_refuses_instants_outside_its_range_and_keeps_working(wire: Wire, instant: str):
    before = wire.control.clock()["now"]
    response = wire.admin.post("clock", json={"freeze": True, "set": instant})
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "'set' is out of range: the emulator clock runs from 1970-01-01T00:00:00Z"
    )
    assert wire.control.clock()["frozen"] is False and wire.control.clock()["now"] >= before
    assert wire.yemot_call("GetCustomerData")["responseStatus"] == "OK"
    assert wire.simotel.put("setting/ping/act", json={}).json()["success"] == 1


def test_clock_refuses_an_advance_past_its_range(wire: Wire):
    wire.control.freeze("2999-12-31T00:00:00Z")
    response = wire.admin.post("clock", json={"advance": 86400 * 2})
    assert response.status_code == 400 and response.json()["error"].startswith("'advance' is out of range")
    assert wire.control.clock()["now"] == "2999-12-31T00:00:00Z"
    assert wire.yemot_call("GetCustomerData")["responseStatus"] == "OK"
    assert wire.yemot_call("SendSms", phones="0527777001", message="x")["responseStatus"] == "OK"


def test_restore_refuses_a_pending_event_of_unknown_kind(wire: Wire):
    wire.yemot_call("SendTTS", phones="0527777001", ttsMessage="hi")
    snapshot = wire.control.control("GET", "snapshot")
    assert snapshot["world"]["scheduler"]["pending"], "a call in progress leaves scheduled events"
    snapshot["world"]["scheduler"]["pending"][0]["kind"] = "no.such.kind"
    response = wire.admin.post("restore", json=snapshot)
    assert response.status_code == 400
    assert response.json()["error"] == "not a valid snapshot: pending events of unknown kind: no.such.kind"
    wire.control.advance(300)
    assert wire.yemot_call("GetSession")["responseStatus"] == "OK"


@pytest.mark.parametrize(
    ("text", "line"),
    [("[" * 5000 + "]" * 5000, 1), ("- " * 5000 + "x\n", 1), ("{a: " * 5000 + "}" * 5000, 1)],
    ids=["flow-sequence", "block-sequence", "flow-mapping"],
)
def test_fixture_nested_5000_deep_is_refused(wire: Wire, text: str, line: int):
    response = wire.admin.post("fixtures", content=text.encode())
    assert response.status_code == 400
    assert (response.json()["line"], response.json()["problem"]) == (line, "nests deeper than 32 levels")
    assert wire.yemot_call("GetSession")["responseStatus"] == "OK"


def test_arabic_indic_digits_are_not_phone_numbers(wire: Wire):
    units = wire.yemot_call("GetCustomerData")["units"]
    body = wire.yemot_call("SendSms", phones="05٢٧٧٧٧٠٠١", message="hi")
    assert (body["responseStatus"], body["message"], body["errors"]) == (
        "ERROR",
        "No valid phones",
        {"05٢٧٧٧٧٠٠١": "notValid"},
    )
    assert wire.yemot_call("GetCustomerData")["units"] == units
    assert wire.control.messages() == []


@pytest.mark.parametrize("digits", ["١٠٥", "۱۰۵", "１０５", "10٥"])
def test_simotel_number_fields_take_ascii_digits_only(wire: Wire, digits: str):
    response = wire.simotel.post("pbx/users/add", json={"number": digits, "name": "x", "secret": "abcdefgh"})
    assert response.json() == {"success": 0, "message": "Field 'number':value is invalid", "data": None}


def test_create_sip_account_ext_number_takes_ascii_digits_only(wire: Wire):
    body = wire.yemot_call("CreateSipAccount", extNumber="٢٠١")
    assert body["responseStatus"] == "ERROR"
    assert body["message"].startswith("invalid value for parameter 'extNumber'")


def test_transfer_units_amount_takes_ascii_digits_only(wire: Wire):
    fixture = (
        "yemot:\n  systems:\n"
        '    - {number: "0773137770", password: "1234", units: 100}\n'
        '    - {number: "0773137771", password: "1234", units: 0}\n'
    )
    assert wire.admin.post("fixtures", content=fixture.encode()).status_code == 200
    for amount in ("٢", "۵", "nan", "inf", "1e999"):
        body = wire.yemot_call("TransferUnits", destination="0773137771", amount=amount)
        assert (body["responseStatus"], body["message"]) == ("ERROR", "Bad amount"), amount
    assert wire.yemot_call("GetCustomerData")["units"] == 100
    assert wire.yemot_call("TransferUnits", destination="0773137771", amount="2")["responseStatus"] == "OK"


@pytest.mark.parametrize("path", ["a%0Ab", "a%0Db", "a%00b", "ivr2:/1/x%09y", "a%7Fb"])
def test_paths_with_control_characters_are_invalid_paths(wire: Wire, path: str):
    response = wire.yemot.get(f"CheckIfFileExists?token={TOKEN}&path={path}")
    assert response.status_code == 200
    assert (response.json()["responseStatus"], response.json()["message"]) == ("ERROR", "path is invalid")
