"""``call/originate/act``: a two-way call on the simulated network that leaves a CDR and a recording."""

from __future__ import annotations

import re

import pytest

ORIGINATE = {"caller": "101", "callee": "09121234567", "context": "main_routing", "caller_id": "101"}
CALL_S = 120  # 5 s ring + 10 s ring + 50 s talk by default: over within two minutes


def _originate(emulator, **overrides):
    response = emulator.simotel.post("call/originate/act", json={**ORIGINATE, **overrides})
    assert response.status_code == 200
    return response.json()


def _cdr(emulator, originated):
    body = {"alike": "false", "conditions": {}, "date_range": {}, "pagination": {"start": 0, "count": 1, "sorting": {}}}
    [record] = emulator.simotel.post("reports/quick/search", json=body).json()["data"]["data"]
    assert record["originated_call_id"] == originated
    return record


def test_originate_returns_originated_call_id_with_null_message(simotel):
    body = _originate(simotel)
    assert body["success"] == 1 and body["message"] is None
    assert re.fullmatch(r"orig\.call\.1767225600\.\d{6}", body["data"]["originated_call_id"])


def test_originate_ids_differ_between_calls(simotel):
    assert _originate(simotel)["data"] != _originate(simotel)["data"]


def test_originate_put_is_accepted_like_post(simotel):
    response = simotel.simotel.put("call/originate/act", json=ORIGINATE)
    assert response.json()["success"] == 1


@pytest.mark.parametrize("field", ["caller", "callee", "context", "caller_id"])
def test_originate_without_required_field_is_field_missing(simotel, field):
    body = {key: value for key, value in ORIGINATE.items() if key != field}
    response = simotel.simotel.post("call/originate/act", json=body)
    assert response.status_code == 200
    assert response.json() == {"success": 0, "message": f"Field '{field}':value is missing", "data": None}


def test_originate_answered_call_yields_cdr_in_quick_and_cdr_reports(simotel):
    originated = _originate(simotel)["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert (record["src"], record["dst"], record["type"]) == ("101", "09121234567", "outgoing")
    assert (record["disposition"], record["billsec"], record["wait"], record["duration"]) == ("ANSWERED", 50, 15, 65)
    assert record["start"] == record["starttime"] == "1404-10-11 03:30:00"
    assert record["answer"] == "2026-01-01 03:30:15"
    assert record["comment"] == f"originated call: {originated}"
    assert record["ANSWERED"] == 1 and record["billsec_hhmmss"] == "00:00:50"
    body = {"alike": "false", "conditions": {"cuid": record["cuid"]}, "date_range": {}}
    cdr = simotel.simotel.post("reports/cdr/search", json=body).json()["data"]
    assert (cdr["target"], cdr["useGroupBy"], cdr["pagination"]["total"]) == ("cdr", False, 1)
    assert cdr["data"] == [record]


def test_originate_cdr_is_not_written_before_the_call_ends(simotel):
    _originate(simotel)
    simotel.advance(30)
    body = {"alike": "false", "conditions": {"from": "101"}, "date_range": {"from": "2026-01-01 03:00"}}
    assert simotel.simotel.post("reports/quick/search", json=body).json()["data"]["pagination"]["total"] == 0


def test_originate_answered_call_recording_is_downloadable(simotel):
    originated = _originate(simotel)["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert re.fullmatch(r"20260101_1767225600\.\d+\.mp3", record["record"])
    response = simotel.simotel.post("reports/audio/download", json={"file": record["record"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.content[:2] == b"\xff\xfb"


@pytest.mark.parametrize(
    ("callee", "disposition"), [("09121234902", "BUSY"), ("09121234901", "NO ANSWER"), ("09121234905", "FAILED")]
)
def test_originate_unanswered_callee_yields_cdr_without_record(simotel, callee, disposition):
    originated = _originate(simotel, callee=callee)["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert (record["disposition"], record["billsec"], record["answer"]) == (disposition, 0, "")
    assert "record" not in record


def test_originate_unanswered_caller_never_dials_the_callee(simotel):
    originated = _originate(simotel, caller="09121234901")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert (record["disposition"], record["wait"]) == ("NO ANSWER", 30)
    assert [call["to"] for call in simotel.control("GET", "phones/09121234567")["calls"]] == []


def test_originate_to_a_number_the_network_rejects_is_outgoing_spool_failed(simotel):
    originated = _originate(simotel, callee="+98-912")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert (record["channel"], record["disposition"]) == ("OutgoingSpoolFailed", "FAILED")


def test_originate_timeout_gives_up_ringing_as_no_answer(simotel):
    simotel.control("PUT", "phones/101", json={"outcome": "answered", "ring_s": 40})
    originated = _originate(simotel, timeout="20")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    assert (record["disposition"], record["wait"]) == ("NO ANSWER", 20)


def test_originate_call_limit_caps_talk_time(simotel):
    originated = _originate(simotel, call_limit="30")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    assert _cdr(simotel, originated)["billsec"] == 30


def test_originate_between_two_extensions_is_a_local_call(simotel):
    originated = _originate(simotel, callee="102")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    assert _cdr(simotel, originated)["type"] == "local"


def test_originate_cdr_is_exported_by_ordered_id(simotel):
    originated = _originate(simotel)["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    last = ""
    while True:
        page = simotel.simotel.post("reports/cdr/ordered/id", json={"_id": last}).json()["data"]
        if not page["data"]:
            break
        last = page["last_id"]
    assert last == record["_id"]


def test_bridged_originate_cdr_lists_both_legs_in_details(simotel):
    originated = _originate(simotel)["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    record = _cdr(simotel, originated)
    # 101 rings 5 s and answers; the callee rings 10 s and talks 50 s (the default handsets)
    assert record["details"] == [
        {"date": "1404-10-11 03:30:00", "billsec": 60, "status": "ANSWERED", "exten": "101",
         "comment": f"originated call: {originated}"},
        {"date": "1404-10-11 03:30:05", "billsec": 50, "status": "ANSWERED", "exten": "09121234567", "comment": None},
    ]  # fmt: skip


def test_originate_whose_caller_never_answers_has_no_details(simotel):
    originated = _originate(simotel, caller="901")["data"]["originated_call_id"]
    simotel.advance(CALL_S)
    assert "details" not in _cdr(simotel, originated)
