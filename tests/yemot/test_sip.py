"""SIP accounts over the wire: create/list/transport/caller ID/delete/extension, the cap and SIP-less servers."""

from __future__ import annotations

import pytest
from yemot_wire import api, error, ok

NOT_SUPPORTED = "שרת זה אינו תומך במערכת SIP"
SIP_METHODS = [
    ("CreateSipAccount", {}),
    ("GetSipAccountsInCustomer", {}),
    ("SipToWss", {}),
    ("SipToUdp", {}),
    ("EditCallerIdInSipAccount", {"accountNumber": 1, "callerId": "0773137770"}),
    ("DeleteSipAccount", {"accountNumber": 1}),
    ("SipExtensionManagement", {"SipExtensionManagement": "Get"}),
]


def load(emulator, **system) -> None:
    spec = {"number": "0773137770", "password": "1234", **system}
    fields = ", ".join(
        f"{key}: {value!r}".replace("True", "true").replace("False", "false") for key, value in spec.items()
    )
    emulator.control("POST", "fixtures", content=f"seed: 1\nyemot:\n  systems:\n    - {{{fields}}}\n")


def test_create_sip_account_numbers_accounts_from_one(emulator):
    first = ok(api(emulator, "CreateSipAccount"))
    second = ok(api(emulator, "CreateSipAccount", extNumber=250))
    assert (first["accountID"], first["accountNumber"]) == ("0773137770=1", 1)
    assert (second["accountID"], second["accountNumber"]) == ("0773137770=2", 2)
    assert isinstance(first["PASS"], str) and len(first["PASS"]) == 12


def test_create_sip_account_reuses_the_lowest_free_number(emulator):
    for _ in range(3):
        api(emulator, "CreateSipAccount")
    ok(api(emulator, "DeleteSipAccount", accountNumber=2))
    assert ok(api(emulator, "CreateSipAccount"))["accountNumber"] == 2


def test_create_sip_account_beyond_the_limit_is_refused(emulator):
    for _ in range(6):  # fixture sip_account_limit: 6
        ok(api(emulator, "CreateSipAccount"))
    error(api(emulator, "CreateSipAccount"), "SIP account limit reached")
    assert len(api(emulator, "GetSipAccountsInCustomer")["accounts"]) == 6


@pytest.mark.parametrize("ext", [199, 10001])
def test_create_sip_account_extension_out_of_range_is_refused(emulator, ext):
    body = api(emulator, "CreateSipAccount", extNumber=ext)
    assert body["responseStatus"] == "ERROR"
    assert body["message"].startswith("invalid value for parameter 'extNumber'")


def test_create_sip_account_duplicate_extension_is_refused(emulator):
    ok(api(emulator, "CreateSipAccount", extNumber=200))
    error(api(emulator, "CreateSipAccount", extNumber=200), "extNumber is already in use")


def test_get_sip_accounts_in_customer_lists_every_field(emulator):
    emulator.freeze("2026-03-01T08:00:00Z")
    created = ok(api(emulator, "CreateSipAccount", extNumber=10000))
    body = ok(emulator.yemot.get("GetSipAccountsInCustomer", params={"token": emulator.yemot_token}).json())
    assert body["accountLimit"] == 6
    assert body["accounts"] == [
        {
            "id": "0773137770=1",
            "accountNumber": 1,
            "customerExtension": 10000,
            "transport": "transport-udp",
            "callerid": "0773137770",
            "specialCallerID": None,
            "password": created["PASS"],
            "created_date": "2026-03-01 10:00:00",
            "contactsCount": 0,
        }
    ]


def test_sip_to_wss_and_back_to_udp_switch_the_transport(emulator):
    api(emulator, "CreateSipAccount")
    api(emulator, "CreateSipAccount")
    assert set(ok(api(emulator, "SipToWss", accountNumber=2))) == {"responseStatus", "yemotAPIVersion", "yAfastVersion"}
    ok(api(emulator, "SipToWss"))  # default: the first account
    transports = [a["transport"] for a in api(emulator, "GetSipAccountsInCustomer")["accounts"]]
    assert transports == ["transport-wss", "transport-wss"]
    ok(api(emulator, "SipToUdp", accountNumber=1))
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"][0]["transport"] == "transport-udp"


def test_sip_to_wss_unknown_account_is_refused(emulator):
    error(api(emulator, "SipToWss", accountNumber=3), "SIP account not found")


def test_edit_caller_id_in_sip_account_accepts_approved_numbers(emulator):
    api(emulator, "CreateSipAccount")
    ok(api(emulator, "EditCallerIdInSipAccount", accountNumber=1, callerId="0773137771"))  # a sub-number
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"][0]["specialCallerID"] == "0773137771"


def test_edit_caller_id_in_sip_account_refuses_unapproved_numbers(emulator):
    api(emulator, "CreateSipAccount")
    error(
        api(emulator, "EditCallerIdInSipAccount", accountNumber=1, callerId="0529999999"),
        "callerId 0529999999 is not approved in this system",
    )
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"][0]["specialCallerID"] is None


def test_delete_sip_account_by_array_counts_affected_rows(emulator):
    for _ in range(3):
        api(emulator, "CreateSipAccount")
    assert ok(api(emulator, "DeleteSipAccount", accountNumber=[1, 3, 5]))["affected_rows"] == 2
    form = emulator.yemot.post("DeleteSipAccount", data={"token": emulator.yemot_token, "accountNumber": "2"}).json()
    assert form["affected_rows"] == 1
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"] == []


def test_sip_extension_management_get_set_and_clear(emulator):
    api(emulator, "CreateSipAccount", extNumber=300)
    assert ok(api(emulator, "SipExtensionManagement", SipExtensionManagement="Get"))["extNumber"] == 300
    assert api(emulator, "SipExtensionManagement", SipExtensionManagement="Set", extNumber=301)["extNumber"] == 301
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"][0]["customerExtension"] == 301
    assert api(emulator, "SipExtensionManagement", SipExtensionManagement="Set", accountNumber=1)["extNumber"] is None
    assert api(emulator, "GetSipAccountsInCustomer")["accounts"][0]["customerExtension"] is None


def test_sip_extension_management_taken_extension_is_refused(emulator):
    api(emulator, "CreateSipAccount", extNumber=300)
    api(emulator, "CreateSipAccount", extNumber=400)
    body = api(emulator, "SipExtensionManagement", SipExtensionManagement="Set", accountNumber=2, extNumber=300)
    error(body, "extNumber is already in use")


def test_sip_extension_management_bad_action_is_an_exception(emulator):
    api(emulator, "CreateSipAccount")
    error(api(emulator, "SipExtensionManagement", SipExtensionManagement="Delete"), "bad action", "EXCEPTION")


@pytest.mark.parametrize(("method", "params"), SIP_METHODS)
def test_sip_methods_on_a_server_without_sip_answer_the_documented_error(emulator, method, params):
    load(emulator, sip_supported=False, sip_account_limit=2)
    body = api(emulator, method, **params)
    assert body == {
        "responseStatus": "ERROR",
        "message": NOT_SUPPORTED,
        "yAfastVersion": "any",
        "yemotAPIVersion": 6,
    }
