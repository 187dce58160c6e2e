"""Autodialer campaigns dial their numbers in their window and fill ``autodialer/reports``."""

from __future__ import annotations

from emulator.testing.receiver import Receiver

TRUNK_MANAGER = "0123456789abcdef01234567"
REPORTS = {"alike": "false", "conditions": {}, "pagination": {"start": 0, "count": 50, "sorting": {"_id": 1}}}


def _ok(response):
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] == 1, body
    return body["data"]


def _campaign(emulator, **fields):
    body = {
        "name": "نوروز",
        "trunk_manager_id": TRUNK_MANAGER,
        "numbers": ["09121234567"],
        "try": "1",
        "try_interval": "600",
        "start": "2026-01-01 04:00",
        "end": "2026-01-02 04:00",
        **fields,
    }
    return _ok(emulator.simotel.post("autodialer/campaigns/add", json=body))["_id"]


def _reports(emulator, **conditions):
    return _ok(emulator.simotel.post("autodialer/reports/search", json={**REPORTS, "conditions": conditions}))["data"]


def _status(emulator, campaign_id):
    body = {"alike": "false", "conditions": {}, "pagination": {"start": 0, "count": 50, "sorting": {}}}
    campaigns = _ok(emulator.simotel.post("autodialer/campaigns/search", json=body))["data"]
    return next(c["status"] for c in campaigns if c["_id"] == campaign_id)


def test_campaign_does_not_dial_before_its_start(simotel):
    campaign = _campaign(simotel)
    simotel.advance(20 * 60)  # 03:50 Tehran, start is 04:00
    assert _reports(simotel) == []
    assert _status(simotel, campaign) == "waiting"


def test_campaign_dials_its_numbers_and_its_groups_numbers_at_start(simotel):
    group = _ok(
        simotel.simotel.post("autodialer/groups/add", json={"name": "g1", "numbers": ["09120000001", "09121234567"]})
    )
    campaign = _campaign(simotel, groups=[group["_id"]])
    simotel.advance(30 * 60 + 120)
    reports = _reports(simotel)
    assert [r["number"] for r in reports] == ["09121234567", "09120000001"]
    assert all(r["campaign_id"] == {"$oid": campaign} and r["campaign"] == "نوروز" for r in reports)
    assert all(
        (r["disposition"], r["billsec"], r["try"], r["status"]) == ("ANSWERED", 20, 1, "completed") for r in reports
    )
    assert _status(simotel, campaign) == "completed"


def test_campaign_report_dates_are_jalali_from_the_start_instant(simotel):
    _campaign(simotel)
    simotel.advance(30 * 60 + 120)
    [report] = _reports(simotel)
    assert report["start"] == report["date"] == "1404-10-11 04:00:00"
    assert report["end"] == "1404-10-11 04:00:25"


def test_campaign_retries_an_unanswered_number_after_try_interval(simotel):
    _campaign(simotel, numbers=["09121234902"], **{"try": "3", "try_interval": "600"})
    simotel.advance(30 * 60 + 5)
    [first] = _reports(simotel)
    assert (first["try"], first["status"], first["disposition"]) == (1, "in-process", "BUSY")
    simotel.advance(2 * 600)
    [final] = _reports(simotel)
    assert (final["try"], final["repeat"], final["status"]) == (3, 2, "completed")
    assert [t["disposition"] for t in final["tries"]] == ["BUSY", "BUSY", "BUSY"]
    assert [t["cause-txt"] for t in final["tries"]] == ["User busy"] * 3


def test_campaign_stops_retrying_at_its_end(simotel):
    campaign = _campaign(
        simotel, numbers=["09121234902"], end="2026-01-01 04:15", **{"try": "5", "try_interval": "600"}
    )
    simotel.advance(3 * 3600)
    [report] = _reports(simotel)
    assert report["try"] == 2  # 04:00 and 04:10; 04:20 is past the end
    assert _status(simotel, campaign) == "completed"


