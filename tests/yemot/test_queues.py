"""GetQueueRealTime and SetSecondaryDidUsageDescription over the wire."""

from __future__ import annotations

import pytest
from yemot_wire import api

from emulator.yemot.services.queues import ago_text


def test_get_queue_real_time_returns_totals_members_and_entries(emulator):
    emulator.freeze("2026-03-01T08:00:00Z")
    body = emulator.yemot.get("GetQueueRealTime", params={"token": emulator.yemot_token, "queuePath": "/3"}).json()
    assert body["responseStatus"] == "OK"
    assert body["queueData"] == {
        "Abandoned": 2,
        "Calls": 2,
        "Completed": 14,
        "TalkTime": 3120,
        "Holdtime": 45,
        "Max": 10,
        "Strategy": "ringall",
    }
    busy = body["members"][0]
    assert busy == {
        "agent": "0527777711",
        "Status": "2",
        "CallsTaken": 9,
        "LastCallUnitTime": str(1772352000 - 273),
        "LastCall": "03/01/2026, 09:55:27 AM",
        "LastCallAgo": "4 דקות, 33 שניות",
        "Paused": False,
        "Penalty": "0",
    }
    assert body["members"][1]["Paused"] is True
    assert body["entries"] == [
        {
            "phone": "0527777721",
            "Wait": 443,
            "WaitAgo": "7 דקות, 23 שניות",
            "Position": 1,
            "CallId": "805c1b2e-queue-0001",
        },
        {
            "phone": "0527777722",
            "Wait": 61,
            "WaitAgo": "1 דקות, 1 שניות",
            "Position": 2,
            "CallId": "f665a0d4-queue-0002",
        },
    ]


def test_get_queue_real_time_waits_grow_with_the_clock(emulator):
    emulator.freeze("2026-03-01T08:00:00Z")
    api(emulator, "GetQueueRealTime", queuePath="ivr2:/3")
    emulator.advance(60)
    body = api(emulator, "GetQueueRealTime", queuePath="/3")
    assert [entry["Wait"] for entry in body["entries"]] == [503, 121]
    assert body["members"][0]["LastCallAgo"] == "5 דקות, 33 שניות"


def test_get_queue_real_time_unknown_queue_is_refused(emulator):
    body = api(emulator, "GetQueueRealTime", queuePath=".")
    assert (body["responseStatus"], body["message"]) == ("ERROR", "queuePath is not a queue extension")


@pytest.mark.parametrize(
    ("seconds", "text"), [(5, "5 שניות"), (273, "4 דקות, 33 שניות"), (3725, "1 שעות, 2 דקות, 5 שניות")]
)
def test_ago_text_writes_hebrew_units(seconds, text):
    assert ago_text(seconds) == text


def test_set_secondary_did_usage_description_goto_changes_the_usage(emulator):
    assert (
        api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage="goto:/1/20/11")["status"] is True
    )
    dids = api(emulator, "GetCustomerData")["secondary_dids"]
    assert dids == [{"id": 100, "did": "0773137771", "usage": "goto:/1/20/11"}]


def test_set_secondary_did_usage_description_sip_needs_an_existing_account(emulator):
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage="sip:1")
    assert (body["responseStatus"], body["message"]) == ("ERROR", "SIP account not found")
    api(emulator, "CreateSipAccount", extNumber=205)
    assert api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage="sip:1")["status"] is True
    assert api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage="sip:205")["status"] is True


@pytest.mark.parametrize("usage", ["call:5", "goto:1", "sip:", "goto:/a b"])
def test_set_secondary_did_usage_description_other_kinds_are_refused(emulator, usage):
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage=usage)
    assert (body["responseStatus"], body["message"]) == ("ERROR", "newUsage must be sip:<account> or goto:/<path>")


def test_set_secondary_did_usage_description_unknown_id_is_refused(emulator):
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=7, newUsage="goto:/1")
    assert (body["responseStatus"], body["message"]) == ("ERROR", "secondaryDidId not found")


def _load(emulator, extra: str) -> None:
    fixture = (
        'seed: 1\nyemot:\n  systems:\n    - {number: "0773137770", password: "1234", sip_account_limit: 2, '
        f'secondary_dids: [{{id: 5, did: "0773137779", usage: "fax:/9"}}]{extra}}}\n'
    )
    emulator.control("POST", "fixtures", content=fixture)


def test_set_secondary_did_usage_description_non_selectable_usage_cannot_change(emulator):
    _load(emulator, "")
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=5, newUsage="goto:/1")
    assert (body["responseStatus"], body["message"]) == ("ERROR", "The current usage can not be changed")


def test_set_secondary_did_usage_description_sip_on_a_server_without_sip_is_refused(emulator):
    fixture = (
        'seed: 1\nyemot:\n  systems:\n    - {number: "0773137770", password: "1234", sip_supported: false, '
        'secondary_dids: [{id: 5, did: "0773137779", usage: "goto:/1"}]}\n'
    )
    emulator.control("POST", "fixtures", content=fixture)
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=5, newUsage="sip:1")
    assert (body["responseStatus"], body["message"], body["yAfastVersion"]) == (
        "ERROR",
        "שרת זה אינו תומך במערכת SIP",
        "any",
    )
