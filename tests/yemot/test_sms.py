"""SendSms, GetSmsOutLog and GetCustomerSmsTransactions."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def send(emulator, **params):
    return emulator.yemot.post("SendSms", json={"token": TOKEN, **params}).json()


def test_send_sms_sends_to_every_number_and_bills_per_recipient(emulator):
    body = send(emulator, message="שלום" * 20, phones="0527777701:0527777702:0527777702:123")
    assert body == {
        "responseStatus": "OK",
        "message": "שלום" * 20,
        "from": SYSTEM,
        "sendCount": 2,
        "Billing": 0.4,
        "oks": ["0527777701", "0527777702"],
        "errors": {"0527777702": "double", "123": "notValid"},
        "campaignId": body["campaignId"],
        **VERSION,
    }
    assert emulator.runtime.world.yemot.systems[SYSTEM].units == 99.6
    inbox = emulator.phones("0527777701")["messages"]
    assert [(m["sender"], m["text"]) for m in inbox] == [(SYSTEM, "שלום" * 20)]


def test_send_sms_over_form_post_with_tpl_list_skips_blocked_entries(emulator):
    body = emulator.yemot.post("SendSms", data={"token": TOKEN, "message": "hi", "phones": "tpl:3"}).json()
    assert (body["oks"], body["errors"], body["Billing"]) == (
        ["0527777741", "0527777742"],
        {"0527777743": "blocked"},
        0.2,
    )


def test_send_sms_from_an_approved_or_sub_number_is_accepted(emulator):
    assert send(emulator, message="x", phones="0527777701", **{"from": "0773137771"})["from"] == "0773137771"


def test_send_sms_from_an_unapproved_number_is_refused(emulator):
    assert send(emulator, message="x", phones="0527777701", **{"from": "0521111111"}) == {
        "responseStatus": "ERROR",
        "message": "callerId 0521111111 is not approved in this system",
        **VERSION,
    }


def test_send_sms_with_no_valid_number_is_refused(emulator):
    assert send(emulator, message="x", phones="123:456") == {
        "responseStatus": "ERROR",
        "message": "No valid phones",
        "errors": {"123": "notValid", "456": "notValid"},
        **VERSION,
    }


def test_send_sms_to_an_unknown_tpl_list_is_refused(emulator):
    assert send(emulator, message="x", phones="tpl:99")["message"] == "tpl:99 does not exist"


def test_send_sms_without_message_is_a_missing_parameter(emulator):
    assert send(emulator, phones="0527777701")["message"] == "missing required parameter 'message'"


def test_get_sms_out_log_is_newest_first_with_live_delivery_reports(emulator):
    send(emulator, message="first", phones="0527777701", sendFlashMessage=1)
    emulator.advance(60)
    send(emulator, message="second", phones="0527777901")
    rows = emulator.yemot.get("GetSmsOutLog", params={"token": TOKEN, "limit": 2}).json()["rows"]
    assert [row["Message"] for row in rows] == ["second", "first"]
    assert rows[1] == {
        "CallerId": SYSTEM,
        "To": "0527777701",
        "Message": "first",
        "Billing": 0.1,
        "RunBy": "API",
        "Time": "2026-03-10 12:00:00",
        "DeliveryReport": "DELIVRD",
        "Flash": True,
    }
    assert (rows[0]["DeliveryReport"], rows[0]["Flash"]) == ("ESME_ROK", False)
    emulator.advance(30)
    rows = emulator.yemot.get("GetSmsOutLog", params={"token": TOKEN, "limit": 1}).json()["rows"]
    assert rows[0]["DeliveryReport"] == "EXPIRED"


def test_get_sms_out_log_without_limit_returns_every_row(emulator):
    send(emulator, message="x", phones="0527777701")
    assert len(emulator.yemot.get("GetSmsOutLog", params={"token": TOKEN}).json()["rows"]) == 26


def test_get_customer_sms_transactions_lists_sms_charges_newest_first(emulator):
    send(emulator, message="a", phones="0527777701")
    emulator.yemot.post("TransferUnits", json={"token": TOKEN, "destination": "0773137780", "amount": 1})
    send(emulator, message="b" * 71, phones="0527777701")
    body = emulator.yemot.get("GetCustomerSmsTransactions", params={"token": TOKEN}).json()
    rows = body["rows"]
    assert [row["amount"] for row in rows] == [-0.2, -0.1]
    assert rows[0] == {
        "transactionTime": "2026-03-10 12:00:00",
        "amount": -0.2,
        "description": rows[0]["description"],
        "newBalance": 98.7,
        "expireDate": "2027-12-31",
        "who": "API",
    }
    assert rows[0]["description"].startswith("Start-YA-SMS-")


def test_get_customer_sms_transactions_is_capped_at_2000(emulator):
    from emulator.yemot import billing

    system = emulator.runtime.world.yemot.systems[SYSTEM]
    system.units = 1000
    for _ in range(2001):
        billing.charge(system, 0.1, "sms", 0.0, category="sms")
    rows = emulator.yemot.get("GetCustomerSmsTransactions", params={"token": TOKEN}).json()["rows"]
    assert len(rows) == 2000
