"""GetIncomingSms, SipGetContexts and GetSipAccountsRegisteredStatus, fed by the control plane."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, VERSION, api, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def sms(emulator, **body):
    return emulator.admin.post(f"yemot/systems/{SYSTEM}/sms", json=body)


def test_incoming_sms_newest_first_with_international_sources(emulator):
    assert sms(emulator, **{"from": "0501234567", "text": "first"}).json() == {
        "source": "972501234567",
        "destination": SYSTEM,
        "message": "first",
    }
    sms(emulator, **{"from": "0501234568", "text": "same instant", "to": "0773137771"})
    emulator.advance(60)
    sms(emulator, **{"from": "0501234569", "text": "later"})
    body = api(emulator, "GetIncomingSms")
    assert body == {
        "responseStatus": "OK",
        "rows": [
            {
                "source": "972501234569",
                "destination": SYSTEM,
                "message": "later",
                "receive_date": "2026-03-10 12:01:00",
            },
            {
                "source": "972501234568",
                "destination": "0773137771",
                "message": "same instant",
                "receive_date": "2026-03-10 12:00:00",
            },
            {
                "source": "972501234567",
                "destination": SYSTEM,
                "message": "first",
                "receive_date": "2026-03-10 12:00:00",
            },
        ],
        **VERSION,
    }
    assert [r["message"] for r in ok(api(emulator, "GetIncomingSms", limit=1))["rows"]] == ["later"]
    window = {"startDate": "2026-03-10 12:00:30", "endDate": "2026-03-10 12:05:00"}
    assert [r["message"] for r in ok(api(emulator, "GetIncomingSms", **window))["rows"]] == ["later"]
    assert len(ok(api(emulator, "GetIncomingSms", limit="", startDate="", endDate=""))["rows"]) == 3


def test_incoming_sms_bad_date_is_refused(emulator):
    body = api(emulator, "GetIncomingSms", startDate="10/03/2026")
    error(body, "invalid value for parameter 'startDate': expected yyyy-MM-dd HH:mm:ss")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"from": "abc", "text": "x"}, 400, "'from' must be a phone number (digits, optionally a leading '+')"),
        ({"from": "0501234567"}, 400, "'text' must be a string of at most 10000 characters"),
        ({"from": "0501234567", "text": "x" * 10001}, 400, "'text' must be a string of at most 10000 characters"),
    ],
)
def test_bad_inbound_sms_is_refused(emulator, body, status, message):
    response = sms(emulator, **body)
    assert (response.status_code, response.json()) == (status, {"error": message})


# -- SIP registrations ------------------------------------------------------------------------------------


@pytest.fixture
def account(emulator):
    return ok(api(emulator, "CreateSipAccount"))["accountID"]


def test_a_registered_device_shows_until_it_expires(emulator, account):
    registered = emulator.admin.put(
        f"yemot/systems/{SYSTEM}/sip/1",
        json={"user_agent": "Zoiper", "via_addr": "10.0.0.5", "via_port": 5070, "expires_s": 120},
    )
    assert registered.json() == {"account": account, "registered": True, "uri": f"sip:{account}@10.0.0.5:5070"}
    assert api(emulator, "SipGetContexts") == {
        "responseStatus": "OK",
        "contexts": [
            {
                "uri": f"sip:{account}@10.0.0.5:5070",
                "user_agent": "Zoiper",
                "via_addr": "10.0.0.5",
                "via_port": 5070,
                "endpoint": account,
                "expiration_time": "2026-03-10 12:02:00",
            }
        ],
        **VERSION,
    }
    assert api(emulator, "GetSipAccountsRegisteredStatus") == {
        "responseStatus": "OK",
        "accounts": [{"userName": account, "createdDate": "2026-03-10 12:00:00", "registered": True}],
        **VERSION,
    }
    assert ok(api(emulator, "GetSipAccountsInCustomer"))["accounts"][0]["contactsCount"] == 1
    emulator.advance(120)
    assert ok(api(emulator, "SipGetContexts", accountNumber=1))["contexts"] == []
    assert ok(api(emulator, "GetSipAccountsRegisteredStatus"))["accounts"][0]["registered"] is False


def test_unregistering_removes_the_device(emulator, account):
    emulator.admin.put(f"yemot/systems/{SYSTEM}/sip/{account}", json={})
    assert len(ok(api(emulator, "SipGetContexts"))["contexts"]) == 1
    gone = emulator.admin.delete(f"yemot/systems/{SYSTEM}/sip/1").json()
    assert gone == {"account": account, "registered": False, "removed": 1}
    assert ok(api(emulator, "SipGetContexts"))["contexts"] == []


def test_sip_status_refusals(emulator, emulator_factory, account):
    error(api(emulator, "SipGetContexts", accountNumber=5), "SIP account not found")
    missing = emulator.admin.put(f"yemot/systems/{SYSTEM}/sip/9", json={})
    assert (missing.status_code, missing.json()) == (404, {"error": f"no SIP account '9' on system {SYSTEM}"})
    bad = emulator.admin.put(f"yemot/systems/{SYSTEM}/sip/1", json={"via_addr": "example.com"})
    assert (bad.status_code, bad.json()) == (400, {"error": "'via_addr' must be an IP address"})
    emulator.runtime.world.yemot.systems[SYSTEM].sip_supported = False
    for method in ("SipGetContexts", "GetSipAccountsRegisteredStatus"):
        body = api(emulator, method)
        assert body == {
            "responseStatus": "ERROR",
            "message": "שרת זה אינו תומך במערכת SIP",
            "yemotAPIVersion": 6,
            "yAfastVersion": "any",
        }