def test_removed_campaign_never_dials(simotel):
    campaign = _campaign(simotel)
    _ok(simotel.simotel.post("autodialer/campaigns/remove", json={"_id": campaign}))
    simotel.advance(3 * 3600)
    assert _reports(simotel) == []


def test_autodialer_reports_info_returns_the_cdr_of_a_try(simotel):
    _campaign(simotel)
    simotel.advance(30 * 60 + 120)
    [report] = _reports(simotel)
    cdr_id = report["tries"][0]["cdr_id"]["$oid"]
    response = simotel.simotel.post("autodialer/reports/info", json={"_id": cdr_id})
    assert response.json() == {
        "success": 1,
        "message": "Requested operation is done successfully",
        "data": {
            "dcontext": "autodialer",
            "amaflags": "DOCUMENTATION",
            "channel": response.json()["data"]["channel"],
            "duration": 25,
            "wait": 5,
        },
    }


def test_autodialer_reports_search_campaign_id_condition_filters_one_campaign(simotel):
    first = _campaign(simotel)
    _campaign(simotel, name="دوم", numbers=["09129999999"])
    simotel.advance(30 * 60 + 120)
    reports = _reports(simotel, campaign_id=first)
    assert [r["number"] for r in reports] == ["09121234567"]


def test_autodialer_ordered_export_returns_the_campaign_reports(simotel):
    _campaign(simotel, numbers=["09120000001", "09120000002"])
    simotel.advance(30 * 60 + 120)
    page = _ok(simotel.simotel.post("autodialer/reports/ordered/id", json={"_id": ""}))
    assert [r["number"] for r in page["data"]] == ["09120000001", "09120000002"]
    assert page["last_id"] == page["data"][-1]["_id"]
    after = _ok(simotel.simotel.post("autodialer/reports/ordered/id", json={"_id": page["last_id"]}))
    assert after == {"last_id": page["last_id"], "data": []}


def test_campaign_try_fires_autodialer_report_event(simotel):
    with Receiver() as receiver:
        webhook = {"url": receiver.url, "method": "G4", "events": ["AutoDialerReport"]}
        simotel.control("PUT", "simotel/settings", json={"webhook": webhook})
        campaign = _campaign(simotel)
        simotel.advance(30 * 60 + 120)
        [hit] = receiver.wait_for(1)
    event = hit.json
    assert event["event_name"] == "AutoDialerReport"
    assert (event["number"], event["disposition"], event["try"]) == ("09121234567", "ANSWERED", 1)
    # the sample's types: plain-string ids, Gregorian start (microseconds) and end (none)
    assert event["campaign_id"] == campaign
    assert event["start"] == "2026-01-01 04:00:00.000000"  # 00:30Z in Tehran
    assert event["end"] == "2026-01-01 04:00:25"  # 5 s ringing + 20 s talk
    [attempt] = event["tries"]
    assert attempt == {"cdr_id": attempt["cdr_id"], "cause": "16", "cause-txt": "Normal Clearing",
                       "starttime": "2026-01-01 04:00:00", "disposition": "ANSWERED", "wait": 5}  # fmt: skip
    assert len(attempt["cdr_id"]) == 24


def test_campaign_dials_one_number_every_dial_interval_of_its_trunk_manager(simotel):
    numbers = ["09120000001", "09120000002", "09120000003"]
    _campaign(simotel, numbers=numbers, trunk_manager_id="64b0c0de0000000000000101")  # dial_interval 2 s
    simotel.advance(30 * 60 + 120)
    calls = simotel.control("GET", "calls", params={"api": "simotel", "kind": "autodialer"})["calls"]
    assert [(call["to"], call["created"]) for call in calls] == [
        ("09120000001", "2026-01-01T00:30:00Z"),
        ("09120000002", "2026-01-01T00:30:02Z"),
        ("09120000003", "2026-01-01T00:30:04Z"),
    ]
