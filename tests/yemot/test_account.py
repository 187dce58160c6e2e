"""Account methods: Login/Logout/GetSession, GetCustomerData, GetTransactions, TransferUnits, GetIncomingSum."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION

OTHER = "0773137780"
DETAILS = {  # the fixture system's details, shared by GetSession and GetCustomerData
    "name": "מערכת בדיקות",
    "unitsExpireDate": "2027-12-31",
    "email": "test@example.com",
    "organization": "ימות המשיח - אמולטור",
    "contactName": "ישראל ישראלי",
    "phones": "0527777770",
    "invoiceName": "ישראל ישראלי",
    "invoiceAddress": "",
    "fax": "",
    "accessPassword": "1234",
    "units": 100.0,
    "recordPassword": "1234",
}

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def get(emulator, method: str, **params):
    return emulator.yemot.get(method, params={"token": TOKEN, **params}).json()


def post(emulator, method: str, **params):
    return emulator.yemot.post(method, json={"token": TOKEN, **params}).json()


def test_login_gives_sessions_numbered_from_one(emulator):
    for expected in (1, 2):
        token = emulator.yemot.get("Login", params={"username": SYSTEM, "password": "1234"}).json()["token"]
        assert emulator.runtime.world.yemot.systems[SYSTEM].sessions[token].id == expected


def test_logout_ends_the_session(emulator):
    token = emulator.yemot.get("Login", params={"username": SYSTEM, "password": "1234"}).json()["token"]
    assert emulator.yemot.get("Logout", params={"token": token}).json() == {"responseStatus": "OK", **VERSION}
    assert emulator.yemot.get("GetSession", params={"token": token}).json()["message"] == (
        "IllegalStateException(session token is invalid)"
    )


def login(emulator, password: str = "1234") -> dict:
    return emulator.yemot.get("Login", params={"username": SYSTEM, "password": password}).json()


def test_login_with_a_wrong_password_is_forbidden_and_logged_as_failed(emulator):
    assert login(emulator, "wrong") == {
        "responseStatus": "FORBIDDEN",
        "message": "user name or password do not match",
        **VERSION,
    }
    row = emulator.runtime.world.yemot.systems[SYSTEM].login_log[-1]
    assert (row.username, row.success) == (SYSTEM, False)


def test_number_password_token_with_a_wrong_password_is_forbidden(emulator):
    body = emulator.yemot.get("GetSession", params={"token": f"{SYSTEM}:wrong"}).json()
    assert body == {"responseStatus": "FORBIDDEN", "message": "user name or password do not match", **VERSION}
    row = emulator.runtime.world.yemot.systems[SYSTEM].login_log[-1]
    assert (row.username, row.success) == (SYSTEM, False)


@pytest.mark.parametrize("token", [None, "", "NoSuchToken00000", "WU1BUElL.apik_abc.def"])
def test_get_session_without_a_known_token_is_an_invalid_token_exception(emulator, token):
    params = {} if token is None else {"token": token}
    assert emulator.yemot.get("GetSession", params=params).json() == {
        "responseStatus": "EXCEPTION",
        "message": "IllegalStateException(session token is invalid)",
        **VERSION,
    }


def test_get_session_answers_the_documented_details(emulator):
    assert get(emulator, "GetSession") == {
        "responseStatus": "OK",
        **DETAILS,
        "creditFile": "Yemot",
        "username": SYSTEM,
        **VERSION,
    }


def test_session_idle_for_30_minutes_is_expired_then_invalid(emulator):
    token = login(emulator)["token"]
    emulator.advance(30 * 60)
    assert emulator.yemot.get("GetSession", params={"token": token}).json()["responseStatus"] == "OK"
    emulator.advance(30 * 60 + 1)
    assert emulator.yemot.get("GetSession", params={"token": token}).json() == {
        "responseStatus": "FORBIDDEN",
        "message": "session is expired",
        **VERSION,
    }
    assert emulator.yemot.get("GetSession", params={"token": token}).json()["message"] == (
        "IllegalStateException(session token is invalid)"
    )


def test_session_in_use_does_not_expire(emulator):
    token = login(emulator)["token"]
    for _ in range(4):
        emulator.advance(29 * 60)
        assert emulator.yemot.get("GetSession", params={"token": token}).json()["responseStatus"] == "OK"


def test_get_customer_data_lists_approved_caller_ids(emulator):
    body = get(emulator, "GetCustomerData")
    assert body["callerIds"] == [{"callerId": SYSTEM, "expiryDate": "2027-01-01 02:00:00"}]  # fixture anchor + 365 days
    assert body["secondary_dids"] == [{"id": 100, "did": "0773137771", "usage": "goto:/1"}]
    assert (body["mainDid"], body["units"], body["expiredUnits"]) == (SYSTEM, 100.0, False)


def test_get_customer_data_answers_every_seed_and_client_field(emulator):
    body = get(emulator, "GetCustomerData")
    assert {key: value for key, value in body.items() if key not in ("callerIds", "secondary_dids")} == {
        "responseStatus": "OK",
        "mainDid": SYSTEM,
        **DETAILS,
        "expiredUnits": False,
        "resellerCreditFile": "Yemot",
        "systemSite": "yemot",
        "pirsumPhoneStatus": False,
        "ivrType": "IVR2",
        "smsUnits": 0.0,
        "smsUnitsExpireDate": None,
        **VERSION,
    }


def test_get_customer_data_drops_caller_ids_past_their_year(emulator):
    emulator.advance(366 * 86400)
    assert get(emulator, "GetCustomerData")["callerIds"] == []


def test_transfer_units_moves_units_and_writes_both_rows(emulator):
    body = post(emulator, "TransferUnits", destination=OTHER, amount=12.5)
    assert body == {"responseStatus": "OK", "destination": OTHER, "amount": 12.5, "newBalance": 87.5, **VERSION}
    mine = get(emulator, "GetTransactions")
    assert mine["totalCount"] == 1
    assert mine["transactions"][0] == {
        "id": 1,
        "transactionTime": "2026-03-10 12:00:00",
        "amount": -12.5,
        "description": f"transfer to {OTHER}",
        "who": "TRANSFER",
        "newBalance": 87.5,
        "expireDate": "2027-12-31",
        "campaignId": None,
    }
    theirs = emulator.yemot.get("GetTransactions", params={"token": f"{OTHER}:5678"}).json()["transactions"]
    assert (theirs[0]["amount"], theirs[0]["description"], theirs[0]["newBalance"]) == (
        12.5,
        f"transfer from {SYSTEM}",
        22.5,
    )


@pytest.mark.parametrize("destination", ["0000000000", SYSTEM, ""])
def test_transfer_units_to_a_bad_destination_is_refused(emulator, destination):
    assert post(emulator, "TransferUnits", destination=destination, amount=1) == {
        "responseStatus": "ERROR",
        "message": "Bad destination",
        "messageCode": 111,
        **VERSION,
    }


@pytest.mark.parametrize("amount", [0, -1, "abc", None])
def test_transfer_units_with_a_bad_amount_is_refused(emulator, amount):
    params = {"destination": OTHER} if amount is None else {"destination": OTHER, "amount": amount}
    assert post(emulator, "TransferUnits", **params) == {
        "responseStatus": "ERROR",
        "message": "Bad amount",
        "messageCode": 112,
        **VERSION,
    }


def test_transfer_units_beyond_the_balance_is_refused_and_changes_nothing(emulator):
    assert post(emulator, "TransferUnits", destination=OTHER, amount=100.01) == {
        "responseStatus": "ERROR",
        "message": "Not enough balance",
        "messageCode": 113,
        **VERSION,
    }
    systems = emulator.runtime.world.yemot.systems
    assert (systems[SYSTEM].units, systems[OTHER].units, systems[SYSTEM].transactions) == (100.0, 10.0, [])


def test_get_transactions_pages_newest_first_and_filters_campaigns(emulator):
    post(emulator, "TransferUnits", destination=OTHER, amount=1)
    post(emulator, "SendSms", message="hello", phones="0527777701")
    post(emulator, "TransferUnits", destination=OTHER, amount=2)
    every = get(emulator, "GetTransactions")
    assert [row["id"] for row in every["transactions"]] == [3, 2, 1]
    page = get(emulator, "GetTransactions", **{"from": 1, "limit": 1})
    assert ([row["id"] for row in page["transactions"]], page["totalCount"]) == ([2], 3)
    campaigns = get(emulator, "GetTransactions", filter="campaigns")
    assert campaigns["totalCount"] == 1
    row = campaigns["transactions"][0]
    assert row["description"] == "Start-YA-" + row["campaignId"] and row["amount"] == -0.1


def test_get_incoming_sum_defaults_to_the_current_month(emulator):
    body = get(emulator, "GetIncomingSum")
    assert (body["fromDate"], body["toDate"]) == ("2026-03-01", "2026-03-10")
    assert all(isinstance(body[key], int) for key in ("direct", "transferIn", "transferOut"))


def test_get_incoming_sum_counts_minutes_per_kind_in_the_range(emulator):
    from emulator.yemot.state import IncomingCallRow

    system = emulator.runtime.world.yemot.systems[SYSTEM]
    now = emulator.runtime.clock.now()
    system.incoming_calls = [
        IncomingCallRow(time=now - 86400, did=SYSTEM, caller="0527777701", seconds=150, kind="direct"),
        IncomingCallRow(time=now - 86400, did=SYSTEM, caller="0527777702", seconds=90, kind="direct"),
        IncomingCallRow(time=now - 86400, did=SYSTEM, caller="0527777703", seconds=120, kind="transferOut"),
        IncomingCallRow(time=now - 40 * 86400, did=SYSTEM, caller="0527777704", seconds=600, kind="transferIn"),
    ]
    body = get(emulator, "GetIncomingSum", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert body == {
        "responseStatus": "OK",
        "fromDate": "2026-03-01",
        "toDate": "2026-03-31",
        "direct": 4,
        "transferIn": 0,
        "transferOut": 2,
        **VERSION,
    }
    assert get(emulator, "GetIncomingSum", **{"from": "2026-01-01"})["transferIn"] == 10


def test_get_incoming_sum_with_a_bad_date_is_refused(emulator):
    assert get(emulator, "GetIncomingSum", **{"from": "01/03/2026"}) == {
        "responseStatus": "ERROR",
        "message": "invalid value for parameter 'from': expected YYYY-mm-dd",
        **VERSION,
    }
