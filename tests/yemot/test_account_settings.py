"""SetPassword, SetCustomerDetails, PirsumPhoneManagement, GetApprovedCallerIDs, IsCallerIDApproved."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, VERSION, api, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def login(emulator, password):
    return emulator.yemot.get("Login", params={"username": SYSTEM, "password": password}).json()


def test_set_password_moves_login_and_number_password_tokens_to_the_new_password(emulator):
    session = ok(login(emulator, "1234"))["token"]
    assert api(emulator, "SetPassword", password="1234", newPassword="9876") == {"responseStatus": "OK", **VERSION}
    error(login(emulator, "1234"), "user name or password do not match", "FORBIDDEN")
    ok(login(emulator, "9876"))
    old = emulator.yemot.get("GetSession", params={"token": f"{SYSTEM}:1234"}).json()
    error(old, "user name or password do not match", "FORBIDDEN")
    ok(emulator.yemot.get("GetSession", params={"token": f"{SYSTEM}:9876"}).json())
    ok(emulator.yemot.get("GetSession", params={"token": session}).json())  # open sessions stay open


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"password": "0000", "newPassword": "9876"}, "password is incorrect"),
        ({"password": "1234", "newPassword": "12"}, "newPassword must be 4 to 30 characters, letters and digits only"),
        (
            {"password": "1234", "newPassword": "12 34"},
            "newPassword must be 4 to 30 characters, letters and digits only",
        ),
        ({"password": "1234"}, "missing required parameter 'newPassword'"),
        ({"password": "1234", "newPassword": ""}, "missing required parameter 'newPassword'"),
    ],
)
def test_set_password_refusals_change_nothing(emulator, params, message):
    error(api(emulator, "SetPassword", **params), message)
    ok(login(emulator, "1234"))


def test_set_customer_details_changes_only_the_fields_sent(emulator):
    before = ok(api(emulator, "GetSession"))
    body = emulator.yemot.post(
        "SetCustomerDetails",
        data={
            "token": emulator.yemot_token,
            "name": "חדש",
            "fax": "",
            "accessPassword": "4321",
            "invoiceAddress": "רחוב 1",
        },
    ).json()
    assert body == {"responseStatus": "OK", **VERSION}
    after = ok(api(emulator, "GetCustomerData"))
    assert (after["name"], after["accessPassword"], after["invoiceAddress"]) == ("חדש", "4321", "רחוב 1")
    for kept in ("email", "organization", "contactName", "phones", "invoiceName", "fax", "recordPassword"):
        assert after[kept] == before[kept], kept


def test_pirsum_phone_registration_shows_in_customer_data(emulator):
    assert api(emulator, "PirsumPhoneManagement", action="GetRegistrationStatus") == {
        "responseStatus": "OK",
        "registrationStatus": False,
        **VERSION,
    }
    assert ok(api(emulator, "PirsumPhoneManagement", action="Registration"))["results"] == "OK"
    assert ok(api(emulator, "GetCustomerData"))["pirsumPhoneStatus"] is True
    assert ok(api(emulator, "PirsumPhoneManagement", action="GetRegistrationStatus"))["registrationStatus"] is True
    ok(api(emulator, "PirsumPhoneManagement", action="UnRegistration"))
    assert ok(api(emulator, "GetCustomerData"))["pirsumPhoneStatus"] is False
    error(api(emulator, "PirsumPhoneManagement", action="Maybe"), "bad action", "EXCEPTION")


def test_get_approved_caller_ids(emulator):
    assert api(emulator, "GetApprovedCallerIDs") == {
        "responseStatus": "OK",
        "call": {"mainDid": SYSTEM, "secondaryDids": ["0773137771"], "callerIds": [SYSTEM]},
        "sms": {"smsId": None, "allowText": False},
        **VERSION,
    }


def test_a_validated_caller_id_becomes_approved(emulator):
    emulator.set_phone("0529999999", outcome="answered")
    request = ok(api(emulator, "ValidationCallerId", action="send", callerId="0529999999", validType="CALL"))
    emulator.advance(10)
    code = emulator.phones("0529999999")["calls"][0]["extra"]["code"]
    ok(api(emulator, "ValidationCallerId", action="valid", reId=request["reqId"], code=code))
    assert "0529999999" in ok(api(emulator, "GetApprovedCallerIDs"))["call"]["callerIds"]
    assert ok(api(emulator, "IsCallerIDApproved", callerId="0529999999"))["reason"] == "APPROVED_CALLER_ID"


@pytest.mark.parametrize(
    ("caller_id", "parsed", "approved", "reason"),
    [
        (SYSTEM, SYSTEM, True, "MAIN_DID"),
        ("+972-77-3137771", "0773137771", True, "SECONDARY_DID"),
        ("0501234567", "0501234567", False, "NOT_APPROVED"),
        ("12", "12", False, "INVALID_NUMBER"),
    ],
)
def test_is_caller_id_approved(emulator, caller_id, parsed, approved, reason):
    body = api(emulator, "IsCallerIDApproved", callerId=caller_id, serviceType="call")
    assert body == {
        "responseStatus": "OK",
        "parsedCallerId": parsed,
        "isApproved": approved,
        "reason": reason,
        **VERSION,
    }
