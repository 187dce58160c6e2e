"""``reports/*``, voicemail inbox and autodialer report reads over the faker-generated history."""

from __future__ import annotations

import re

import pytest
from simotel_wire import ok

from emulator.simotel import dates
from emulator.simotel.services.reports import REPORTS

PAGE = {"start": 0, "count": 100, "sorting": {}}
JALALI = re.compile(r"1404-\d\d-\d\d \d\d:\d\d:\d\d")
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def _search(emulator, service, **body):
    return ok(emulator, service, {"alike": "false", **body})


def _all(emulator, service, **body):
    body.setdefault("pagination", PAGE)
    return _search(emulator, service, **body)["data"]["data"]


@pytest.mark.parametrize(
    ("service", "target", "sorting", "message"),
    [
        ("reports/quick/search", None, {"starttime": -1}, "Requested operation is done successfully"),
        ("reports/cdr/search", "cdr", {"starttime": -1}, ""),
        ("reports/queue/search", "queue_stat", {"starttime": -1}, ""),
        ("reports/queue_details/search", "queue", {"starttime": -1}, ""),
        ("reports/agent/search", "agent", {"end": -1}, ""),
        ("reports/poll/search", "poll", {"date": -1}, ""),
        ("voicemails/inbox/search", None, {"date": -1}, ""),
        ("autodialer/reports/search", None, {"date": -1}, ""),
    ],
)
def test_report_search_with_empty_sorting_echoes_the_default_sort_and_total(simotel, service, target, sorting, message):
    payload = _search(simotel, service, conditions={}, pagination={"start": 0, "count": 20, "sorting": {}})
    assert payload["message"] == message
    data = payload["data"]
    assert data.get("target") == target
    if target is not None:
        assert data["useGroupBy"] is False
    stored = simotel.runtime.world.simotel.collections.get(REPORTS[service].collection, [])
    assert data["pagination"] == {"start": 0, "count": 20, "sorting": sorting, "total": len(stored)}
    assert len(data["data"]) == min(20, len(stored))
    column = next(iter(sorting))
    values = [item[column] for item in data["data"]]
    assert values == sorted(values, reverse=True)


def test_generated_history_fills_every_report(simotel):
    totals = {
        service: _search(simotel, service)["data"]["pagination"]["total"]
        for service in (
            "reports/quick/search",
            "reports/queue/search",
            "reports/queue_details/search",
            "reports/agent/search",
            "reports/poll/search",
            "voicemails/inbox/search",
        )
    }
    assert totals["reports/quick/search"] == 40
    assert totals["reports/agent/search"] == 12
    assert totals["voicemails/inbox/search"] == 8
    assert totals["reports/queue/search"] == totals["reports/queue_details/search"] > 0
    assert totals["reports/poll/search"] > 0


def test_generated_cdrs_carry_persian_names_and_jalali_dates(simotel):
    records = _all(simotel, "reports/quick/search")
    assert all(PERSIAN.search(record["clid"]) for record in records)
    assert all(JALALI.fullmatch(record["starttime"]) for record in records)


def test_generated_history_is_the_same_in_every_run(simotel, emulator_factory):
    other = emulator_factory()
    assert _all(simotel, "reports/quick/search") == _all(other, "reports/quick/search")


def test_quick_search_seed_pagination_example_returns_items_five_and_six(simotel):
    everything = _all(
        simotel, "reports/quick/search", pagination={"start": 0, "count": 100, "sorting": {"starttime": 1}}
    )
    payload = _search(simotel, "reports/quick/search", pagination={"start": 4, "count": 2, "sorting": {"starttime": 1}})
    assert payload["data"]["data"] == everything[4:6]
    assert payload["data"]["pagination"] == {"start": 4, "count": 2, "sorting": {"starttime": 1}, "total": 40}


def test_quick_search_by_cuid_with_empty_date_range_finds_one_call(simotel):
    target = _all(simotel, "reports/quick/search")[7]
    found = _all(simotel, "reports/quick/search", conditions={"cuid": target["cuid"]}, date_range={})
    assert found == [target]


