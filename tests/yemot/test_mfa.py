"""MFASession and the MFA_REQUIRED gate of Login sessions."""

from __future__ import annotations

import re

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")
ADMIN_PHONE = "0527777770"  # the fixture's PHONE method


@pytest.fixture
def session(emulator):
    """A Login session of a system that requires MFA."""
    assert emulator.admin.put(f"yemot/systems/{SYSTEM}/mfa", json={"required": True}).json()["required"] is True
    return emulator.yemot.get("Login", params={"username": SYSTEM, "password": "1234"}).json()["token"]


def call(emulator, method, token, **params):
    return emulator.yemot.post(method, json={"token": token, **params}).json()


def mfa(emulator, token, action, **params):
    return call(emulator, "MFASession", token, action=action, **params)


def last_code(emulator):
    text = emulator.phones(ADMIN_PHONE)["messages"][-1]["text"]
    return re.search(r"\d{6}", text).group(0)


def test_a_session_is_gated_until_it_passes_by_code(emulator, session):
    gated = call(emulator, "GetSession", session)
    assert gated == {"responseStatus": "FORBIDDEN", "message": "MFA_REQUIRED", **VERSION}
    error(call(emulator, "SendSms", session, phones="0501234567", message="x"), "MFA_REQUIRED", "FORBIDDEN")
    assert mfa(emulator, session, "isPass") == {
        "responseStatus": "OK",
        "isAvailable": True,
        "isPass": False,
        "passReason": None,
        "isPassInThisSession": False,
        **VERSION,
    }
    assert ok(mfa(emulator, session, "try"))["isPass"] is False
    methods = ok(mfa(emulator, session, "getMFAMethods"))["mfaMethods"]
    assert methods == [
        {
            "ID": 1,
            "STATUS": "VALID",
            "MFA_METHOD_ID": 1,
            "NIKE": "052****770",
            "NOTE": "טלפון המנהל",
            "SEND_TYPE": ["SMS", "CALL"],
            "VALUE": "052****770",
            "EXPIRED_DATE": "2099-12-31 23:59:59",
            "LAST_USED": "2026-03-10 12:00:00",
        }
    ]
    assert mfa(emulator, session, "sendMFA", mfaId=1, mfaSendType="SMS", lang="he") == {
        "responseStatus": "OK",
        **VERSION,
    }
    emulator.advance(1)
    wrong = mfa(emulator, session, "validMFA", mfaCode="000000x")
    assert wrong == {
        "responseStatus": "OK",
        "mfa_valid_status": "INVALID",
        "mfa_valid_trys": 1,
        "mfa_valid_left": 4,
        "mfa_valid_message": "the code is incorrect",
        **VERSION,
    }
    right = ok(
        mfa(emulator, session, "validMFA", mfaCode=last_code(emulator), mfaRememberMe=True, mfaRememberNote="pc")
    )
    assert (right["mfa_valid_status"], right["mfa_valid_trys"], right["mfa_valid_left"]) == ("VALID", 0, 5)
    assert ok(call(emulator, "GetSession", session))["username"] == SYSTEM
    passed = ok(mfa(emulator, session, "isPass"))
    assert (passed["isPass"], passed["passReason"], passed["isPassInThisSession"]) == (True, "MFA_PASSED", True)
    for action in ("try", "sendMFA", "validMFA"):
        error(mfa(emulator, session, action, mfaId=1), "the this action allow only BEFORE pass")
    tokens = ok(mfa(emulator, session, "getMFATrustTokens"))["trustTokens"]
    assert [(t["id"], t["trust_note"], t["create_date"]) for t in tokens] == [(2, "pc", "2026-03-10 12:00:01")]
    ok(mfa(emulator, session, "deleteTrustToken", trustTokenId="2"))
    error(mfa(emulator, session, "deleteTrustToken", trustTokenId="2"), "trustTokenId not found")


def test_the_mfa_php_step_passes_the_session(emulator, session):
    done = emulator.admin.post("yemot/mfa", json={"token": session})
    assert done.json() == {"mfaDoneStatus": "VALID"}
    assert emulator.admin.post("yemot/mfa", json={"token": session}).json() == {"mfaDoneStatus": "ALREADY_PASSED"}
    ok(call(emulator, "GetSession", session))
    unknown = emulator.admin.post("yemot/mfa", json={"token": "nope"})
    assert (unknown.status_code, unknown.json()) == (404, {"error": "no open session with that token"})


