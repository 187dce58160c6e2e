"""Account methods: Login/Logout/GetSession, GetCustomerData, GetTransactions, TransferUnits, GetIncomingSum."""

from __future__ import annotations

import pytest

SYSTEM, OTHER = "0773137770", "0773137780"
TOKEN = f"{SYSTEM}:1234"
VERSION = {"yemotAPIVersion": 6, "yAfastVersion": "6.6.156"}


@pytest.fixture(autouse=True)
def frozen(emulator):
    emulator.freeze("2026-03-10T10:00:00Z")


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


def test_get_customer_data_lists_approved_caller_ids(emulator):
    body = get(emulator, "GetCustomerData")
    assert body["callerIds"] == [{"callerId": SYSTEM, "expiryDate": "2027-01-01 02:00:00"}]  # fixture anchor + 365 days
    assert body["secondary_dids"] == [{"id": 100, "did": "0773137771", "usage": "goto:/1"}]
    assert (body["mainDid"], body["units"], body["expiredUnits"]) == (SYSTEM, 100.0, False)


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
