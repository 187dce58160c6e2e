"""ValidationCallerId: a code by SMS or call, approval for one year, then usable as a caller ID."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION

pytestmark = pytest.mark.usefixtures("frozen_at_start")

NEW = "0527777750"


def validation(emulator, **params):
    return emulator.yemot.get("ValidationCallerId", params={"token": TOKEN, **params}).json()


def sms_code(emulator) -> str:
    return emulator.phones(NEW)["messages"][-1]["text"][-4:]


def test_validation_caller_id_send_sms_puts_a_code_on_the_handset(emulator):
    body = validation(emulator, action="send", callerId=NEW, validType="SMS")
    assert body == {"responseStatus": "OK", "reqId": body["reqId"], **VERSION}
    assert sms_code(emulator).isdigit()
    assert emulator.runtime.world.yemot.systems[SYSTEM].units == 99.9


def test_validation_caller_id_send_call_puts_the_code_on_the_call(emulator):
    body = validation(emulator, action="send", callerId=NEW, validType="CALL")
    call = emulator.phones(NEW)["calls"][-1]
    assert (call["kind"], call["extra"]["reqId"]) == ("caller_id_validation", body["reqId"])
    assert len(call["extra"]["code"]) == 4


def test_validation_caller_id_valid_approves_for_one_year(emulator):
    request = validation(emulator, action="send", callerId=NEW, validType="SMS")["reqId"]
    body = validation(emulator, action="valid", reId=request, code=sms_code(emulator))
    assert body == {"responseStatus": "OK", "status": True, **VERSION}
    caller_ids = emulator.yemot.get("GetCustomerData", params={"token": TOKEN}).json()["callerIds"]
    assert {"callerId": NEW, "expiryDate": "2027-03-10 12:00:00"} in caller_ids
    sms = emulator.yemot.post("SendSms", json={"token": TOKEN, "from": NEW, "message": "x", "phones": "0527777701"})
    assert sms.json()["from"] == NEW


def test_validation_caller_id_revalidation_extends_the_year(emulator):
    request = validation(emulator, action="send", callerId=NEW)["reqId"]
    validation(emulator, action="valid", reId=request, code=sms_code(emulator))
    emulator.advance(100 * 86400)
    request = validation(emulator, action="send", callerId=NEW)["reqId"]
    validation(emulator, action="valid", reId=request, code=sms_code(emulator))
    caller_ids = emulator.yemot.get("GetCustomerData", params={"token": TOKEN}).json()["callerIds"]
    assert {"callerId": NEW, "expiryDate": "2027-06-18 13:00:00"} in caller_ids  # summer time


def test_validation_caller_id_approval_lapses_after_a_year(emulator):
    request = validation(emulator, action="send", callerId=NEW)["reqId"]
    validation(emulator, action="valid", reId=request, code=sms_code(emulator))
    emulator.advance(365 * 86400 + 1)
    body = emulator.yemot.post("RunTzintuk", json={"token": TOKEN, "callerId": NEW, "phones": "0527777701"}).json()
    assert body["message"] == f"callerId {NEW} is not approved in this system"


def test_validation_caller_id_valid_with_wrong_code_is_refused(emulator):
    request = validation(emulator, action="send", callerId=NEW)["reqId"]
    wrong = f"{(int(sms_code(emulator)) + 1) % 10000:04d}"
    assert validation(emulator, action="valid", reId=request, code=wrong) == {
        "responseStatus": "ERROR",
        "message": "code is incorrect",
        **VERSION,
    }


def test_validation_caller_id_valid_with_unknown_request_is_refused(emulator):
    assert validation(emulator, action="valid", reId="nope", code="1234") == {
        "responseStatus": "ERROR",
        "message": "reId not found",
        **VERSION,
    }


def test_validation_caller_id_send_to_an_invalid_number_is_refused(emulator):
    assert validation(emulator, action="send", callerId="123") == {
        "responseStatus": "ERROR",
        "message": "callerId is not a valid phone number",
        **VERSION,
    }


def test_validation_caller_id_send_without_units_is_refused_with_no_sms(emulator):
    emulator.runtime.world.yemot.systems[SYSTEM].units = 0.05
    assert validation(emulator, action="send", callerId=NEW)["message"] == "Not enough balance"
    assert emulator.phones(NEW)["messages"] == []


def test_validation_caller_id_unknown_action_is_bad_action(emulator):
    assert validation(emulator, action="other") == {"responseStatus": "EXCEPTION", "message": "bad action", **VERSION}
