"""Live control and reports: CampaignAction, GetActiveCampaigns, GetCampaignStatus filters, the CSV report."""

from __future__ import annotations

import pytest
from campaign_wire import START, load, phones, run, status
from yemot_wire import api, error, ok


@pytest.fixture
def emu(emulator):
    emulator.freeze(START)
    return emulator


def action(emu, campaign: str, name: str, value=None) -> dict:
    params = {"campaignId": campaign, "action": name}
    if value is not None:
        params["value"] = value
    return ok(api(emu, "CampaignAction", **params))


def live_calls(emu, campaign: str) -> int:
    return sum(len(emu.calls(campaign=campaign, phase=phase)) for phase in ("queued", "ringing", "answered"))


def test_pause_resume_and_stop_mid_run(emu):
    load(emu, phones(30), max_active_channels=5)
    campaign = run(emu)["campaignId"]
    emu.advance(1)
    paused = action(emu, campaign, "setPaused", 1)
    assert (paused["campaign"]["campaignStatus"], paused["campaign"]["paused"], paused["data"]) == (
        "PAUSED",
        True,
        None,
    )
    emu.advance(60)  # the five live calls end, nothing new is dialled
    assert status(emu, campaign)["totalDialed"] == 5 and live_calls(emu, campaign) == 0
    action(emu, campaign, "setPaused", 0)
    emu.advance(1)
    assert status(emu, campaign)["totalDialed"] == 10
    stopping = action(emu, campaign, "stop")["campaign"]
    assert stopping["campaignStatus"] == "STOPPING " and stopping["pendingEntries"] == 0
    assert [c["campaignId"] for c in ok(api(emu, "GetActiveCampaigns"))["campaigns"]] == [campaign]
    emu.advance(60)
    final = status(emu, campaign, entries="canceled")
    assert final["campaignStatus"] == "STOPPED" and final["totalDialed"] == 10 and len(final["entries"]) == 20
    assert ok(api(emu, "GetActiveCampaigns"))["campaigns"] == []
    error(api(emu, "CampaignAction", campaignId=campaign, action="stop"), "campaign is not active")


def test_set_max_active_channels_takes_effect(emu):
    load(emu, phones(20), max_active_channels=2)
    campaign = run(emu)["campaignId"]
    emu.advance(1)
    assert live_calls(emu, campaign) == 2
    assert action(emu, campaign, "setMaxActiveChannels", 6)["campaign"]["maxActiveChannels"] == 6
    emu.advance(1)
    assert live_calls(emu, campaign) == 6


def test_add_block_and_hangup_phones(emu):
    load(emu, phones(3), max_active_channels=1)
    campaign = run(emu)["campaignId"]
    emu.advance(1)
    added = action(emu, campaign, "add", "0529000001:123:0520000000")
    assert added["data"] == [
        {"phone": "123", "action": "failed"},
        {"phone": "0529000001", "action": "add"},
        {"phone": "0520000000", "action": "failed"},
    ]
    assert added["value"] == "0529000001:123:0520000000" and added["campaign"]["totalEntries"] == 4
    blocked = action(emu, campaign, "block", {"0520000002": {"name": "x"}})
    assert blocked["data"] == [{"phone": "0520000002", "action": "block"}]
    assert blocked["value"] == {"0520000002": {"name": "x", "moreinfo": None, "blocked": False, "text": None}}
    hung = action(emu, campaign, "hangup", "0520000000:0521234567")
    assert hung["data"] == [{"phone": "0520000000", "action": "hangup"}, {"phone": "0521234567", "action": "failed"}]
    emu.advance(200)
    entries = {e["phone"]: e["entryStatus"] for e in status(emu, campaign, entries="all")["entries"]}
    assert entries == {"0520000000": "canceled", "0520000001": "done", "0520000002": "blocked", "0529000001": "done"}


def test_status_filter_and_range(emu):
    load(emu, [*phones(5), "0521111902"], max_dial_attempts=1, max_active_channels=2)
    campaign = run(emu)["campaignId"]
    summary = status(emu, campaign)  # the first two ring at once
    assert summary["entries"] is None and (summary["pendingEntries"], summary["activeEntries"]) == (4, 2)
    emu.advance(120)
    assert [e["phone"] for e in status(emu, campaign, entries="busy")["entries"]] == ["0521111902"]
    assert [e["phone"] for e in status(emu, campaign, entries="done", range="2:3")["entries"]] == phones(2, 1)
    assert len(status(emu, campaign, entries="all", range=":")["entries"]) == 6
    assert len(status(emu, campaign, entries="all", range="None:2")["entries"]) == 2


def test_unknown_campaign_is_refused_everywhere(emu):
    for method in ("GetCampaignStatus", "CampaignAction"):
        body = api(emu, method, campaignId="nope", action="stop")
        error(body, "Campaign Id does Not found in customer")
    response = emu.yemot.get("DownloadCampaignReport", params={"token": emu.yemot_token, "campaignId": "nope"})
    assert (response.status_code, response.headers["content-type"]) == (404, "application/json; charset=utf-8")
    error(response.json(), "Campaign Id does Not found in customer")


def test_download_report_csv_rows_per_attempt(emu):
    load(
        emu, ["0521111111", "0521111901", {"phone": "0522222222", "blocked": True}], max_dial_attempts=2, redial_wait=5
    )
    campaign = run(emu)["campaignId"]
    emu.advance(200)
    response = emu.yemot.get("DownloadCampaignReport", params={"token": emu.yemot_token, "campaignId": campaign})
    assert response.status_code == 200 and response.headers["content-type"] == "application/octet-stream"
    assert response.content.decode("utf-8").split("\r\n") == [
        "index,phone,name,moreinfo,attempt,status,startTime,duration,bridged,bridgedDuration,price",
        "1,0521111111,,,1,done,2026-03-10 10:00:00,10000,0,,1",
        "2,0521111901,,,1,no_answer,2026-03-10 10:00:00,,0,,0",
        "2,0521111901,,,2,no_answer,2026-03-10 10:00:35,,0,,0",
        "3,0522222222,,,0,blocked,,,0,,0",
        "",
    ]


def test_unblocking_a_queued_entry_dials_it_once_and_the_run_finishes(emu):
    load(emu, phones(3), max_active_channels=1)
    campaign = run(emu)["campaignId"]
    emu.advance(1)
    assert action(emu, campaign, "block", "0520000002")["data"] == [{"phone": "0520000002", "action": "block"}]
    assert action(emu, campaign, "add", "0520000002")["data"] == [{"phone": "0520000002", "action": "unblock"}]
    emu.advance(300)
    final = status(emu, campaign)
    assert (final["campaignStatus"], final["totalDialed"], final["doneEntries"]) == ("FINISHED", 3, 3)
    assert len(emu.calls(campaign=campaign, to="0520000002")) == 1
