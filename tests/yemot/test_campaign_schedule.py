"""ScheduleCampaign, GetScheduledCampaigns and DeleteScheduledCampaign on the emulator clock."""

from __future__ import annotations

import pytest
from campaign_wire import START, TEMPLATE, load
from yemot_wire import api, error, ok


@pytest.fixture
def emu(emulator):
    emulator.freeze(START)  # Tuesday 10 March 2026, 10:00 in Israel
    load(emulator, ["0521111111", {"phone": "0522222222", "blocked": True}])
    return emulator


def schedule(emu, time: str) -> dict:
    return ok(api(emu, "ScheduleCampaign", templateId=TEMPLATE, time=time))


def rows(emu, **params) -> dict:
    return ok(api(emu, "GetScheduledCampaigns", **params))


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("2026-03-10-12:30:15", "2026-03-10 12:30:15"),
        ("2026-03-10-12:30", "2026-03-10 12:30:00"),
        ("2026-03-10 12:30:15", "2026-03-10 12:30:15"),
        ("2026-03-10 12:30", "2026-03-10 12:30:00"),
        ("2026-03-11", "2026-03-11 00:00:00"),
        ("12:30:15", "2026-03-10 12:30:15"),
    ],
)
def test_every_time_format(emu, time, expected):
    body = schedule(emu, time)
    assert body["schedTime"] == expected
    assert (body["templateId"], body["entriesCount"], body["pending"], body["blocked"]) == (TEMPLATE, 2, 1, 1)
    assert (body["estimatedPrice"], body["customerUnits"]) == (1.0, 100.0)


def test_bad_and_past_times(emu):
    error(api(emu, "ScheduleCampaign", templateId=TEMPLATE, time="10/03/2026"), "time is invalid")
    error(api(emu, "ScheduleCampaign", templateId=TEMPLATE, time="09:59:59"), "time must be in the future")
    body = api(emu, "ScheduleCampaign", templateId=999, time="12:00:00")
    error(body, "templateId does not exist")


def test_fires_exactly_at_its_time(emu):
    sched = schedule(emu, "2026-03-10 10:30:00")["schedId"]
    emu.advance(30 * 60 - 1)
    assert emu.calls(kind="campaign") == []
    pending = rows(emu, type="PENDING")["scheduledCampaigns"]
    assert [(r["schedId"], r["pending"], r["campaignId"]) for r in pending] == [(sched, True, None)]
    emu.advance(1)
    (call,) = emu.calls(kind="campaign")
    assert call["created"] == "2026-03-10T08:30:00Z" and call["to"] == "0521111111"
    (done,) = rows(emu, type="SUCCESSFUL")["scheduledCampaigns"]
    assert done["campaignId"] == call["campaign"] and done["pending"] is False and done["error"] is False
    assert (done["templateDescription"], done["createTime"], done["startTime"]) == (
        "Weekly",
        "2026-03-10 10:00:00",
        "2026-03-10 10:30:00",
    )
    ok(api(emu, "GetCampaignStatus", campaignId=done["campaignId"]))


def test_a_refused_run_is_failed_with_the_reason(emu):
    schedule(emu, "2026-03-13 17:00:00")  # Friday 17:00: Shabbat
    emu.advance(4 * 86400)
    (failed,) = rows(emu, type="FAILED")["scheduledCampaigns"]
    assert (failed["error"], failed["errorMsg"], failed["campaignId"]) == (True, "isKodesh is true", None)


def test_list_order_paging_and_delete(emu):
    first = schedule(emu, "12:00:00")["schedId"]
    second = schedule(emu, "11:00:00")["schedId"]
    third = schedule(emu, "13:00:00")["schedId"]
    assert [r["schedId"] for r in rows(emu, type="PENDING", order="asc")["scheduledCampaigns"]] == [
        second,
        first,
        third,
    ]
    page = rows(emu, type="PENDING", order="desc", **{"from": 1, "limit": 1})
    assert page["totalCount"] == 3 and [r["schedId"] for r in page["scheduledCampaigns"]] == [first]
    ok(api(emu, "DeleteScheduledCampaign", schedId=first))
    assert [r["schedId"] for r in rows(emu)["scheduledCampaigns"]] == [second, third]
    body = api(emu, "DeleteScheduledCampaign", schedId=first)
    error(body, "schedId not found")
    assert body["messageCode"] == 105
    emu.advance(3600)
    body = api(emu, "DeleteScheduledCampaign", schedId=second)
    error(body, "scheduled campaign already ran")
    assert body["messageCode"] == 106
    emu.advance(7200)
    assert len(emu.calls(kind="campaign")) == 2  # the deleted row never ran
