"""RunCampaign on the simulated network: the worked example, concurrency, redials, AMD, bridges, billing."""

from __future__ import annotations

import re

import pytest
from campaign_wire import START, TEMPLATE, load, phones, run, status
from yemot_wire import SYSTEM, api, error, ok


@pytest.fixture
def emu(emulator):
    emulator.freeze(START)
    return emulator


def test_worked_example_two_no_answers_then_up(emu):
    load(emu, ["0521234567"], max_dial_attempts=3, redial_wait=10, originate_timeout=30)
    emu.set_phone("0521234567", outcome="no_answer", ring_s=45)
    campaign = run(emu)["campaignId"]
    emu.advance(75)  # two attempts have rung out (0-30 s, 40-70 s); the next is due at 80 s
    emu.set_phone("0521234567", outcome="answered", ring_s=5, talk_s=60)
    emu.advance(15)  # answered at 85 s, the 10 s message plays until 95 s
    live = status(emu, campaign, entries="all")
    assert (live["totalDialed"], live["totalSuccessful"], live["totalFailed"]) == (3, 1, 2)
    assert (live["activeEntries"], live["redialEntries"], live["campaignStatus"]) == (1, 0, "RUNNING")
    entry = live["entries"][0]
    assert entry["entryStatus"] == "up" and entry["startTime"] == "2026-03-10 10:01:20"
    assert [r["entryStatus"] for r in entry["redials"]] == ["no_answer", "no_answer"]
    assert [r["startTime"] for r in entry["redials"]] == ["2026-03-10 10:00:00", "2026-03-10 10:00:40"]
    emu.advance(10)
    done = status(emu, campaign, entries="all")
    assert done["campaignStatus"] == "FINISHED" and done["doneEntries"] == 1 and done["activeEntries"] == 0
    assert done["entries"][0]["entryStatus"] == "done" and done["entries"][0]["duration"] == 10000
    assert done["currentPrice"] == 1.0 and done["runTime"] == 95.0


def test_run_answers_the_documented_fields_and_id_format(emu):
    load(emu, ["0521111111", {"phone": "0522222222", "blocked": True}, "0523333333"])
    body = run(emu)
    assert re.fullmatch(rf"{SYSTEM}-{TEMPLATE}-2026-03-10-10-00-00-\d{{3}}-API", body["campaignId"])
    assert (body["entriesCount"], body["pending"], body["blocked"]) == (3, 2, 1)
    assert (body["estimatedPrice"], body["customerUnits"], body["smsCount"], body["smsPrice"]) == (2.0, 98.0, 0, 0.0)


def test_two_hundred_entries_never_exceed_ten_channels(emu):
    load(emu, phones(200), max_active_channels=10, units=1000)
    campaign = run(emu)["campaignId"]
    for _ in range(60):
        emu.advance(5)
        live = [c for c in emu.calls(campaign=campaign) if c["phase"] != "ended"]
        assert len(live) <= 10
    final = status(emu, campaign)
    assert final["campaignStatus"] == "FINISHED"
    assert (final["totalDialed"], final["totalSuccessful"], final["doneEntries"]) == (200, 200, 200)
    assert final["currentPrice"] == 200.0


def test_redial_policy_none_and_congestions(emu):
    load(emu, ["0521111901", "0521111902"], redial_policy="CONGESTIONS", max_dial_attempts=2, redial_wait=5)
    campaign = run(emu)["campaignId"]
    emu.advance(120)
    entries = {e["phone"]: e for e in status(emu, campaign, entries="all")["entries"]}
    assert entries["0521111901"]["entryStatus"] == "no_answer" and entries["0521111901"]["redials"] == []
    assert entries["0521111902"]["entryStatus"] == "busy"
    assert [r["entryStatus"] for r in entries["0521111902"]["redials"]] == ["busy"]
    load(emu, ["0521111902"], redial_policy="NONE", max_dial_attempts=3)
    campaign = run(emu)["campaignId"]
    emu.advance(60)
    assert status(emu, campaign)["totalDialed"] == 1


def test_voicemail_is_amd_with_vm_detect(emu):
    load(emu, ["0521111906"], vm_detect=True)
    campaign = run(emu)["campaignId"]
    emu.advance(60)
    entry = status(emu, campaign, entries="amd")["entries"][0]
    assert entry["entryStatus"] == "amd" and entry["duration"] == 3000
    load(emu, ["0521111906"], vm_detect=False)
    campaign = run(emu)["campaignId"]
    emu.advance(60)
    assert status(emu, campaign, entries="all")["entries"][0]["duration"] == 10000


def test_bridge_campaign_calls_bridge_to_and_counts_bridged(emu):
    load(emu, ["0521111111"], yemot_context="BRIDGE", bridge_to="0529999999")
    campaign = run(emu)["campaignId"]
    emu.advance(20)  # answered at 5 s, second leg answers at 15 s
    live = status(emu, campaign, entries="all")
    assert live["bridgedEntries"] == 1 and live["entries"][0]["entryStatus"] == "bridged"
    emu.advance(120)
    final = status(emu, campaign, entries="all")
    entry = final["entries"][0]
    assert entry["bridged"] is True and entry["bridgedDuration"] == 50000 and final["totalBridged"] == 1
    assert [c["to"] for c in emu.calls(campaign=campaign)] == ["0521111111", "0529999999"]