def test_number_password_tokens_and_trusted_ips_pass(emulator, session):
    ok(call(emulator, "GetSession", TOKEN))
    assert ok(mfa(emulator, TOKEN, "isPass"))["passReason"] == "IS_CUSTOMER_AUTH_TOKEN"
    saved = ok(mfa(emulator, TOKEN, "setMFATrustIps", trustIps=["127.0.0.1", "not-an-ip"]))
    assert (saved["okCount"], saved["save"], saved["valid_new_list"], saved["errors"]) == (
        1,
        True,
        ["127.0.0.1"],
        ["not-an-ip"],
    )
    assert ok(mfa(emulator, TOKEN, "getMFATrustIps"))["trustIps"] == ["127.0.0.1"]
    assert ok(mfa(emulator, session, "isPass"))["passReason"] == "INIT_WHITELIST_IPS"
    ok(call(emulator, "GetSession", session))


def test_without_required_mfa_every_token_passes(emulator):
    body = ok(mfa(emulator, TOKEN, "isPass"))
    assert (body["isAvailable"], body["isPass"], body["passReason"]) == (False, True, "INACTIVE_SYSTEM")


def test_five_wrong_codes_lock_with_overtry(emulator, session):
    ok(mfa(emulator, session, "sendMFA", mfaId=1))
    statuses = [ok(mfa(emulator, session, "validMFA", mfaCode="x"))["mfa_valid_status"] for _ in range(5)]
    assert statuses == ["INVALID"] * 4 + ["OVERTRY"]
    locked = ok(mfa(emulator, session, "validMFA", mfaCode=last_code(emulator)))
    assert (locked["mfa_valid_status"], locked["mfa_valid_left"]) == ("OVERTRY", 0)
    error(call(emulator, "GetSession", session), "MFA_REQUIRED", "FORBIDDEN")
    ok(mfa(emulator, session, "sendMFA", mfaId=1, mfaSendType="CALL"))  # a new code, by call, ends the lock
    emulator.advance(6)
    code = emulator.phones(ADMIN_PHONE)["calls"][-1]["extra"]["code"]
    assert ok(mfa(emulator, session, "validMFA", mfaCode=code))["mfa_valid_status"] == "VALID"
    ok(call(emulator, "GetSession", session))


def test_methods_are_added_validated_and_deleted(emulator, session):
    added = mfa(emulator, session, "addMethod", mfaNewType="PHONE", mtaNewValue="0529999999", mfaNewValidNote="n")
    assert added == {"responseStatus": "OK", "methodId": 2, **VERSION}
    statuses = [m["STATUS"] for m in ok(mfa(emulator, session, "getMFAMethods"))["mfaMethods"]]
    assert statuses == ["VALID", "WAIT_VALID"]
    assert ok(mfa(emulator, session, "validMethod", mfaId=2, mfaCode="x"))["mfa_valid_status"] == "INVALID"
    ok(mfa(emulator, session, "reValidMethod", mfaId=2))
    assert len(emulator.phones("0529999999")["messages"]) == 2  # a second code was sent
    fresh = re.search(r"\d{6}", emulator.phones("0529999999")["messages"][-1]["text"]).group(0)
    assert ok(mfa(emulator, session, "validMethod", mfaId=2, mfaCode=fresh))["mfa_valid_status"] == "VALID"
    assert [m["STATUS"] for m in ok(mfa(emulator, session, "getMFAMethods"))["mfaMethods"]] == ["VALID", "VALID"]
    email = ok(mfa(emulator, session, "addMethod", mfaNewType="EMAIL", mtaNewValue="admin@example.com"))["methodId"]
    shown = emulator.admin.get(f"yemot/systems/{SYSTEM}/mfa").json()["methods"][-1]
    assert (shown["id"], shown["type"], shown["status"], len(shown["code"])) == (email, "EMAIL", "WAIT_VALID", 6)
    ok(mfa(emulator, session, "deleteMethod", mfaId=2))
    error(mfa(emulator, session, "deleteMethod", mfaId=2), "mfaId not found")
    error(mfa(emulator, session, "fly"), "bad action", "EXCEPTION")