def test_quick_search_from_condition_filters_the_source_number(simotel):
    target = _all(simotel, "reports/quick/search")[3]
    found = _all(simotel, "reports/quick/search", conditions={"from": target["src"], "to": "", "cuid": ""})
    assert found and all(record["src"] == target["src"] for record in found)


def test_quick_search_alike_matches_part_of_a_number(simotel):
    target = next(r["src"] for r in _all(simotel, "reports/quick/search") if len(r["src"]) == 11)
    exact = _all(simotel, "reports/quick/search", conditions={"from": target[:5]})
    similar = _all(simotel, "reports/quick/search", alike="true", conditions={"from": target[:5]})
    assert exact == [] and target in [record["src"] for record in similar]


def test_cdr_search_gregorian_date_range_selects_jalali_records_in_tehran_time(simotel):
    records = _all(simotel, "reports/cdr/search")
    middle = records[len(records) // 2]
    moment = dates.from_jalali(middle["starttime"])
    text = dates.gregorian(moment)[:16]  # the record's minute, Gregorian, Tehran time
    found = _all(simotel, "reports/cdr/search", date_range={"from": text, "to": text})
    assert middle in found
    assert all(dates.gregorian(dates.from_jalali(r["starttime"]))[:16] == text for r in found)


def test_cdr_search_malformed_date_range_is_field_invalid(simotel):
    response = simotel.simotel.post("reports/cdr/search", json={"alike": "true", "date_range": {"from": "yesterday"}})
    assert response.json() == {"success": 0, "message": "Field 'date_range':value is invalid", "data": None}


def test_report_search_without_alike_in_strict_mode_is_field_missing(simotel):
    simotel.control("PUT", "simotel/settings", json={"strict": True})
    response = simotel.simotel.post("reports/quick/search", json={"conditions": {}})
    assert response.json() == {"success": 0, "message": "Field 'alike':value is missing", "data": None}


def test_report_search_without_alike_is_exact_and_journaled_as_dialect(simotel):
    response = simotel.simotel.post("reports/quick/search", json={"conditions": {"from": "09"}})
    assert response.json()["data"]["pagination"]["total"] == 0
    [entry] = simotel.journal(api="simotel")
    assert entry["warnings"] == ["simotel-connect dialect: search sent without 'alike'"]


def test_queue_search_qnum_condition_filters_the_queue(simotel):
    records = _all(simotel, "reports/queue/search", conditions={"qnum": "500"})
    assert records and {record["qnum"] for record in records} == {"500"}


def test_queue_details_items_are_queue_report_legs(simotel):
    legs = _all(simotel, "reports/queue_details/search", conditions={"queue": "501"})
    assert legs and all(leg["type"] == "queue_report" and leg["qnum"] == "501" for leg in legs)


def test_agent_search_exten_condition_filters_the_operator(simotel):
    exten = _all(simotel, "reports/agent/search")[0]["exten"]
    records = _all(simotel, "reports/agent/search", conditions={"exten": exten})
    assert records and all(r["exten"] == exten and r["type"] == "inout" for r in records)


def test_quick_info_returns_the_queue_legs_of_a_queued_call(simotel):
    leg = _all(simotel, "reports/queue_details/search")[0]
    response = simotel.simotel.post("reports/quick/info", json={"cuid": leg["cuid"]})
    assert response.json() == {"success": 1, "message": "", "data": [leg]}


def test_quick_info_of_a_call_that_never_queued_is_an_empty_list(simotel):
    response = simotel.simotel.post("reports/quick/info", json={"cuid": "0.0"})
    assert response.json() == {"success": 1, "message": "", "data": []}


@pytest.mark.parametrize(
    ("export", "search"),
    [
        ("reports/cdr/ordered/id", "reports/cdr/search"),
        ("reports/queue/ordered/id", "reports/queue/search"),
        ("reports/queue_details/ordered/id", "reports/queue_details/search"),
    ],
)
def test_ordered_export_walks_every_record_once_in_pages_of_twenty(simotel, export, search):
    seen, last, sizes = [], "", []
    while True:
        response = simotel.simotel.post(export, json={"_id": last})
        payload = response.json()
        assert payload["message"] == "Requested operation is done successfully"
        page = payload["data"]
        sizes.append(len(page["data"]))
        if not page["data"]:
            assert page["last_id"] == last  # end of the table: nothing new, same id back
            break
        assert page["last_id"] == page["data"][-1]["_id"]
        seen.extend(page["data"])
        last = page["last_id"]
    assert all(size == 20 for size in sizes[:-2])
    expected = _all(simotel, search, pagination={"start": 0, "count": 1000, "sorting": {"_id": 1}})
    assert seen == expected


def test_ordered_export_without_id_starts_at_the_first_record(simotel):
    first = simotel.simotel.post("reports/cdr/ordered/id", json={}).json()["data"]
    assert first["data"][0]["_id"] == min(record["_id"] for record in _all(simotel, "reports/cdr/search"))
    assert len(first["data"]) == 20


def test_ordered_export_with_unknown_id_is_operation_failed(simotel):
    response = simotel.simotel.post("reports/cdr/ordered/id", json={"_id": "ffffffffffffffffffffffff"})
    assert response.json() == {"success": 0, "message": "Requested operation failed", "data": None}


def test_autodialer_ordered_export_of_an_empty_table_is_empty(simotel):
    response = simotel.simotel.post("autodialer/reports/ordered/id", json={"_id": ""})
    assert response.json() == {
        "success": 1,
        "message": "Requested operation is done successfully",
        "data": {"last_id": "", "data": []},
    }


def test_audio_download_of_a_generated_recording_is_binary(simotel):
    record = next(r for r in _all(simotel, "reports/quick/search") if "record" in r)
    response = simotel.simotel.post("reports/audio/download", json={"file": record["record"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert len(response.content) > 1000


def test_audio_download_of_an_unknown_file_is_a_plain_404(simotel):
    response = simotel.simotel.post("reports/audio/download", json={"file": "20200921_1600675211.10033.1.mp3"})
    assert response.status_code == 404
    assert response.content == b""


def test_audio_download_without_file_is_field_missing(simotel):
    response = simotel.simotel.post("reports/audio/download", json={})
    assert response.json() == {"success": 0, "message": "Field 'file':value is missing", "data": None}


def test_inbox_search_number_condition_filters_the_box(simotel):
    number = _all(simotel, "voicemails/inbox/search")[0]["number"]
    messages = _all(simotel, "voicemails/inbox/search", conditions={"number": number, "src": ""})
    assert messages and all(m["number"] == number and m["read"] is False for m in messages)


def test_inbox_message_audio_downloads_through_reports_audio_download(simotel):
    message = next(m for m in _all(simotel, "voicemails/inbox/search") if "filename" in m)
    response = simotel.simotel.post("reports/audio/download", json={"file": message["filename"]})
    assert (response.status_code, response.headers["content-type"]) == (200, "audio/wav")
    assert response.content[:4] == b"RIFF"


def test_voicemail_audio_download_by_message_id(simotel):
    message = next(m for m in _all(simotel, "voicemails/inbox/search") if "filename" in m)
    response = simotel.simotel.post("voicemails/audio/download", json={"_id": message["_id"]})
    assert (response.status_code, response.content[:4]) == (200, b"RIFF")


def test_voicemail_audio_download_of_a_failed_recording_is_a_plain_404(simotel):
    failed = [m for m in _all(simotel, "voicemails/inbox/search") if "error" in m]
    wanted = failed[0]["_id"] if failed else "ffffffffffffffffffffffff"
    response = simotel.simotel.post("voicemails/audio/download", json={"_id": wanted})
    assert (response.status_code, response.content) == (404, b"")


def test_autodialer_reports_info_with_unknown_id_is_operation_failed(simotel):
    response = simotel.simotel.post("autodialer/reports/info", json={"_id": "ffffffffffffffffffffffff"})
    assert response.json() == {"success": 0, "message": "Requested operation failed", "data": None}


def _incoming(emulator, to, src="09121234567"):
    placed = emulator.control("POST", "simotel/incoming-calls", json={"from": src, "to": to, "entry_point": "main"})
    emulator.advance(60)
    return placed["unique_id"]


def test_incoming_call_to_a_queue_adds_queue_report_leg_and_quick_info(simotel):
    cuid = _incoming(simotel, "500")  # queue 500 of the default fixture; agent 101 answers
    [stat] = _all(simotel, "reports/queue/search", conditions={"cuid": cuid})
    assert (stat["qnum"], stat["dst"], stat["dst_name"], stat["disposition"]) == ("500", "101", "علی رضایی", "ANSWERED")
    [leg] = _all(simotel, "reports/queue_details/search", conditions={"cuid": cuid})
    assert (leg["type"], leg["qnum"], leg["dst"]) == ("queue_report", "500", "101")
    info = simotel.simotel.post("reports/quick/info", json={"cuid": cuid}).json()["data"]
    assert info == [leg]
    [cdr] = _all(simotel, "reports/quick/search", conditions={"cuid": cuid})
    assert (cdr["type"], cdr["dst"], cdr["entry_point"], cdr["incoming"]) == ("incoming", "500", "main", 1)


def test_unanswered_call_to_an_extension_with_a_box_leaves_a_downloadable_voicemail(simotel):
    simotel.control("PUT", "phones/101", json={"outcome": "no_answer", "ring_s": 15})
    cuid = _incoming(simotel, "101", src="09351234567")
    [message] = _all(simotel, "voicemails/inbox/search", conditions={"number": "101", "src": "09351234567"})
    assert message["filename"] == f"msg_101_{cuid}.wav"
    assert (message["duration"], message["read"], message["v"]) == (10, False, 2)
    box = simotel.simotel.post("voicemails/voicemails/search", json={"alike": "false", "conditions": {"number": "101"}})
    assert message["voice_mail_id"] == {"$oid": box.json()["data"][0]["_id"]}
    response = simotel.simotel.post("reports/audio/download", json={"file": message["filename"]})
    assert (response.status_code, response.content[:4]) == (200, b"RIFF")


def test_incoming_call_control_with_a_bad_number_is_400(simotel):
    response = simotel.admin.post("simotel/incoming-calls", json={"from": "abc", "to": "101"})
    assert response.status_code == 400
    assert response.json()["error"] == "'from' must be a phone number or extension (digits)"


def test_reports_cdr_path_of_the_documentation_examples_is_the_quick_report(simotel):
    body = {"alike": "false", "conditions": {}, "pagination": {"start": 0, "count": 5, "sorting": {}}}
    quick = simotel.simotel.post("reports/quick/search", json=body).json()
    assert simotel.simotel.post("reports/cdr", json=body).json() == quick


def test_queue_ordered_export_carries_answeredtime_caller_wait_and_data(simotel):
    simotel.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "500"})
    simotel.advance(60)
    records = []
    last = ""
    while True:
        page = simotel.simotel.post("reports/queue/ordered/id", json={"_id": last}).json()["data"]
        if not page["data"]:
            break
        records.extend(page["data"])
        last = page["last_id"]
    live = records[-1]  # the call just made: 5 s ringing at agent 101, 20 s talk, from 00:00Z
    assert (live["qnum"], live["dst"], live["caller_wait"]) == ("500", "101", 5)
    assert live["answeredtime"] == {"$date": {"$numberLong": "1767225605000"}}
    assert live["data"] == {
        "end_time": {"$date": {"$numberLong": "1767225625000"}},
        "queue_status": "CONTINUE",
        "start_time": {"$date": {"$numberLong": "1767225600000"}},
        "ring_time": {"$date": {"$numberLong": "1767225600000"}},
        "answered_time": {"$date": {"$numberLong": "1767225605000"}},
    }