def test_billing_start_row_then_refund_of_the_unused_estimate(emu):
    load(emu, ["0521111111", "0521111901"], max_dial_attempts=1)
    campaign = run(emu)["campaignId"]
    assert ok(api(emu, "GetSession"))["units"] == 98.0
    emu.advance(120)
    rows = [
        r for r in ok(api(emu, "GetTransactions", filter="campaigns"))["transactions"] if r["campaignId"] == campaign
    ]
    assert [(r["description"], r["amount"]) for r in rows] == [
        (f"refund of Start-{campaign}", 1.0),
        (f"Start-{campaign}", -2.0),
    ]
    assert ok(api(emu, "GetSession"))["units"] == 99.0


def test_not_enough_units_is_103_without_calls(emu):
    load(emu, phones(5), units=4)
    body = api(emu, "RunCampaign", templateId=TEMPLATE)
    error(body, "Not enough balance")
    assert body["messageCode"] == 103 and emu.calls(kind="campaign") == []


@pytest.mark.parametrize(
    ("setup", "params", "code", "message"),
    [
        ({}, {"templateId": 999}, 100, "templateId does not exist"),
        ({"entries": []}, {}, 101, "campaign is not set up"),
        ({"message_s": 0}, {}, 101, "campaign is not set up"),
        ({}, {"phones": "123:abc"}, 102, "No valid phones"),
        ({}, {"callerId": "0501234567"}, 120, "callerId 0501234567 is not approved in this system"),
    ],
)
def test_run_campaign_error_codes(emu, setup, params, code, message):
    load(emu, setup.pop("entries", ["0521111111"]), **setup)
    body = api(emu, "RunCampaign", **{"templateId": TEMPLATE, **params})
    error(body, message)
    assert body["messageCode"] == code


def test_shabbat_is_104_is_kodesh(emu):
    load(emu, ["0521111111"])
    emu.freeze("2026-03-13T15:00:00Z")  # Friday 17:00 in Israel
    body = api(emu, "RunCampaign", templateId=TEMPLATE)
    error(body, "isKodesh is true")
    assert body["messageCode"] == 104
    emu.freeze("2026-03-14T20:00:00Z")  # Saturday 22:00: over
    run(emu)


def test_ad_hoc_phones_as_colon_list_object_and_json_text(emu):
    load(emu, [])
    first = run(emu, phones="0521111111:0522222222")
    assert first["entriesCount"] == 2
    second = run(emu, phones={"0521111111": {"name": "Dan", "moreinfo": "x", "text": "t", "blocked": False}})
    entry = status(emu, second["campaignId"], entries="all")["entries"][0]
    assert (entry["name"], entry["moreinfo"]) == ("Dan", "x")
    response = emu.yemot.post(
        "RunCampaign",
        data={"token": emu.yemot_token, "templateId": TEMPLATE, "phones": '{"0523333333": {"name": "Avi"}}'},
    )
    assert ok(response.json())["entriesCount"] == 1
    assert ok(api(emu, "GetTemplateEntries", templateId=TEMPLATE))["entries"] == []


def test_campaign_calls_show_in_the_control_plane_and_view_campaign_reports(emu):
    load(emu, ["0521111111"])
    campaign = run(emu)["campaignId"]
    emu.advance(60)
    calls = emu.calls(campaign=campaign)
    assert [(c["kind"], c["to"], c["outcome"]) for c in calls] == [("campaign", "0521111111", "answered")]
    report = ok(api(emu, "ViewCampaignReports", CampaignId=campaign))
    assert report["CampaignData"]["Type"] == "CAMPAIGN" and report["CampaignData"]["Done"] == 1


def test_with_sms_texts_ordinary_mobiles_and_calls_kosher_ones_and_landlines(emu):
    load(emu, ["0521111111", "0527111111", "021234567"], sms_text="שלום לכולם")
    body = run(emu, withSMS=1)
    assert (body["smsCount"], body["smsPrice"], body["estimatedPrice"]) == (1, 0.1, 2.0)
    emu.advance(60)
    assert [m["to"] for m in emu.messages(campaign=body["campaignId"])] == ["0521111111"]
    assert sorted(c["to"] for c in emu.calls(campaign=body["campaignId"])) == ["021234567", "0527111111"]
    load(emu, ["0521111111"])
    assert run(emu, withSms=1)["smsCount"] == 0  # no SMS text: everyone is called


def test_tts_mode_reads_the_personal_text_after_the_message(emu):
    load(emu, [{"phone": "0521111111", "moreinfo": "x" * 60}], message_s=10)
    emu.set_phone("0521111111", outcome="answered", ring_s=5, talk_s=120)
    plain = run(emu)["campaignId"]
    personal = run(emu, ttsMode=1)["campaignId"]
    emu.advance(120)
    durations = [status(emu, c, entries="all")["entries"][0]["duration"] for c in (plain, personal)]
    assert durations == [10000, 15000]


def test_a_running_campaign_survives_snapshot_and_restore(emu):
    load(emu, phones(12), max_active_channels=3)
    campaign = run(emu)["campaignId"]
    emu.advance(20)
    runtime = emu.runtime
    runtime.restore(runtime.snapshot())
    emu.advance(300)
    final = status(emu, campaign)
    assert (final["campaignStatus"], final["totalDialed"], final["doneEntries"]) == ("FINISHED", 12, 12)
