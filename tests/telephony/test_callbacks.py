"""Yemot TTS and fax hooks reach a real local HTTP receiver, in order, with retries."""

from __future__ import annotations

from emulator.yemot.state import Transaction

START_MS = 1772359200000  # 2026-03-01T10:00:00Z
SYSTEM = "0773137770"


def test_tts_callbacks_reach_receiver_in_order_with_end_last(tel, place, receiver):
    url = f"{receiver.url}/hooks/tts"
    for number in ("0501234567", "0501234905", "0501234904"):
        place(number, kind="tts", campaign="YA-3-1", callback_url=url)

    tel.advance(30)
    deliveries = tel.wait_for_outbox()
    assert [d["state"] for d in deliveries] == ["delivered"] * 6
    assert {r["path"] for r in receiver.requests} == {"/hooks/tts"}
    assert receiver.bodies() == [
        {"CampaignId": "YA-3-1", "Number": "0501234905", "Status": "FAILD", "Time": START_MS, "FailReason": "8"},
        {"CampaignId": "YA-3-1", "Number": "0501234567", "Status": "UP", "Time": START_MS + 5000},
        {"CampaignId": "YA-3-1", "Number": "0501234904", "Status": "UP", "Time": START_MS + 5000},
        {
            "CampaignId": "YA-3-1",
            "Number": "0501234904",
            "Status": "DOWN",
            "Time": START_MS + 8000,
            "CallTimeMS": 3000,
            "BridgeCallStart": None,
            "BridgeCallStop": None,
        },
        {
            "CampaignId": "YA-3-1",
            "Number": "0501234567",
            "Status": "DOWN",
            "Time": START_MS + 25000,
            "CallTimeMS": 20000,
            "BridgeCallStart": None,
            "BridgeCallStop": None,
        },
        {
            "CampaignId": "YA-3-1",
            "Number": None,
            "Status": "END",
            "Time": START_MS + 25000,
            "moreData": {
                "CampaignBilling": 0,
                "notEnteris": 0,
                "enteris": 3,
                "done": 2,
                "fail": 1,
                "createTS": "2026-03-01 12:00:00",
                "runTS": "2026-03-01 12:00:00",
                "endTS": "2026-03-01 12:00:25",
            },
        },
    ]
    assert all(r["type"].startswith("application/json") for r in receiver.requests)


def test_tts_end_counts_never_dialled_and_reports_campaign_billing(tel, place, receiver):
    system = tel.runtime.world.yemot.systems[SYSTEM]
    system.transactions.append(Transaction(1, 0.0, -1.5, "TTS", "api", 10.0, campaign_id="YA-3-2"))
    system.transactions.append(Transaction(2, 0.0, -1.0, "TTS", "api", 9.0, campaign_id="YA-3-2"))
    system.transactions.append(Transaction(3, 0.0, -7.0, "other", "api", 2.0, campaign_id="YA-3-9"))
    for number in ("0501234903", "0501234902", "0501234567"):
        place(number, kind="tts", campaign="YA-3-2", callback_url=receiver.url)

    tel.advance(25)
    tel.wait_for_outbox()
    end = receiver.bodies()[-1]
    assert end["Status"] == "END"
    assert {key: end["moreData"][key] for key in ("CampaignBilling", "notEnteris", "enteris", "done", "fail")} == {
        "CampaignBilling": 2.5,
        "notEnteris": 1,
        "enteris": 2,
        "done": 1,
        "fail": 1,
    }
    failed = [body for body in receiver.bodies() if body["Status"] == "FAILD"]
    assert [(body["Number"], body["FailReason"]) for body in failed] == [("0501234903", "0"), ("0501234902", "5")]


def test_tts_callback_is_retried_when_receiver_answers_500_twice(emulator_factory, receiver):
    emulator = emulator_factory(outbox_backoff_base_s=0.01)
    emulator.freeze("2026-03-01T10:00:00Z")
    receiver.fail_first = 2
    emulator.runtime.telephony.place(
        api="yemot",
        tenant=SYSTEM,
        kind="tts",
        caller_id=SYSTEM,
        to="0501234905",
        campaign="YA-R",
        callback_url=receiver.url,
    )

    emulator.advance(0)
    deliveries = emulator.wait_for_outbox()
    failed_call, end = deliveries
    assert failed_call["state"] == "delivered"
    assert [a["status"] for a in failed_call["attempts"]] == [500, 500, 200]
    assert [a["status"] for a in end["attempts"]] == [200]
    assert [body["Status"] for body in receiver.bodies()] == ["FAILD", "END"]
    assert [r["status"] for r in receiver.requests] == [500, 500, 200, 200]


def test_tts_callback_to_dead_receiver_is_recorded_as_failed(emulator_factory, dead_url):
    emulator = emulator_factory(outbox_backoff_base_s=0.01)
    emulator.freeze("2026-03-01T10:00:00Z")
    emulator.runtime.telephony.place(
        api="yemot",
        tenant=SYSTEM,
        kind="tts",
        caller_id=SYSTEM,
        to="0501234905",
        campaign="YA-D",
        callback_url=dead_url,
    )

    emulator.advance(0)
    deliveries = emulator.wait_for_outbox()
    assert [d["state"] for d in deliveries] == ["failed", "failed"]
    assert [len(d["attempts"]) for d in deliveries] == [5, 5]
    assert all(a["status"] is None and a["error"] for d in deliveries for a in d["attempts"])
    assert emulator.phones("0501234905")["calls"][0]["outcome"] == "failed"


def test_fax_delivery_reports_answer_then_end_as_form_posts(tel, place, receiver):
    place("0501234567", kind="fax", campaign="WSOC-LC-1", callback_url=f"{receiver.url}/FaxDel")
    place("0501234904", kind="fax", campaign="WSOC-LC-2", callback_url=f"{receiver.url}/FaxDel")
    place("0501234902", kind="fax", campaign="WSOC-LC-3", callback_url=f"{receiver.url}/FaxDel")

    tel.advance(25)
    tel.wait_for_outbox()
    assert all(r["type"] == "application/x-www-form-urlencoded" for r in receiver.requests)
    by_campaign = {}
    for body in receiver.bodies():
        by_campaign.setdefault(body.pop("CampaignId"), []).append(body)
    assert by_campaign == {
        "WSOC-LC-1": [{"Delivery": "Answer"}, {"Delivery": "End", "status": "SUCCESS"}],
        "WSOC-LC-2": [{"Delivery": "Answer"}, {"Delivery": "End", "status": "FAILED"}],
        "WSOC-LC-3": [{"Delivery": "NoAnswer", "DIALSTATUS": "BUSY"}],
    }


def test_calls_without_callback_url_or_other_kinds_send_nothing(tel, place):
    place("0501234567", kind="tts", campaign="YA-N")
    place("0501234567", kind="tzintuk", campaign="YA-T", callback_url="http://127.0.0.1:9/x")

    tel.advance(30)
    assert tel.outbox() == []


def test_callback_to_control_plane_is_refused_and_call_goes_on(tel, place, show):
    call_id = place("0501234567", kind="tts", campaign="YA-C", callback_url="http://127.0.0.1:8080/__emulator__/reset")

    tel.advance(25)
    assert tel.outbox() == []
    assert show(call_id)["outcome"] == "answered"
