"""Yemot API keys: made on the control plane (shown once), sent as ``token=`` or as the whole
``Authorization`` header, refused like any invalid token once revoked; fixture ``api_keys``."""

from __future__ import annotations

import re

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION

KEYS = f"yemot/systems/{SYSTEM}/api-keys"
SHAPE = re.compile(r"WU1BUElL\.apik_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")
INVALID = (
    b'{"responseStatus":"EXCEPTION","message":"IllegalStateException(session token is invalid)",'
    b'"yemotAPIVersion":6,"yAfastVersion":"6.6.156"}'
)
FIXTURE_KEY = "WU1BUElL.apik_AAAAAAAAAAAAAAAAAAAAAA.fixturefixturefixturefixturefixturefixture0"

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def make_key(emulator, note="ci") -> dict:
    response = emulator.admin.post(KEYS, json={"note": note})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_key_is_shown_once_and_works_as_token_and_as_authorization(emulator):
    made = make_key(emulator)
    assert SHAPE.fullmatch(made["key"]) and made["key"].split(".")[1] == f"apik_{made['id']}"
    assert made["note"] == "ci" and made["revoked"] is None and made["last_used"] is None
    expected = emulator.yemot.get("GetSession", params={"token": TOKEN}).content
    assert emulator.yemot.get("GetSession", params={"token": made["key"]}).content == expected
    assert emulator.yemot.post("GetSession", json={"token": made["key"]}).content == expected
    assert emulator.yemot.get("GetSession", headers={"Authorization": made["key"]}).content == expected
    listed = emulator.admin.get(KEYS).json()["api_keys"]
    assert listed == [{**{k: v for k, v in made.items() if k != "key"}, "last_used": "2026-03-10T10:00:00Z"}]
    assert made["key"] not in emulator.admin.get("state").text  # only a digest is kept


def test_a_revoked_or_unknown_key_answers_as_an_invalid_token(emulator):
    made = make_key(emulator)
    other = make_key(emulator, note="")
    assert other["key"] != made["key"]
    revoked = emulator.admin.delete(f"{KEYS}/{made['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked"] == "2026-03-10T10:00:00Z"
    assert emulator.yemot.get("GetSession", params={"token": made["key"]}).content == INVALID
    assert emulator.yemot.get("GetSession", headers={"Authorization": made["key"]}).content == INVALID
    wrong_secret = other["key"][:-1] + ("A" if other["key"][-1] != "A" else "B")
    for token in (wrong_secret, "WU1BUElL.apik_nope.nope", "WU1BUElL.apik_", "WU1BUElL.apik_x." + "y" * 5000):
        assert emulator.yemot.get("GetSession", params={"token": token}).content == INVALID
    assert emulator.yemot.get("GetSession", params={"token": other["key"]}).json()["responseStatus"] == "OK"
    assert emulator.admin.delete(f"{KEYS}/missing").status_code == 404


def test_the_journal_never_shows_a_key(emulator):
    made = make_key(emulator)
    emulator.yemot.get("GetSession", params={"token": made["key"]})
    entry = emulator.journal(operation="GetSession")[-1]
    assert made["key"] not in str(entry) and entry["tenant"] == SYSTEM


def test_a_key_skips_mfa_and_is_never_two_step_verified(emulator):
    made = make_key(emulator)
    assert emulator.admin.put(f"yemot/systems/{SYSTEM}/mfa", json={"required": True}).status_code == 200
    passed = emulator.yemot.post("MFASession", json={"token": made["key"], "action": "isPass"}).json()
    assert passed["passReason"] == "API_SKIP_FOR_MFA" and passed["isPass"] is True
    assert emulator.yemot.post("GetSession", json={"token": made["key"]}).json()["responseStatus"] == "OK"
    sent = emulator.yemot.post("DoubleAuth", json={"token": made["key"], "action": "SendCode"}).json()
    assert sent == {"responseStatus": "OK", "message": "Call successfully sent", "LastNumberToSend": "7770", **VERSION}
    log = emulator.yemot.post("GetLoginLog", json={"token": made["key"]}).json()
    assert log == {"responseStatus": "EXCEPTION", "message": "Unverified session", **VERSION}


def test_fixture_keys_authenticate_and_duplicates_are_refused(emulator):
    fixture = f"yemot:\n  systems:\n    - number: '{SYSTEM}'\n      password: '1234'\n      api_keys:\n"
    loaded = emulator.admin.post("fixtures", content=fixture + f"        - {{key: {FIXTURE_KEY}, note: ci}}\n")
    assert loaded.status_code == 200, loaded.text
    assert emulator.yemot.get("GetSession", params={"token": FIXTURE_KEY}).json()["responseStatus"] == "OK"
    assert emulator.admin.get(KEYS).json()["api_keys"][0]["note"] == "ci"
    twice = emulator.admin.post("fixtures", content=fixture + f"        - {FIXTURE_KEY}\n        - {FIXTURE_KEY}x\n")
    assert twice.status_code == 400 and "is taken" in twice.text
    bad = emulator.admin.post("fixtures", content=fixture + "        - apik_plain\n")
    assert bad.status_code == 400 and "api_keys" in bad.text


@pytest.mark.parametrize(
    "body, message",
    [({"note": 5}, "'note' must be a string"), ({"name": "x"}, "unknown field 'name'"), ({"note": "n" * 201}, "note")],
)
def test_hostile_key_requests_get_the_control_planes_error_shape(emulator, body, message):
    response = emulator.admin.post(KEYS, json=body)
    assert response.status_code == 400 and message in response.json()["error"]
    assert emulator.admin.post("yemot/systems/0770000000/api-keys", json={}).status_code == 404


def test_a_key_is_made_without_a_body_as_the_contract_allows(emulator):
    """``requestBody: required: false``: ``curl -X POST .../api-keys`` makes a key with an empty note."""
    response = emulator.admin.post(KEYS)
    assert response.status_code == 201, response.text
    assert response.json()["note"] == "" and SHAPE.fullmatch(response.json()["key"])
