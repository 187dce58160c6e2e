"""Security methods: ValidationToken, DoubleAuth, GetLoginLog, GetAllSessions, KillSession, KillAllSessions."""

from __future__ import annotations

import pytest
from yemot_wire import VERSION

SYSTEM, PASSWORD, CREATE_PHONE = "0773137770", "1234", "0527777770"


def login(emulator) -> str:
    return emulator.yemot.get("Login", params={"username": SYSTEM, "password": PASSWORD}).json()["token"]


def call(emulator, method: str, token: str, **params):
    return emulator.yemot.get(method, params={"token": token, **params}).json()


def error(status: str, message: str) -> dict:
    return {"responseStatus": status, "message": message, **VERSION}


def send_code(emulator, token: str) -> str:
    """SendCode, then the code: the last 4 digits of the number that called the createPhone."""
    body = call(emulator, "DoubleAuth", token, action="SendCode")
    assert body["responseStatus"] == "OK", body
    emulator.advance(0)
    return emulator.phones(CREATE_PHONE)["calls"][-1]["caller_id"][-4:]


def verified(emulator) -> str:
    token = login(emulator)
    code = send_code(emulator, token)
    assert call(emulator, "DoubleAuth", token, action="VerifyCode", code=code)["message"] == "VerifiedOK"
    return token


@pytest.fixture(autouse=True)
def frozen(emulator):
    emulator.freeze("2026-03-01T10:00:00Z")


def test_validation_token_describes_a_fresh_session(emulator):
    token = login(emulator)
    body = call(emulator, "ValidationToken", token)
    assert body == {
        "responseStatus": "OK",
        "tokenData": {
            "remoteIP": body["tokenData"]["remoteIP"],
            "sessionType": "API",
            "createTime": "2026-03-01 12:00:00",
            "lastRequest": "2026-03-01 12:00:00",
            "doubleAuthStatus": False,
            "validationCalls": 0,
            "token": f"{token[:3]}***{token[-6:]}",
            "mfaStatus": False,
            "mfaRealValid": False,
            "mfaRequestId": None,
            "mfaValidReason": "",
        },
        **VERSION,
    }


def test_double_auth_send_code_calls_the_create_phone_from_a_random_number(emulator):
    token = login(emulator)
    body = call(emulator, "DoubleAuth", token, action="SendCode")
    assert body == {"responseStatus": "OK", "message": "Call successfully sent", "LastNumberToSend": "7770", **VERSION}
    emulator.advance(1)
    calls = emulator.phones(CREATE_PHONE)["calls"]
    assert len(calls) == 1 and calls[0]["kind"] == "verification"
    assert calls[0]["caller_id"].startswith("07") and len(calls[0]["caller_id"]) == 10
    assert call(emulator, "ValidationToken", token)["tokenData"]["validationCalls"] == 1


def test_double_auth_verify_code_with_the_caller_id_digits_verifies_the_token(emulator):
    token = login(emulator)
    code = send_code(emulator, token)
    body = call(emulator, "DoubleAuth", token, action="VerifyCode", code=code)
    assert body == {"responseStatus": "OK", "message": "VerifiedOK", **VERSION}
    data = call(emulator, "ValidationToken", token)["tokenData"]
    assert (data["doubleAuthStatus"], data["validationCalls"]) == (True, 0)


def test_double_auth_verify_code_with_wrong_code_is_refused(emulator):
    token = login(emulator)
    code = send_code(emulator, token)
    wrong = f"{(int(code) + 1) % 10000:04d}"
    assert call(emulator, "DoubleAuth", token, action="VerifyCode", code=wrong) == error(
        "ERROR", "Authentication failed"
    )


def test_double_auth_verify_code_before_send_code_is_refused(emulator):
    token = login(emulator)
    assert call(emulator, "DoubleAuth", token, action="VerifyCode", code="1234") == error(
        "ERROR", "Please SendCode before"
    )


def test_double_auth_verify_code_without_code_is_missing_parameters(emulator):
    token = login(emulator)
    assert call(emulator, "DoubleAuth", token, action="VerifyCode") == error("ERROR", "Missing parameters")


@pytest.mark.parametrize("action", [None, "", "Other"])
def test_double_auth_without_a_known_action_is_missing_parameters(emulator, action):
    token = login(emulator)
    params = {} if action is None else {"action": action}
    assert call(emulator, "DoubleAuth", token, **params) == error("EXCEPTION", "Missing parameters")


@pytest.mark.parametrize("action", ["SendCode", "VerifyCode"])
def test_double_auth_on_a_verified_token_is_refused(emulator, action):
    token = verified(emulator)
    assert call(emulator, "DoubleAuth", token, action=action, code="1234") == error(
        "ERROR", "Token has already been verified"
    )


def test_double_auth_send_code_with_invalid_create_phone_is_disabled(emulator):
    emulator.runtime.world.yemot.systems[SYSTEM].create_phone = "12"
    token = login(emulator)
    assert call(emulator, "DoubleAuth", token, action="SendCode") == error(
        "EXCEPTION", "createPhone is Not Valid. verification is disabled"
    )


def test_double_auth_with_a_number_password_token_verifies_only_its_own_throwaway_session(emulator):
    """The seed's warning made concrete: two-step status is per token, and ``number:password`` makes a
    new session on every request. SendCode places and counts the call as documented; VerifyCode's own
    session never had a code sent; two-step methods stay unverified."""
    token = f"{SYSTEM}:{PASSWORD}"
    envelope = b'"yemotAPIVersion":6,"yAfastVersion":"6.6.156"}'
    sent = emulator.yemot.get("DoubleAuth", params={"token": token, "action": "SendCode"})
    assert (
        sent.content
        == b'{"responseStatus":"OK","message":"Call successfully sent","LastNumberToSend":"7770",' + envelope
    )
    emulator.advance(1)
    placed = emulator.phones(CREATE_PHONE)["calls"]
    assert [(c["kind"], c["to"]) for c in placed] == [("verification", CREATE_PHONE)]
    code = placed[0]["caller_id"][-4:]
    verify = emulator.yemot.get("DoubleAuth", params={"token": token, "action": "VerifyCode", "code": code})
    assert verify.content == b'{"responseStatus":"ERROR","message":"Please SendCode before",' + envelope
    assert call(emulator, "ValidationToken", token)["tokenData"]["validationCalls"] == 1  # nothing verified it
    for method in ("GetLoginLog", "GetAllSessions", "KillAllSessions"):
        answer = emulator.yemot.get(method, params={"token": token}).content
        assert answer == b'{"responseStatus":"EXCEPTION","message":"Unverified session",' + envelope
    assert call(emulator, "ValidationToken", token)["tokenData"]["doubleAuthStatus"] is False


def test_number_password_send_codes_count_toward_the_six_hour_limit(emulator):
    token, session = f"{SYSTEM}:{PASSWORD}", login(emulator)
    for _ in range(4):
        assert call(emulator, "DoubleAuth", token, action="SendCode")["message"] == "Call successfully sent"
    assert call(emulator, "DoubleAuth", session, action="SendCode")["responseStatus"] == "OK"  # the fifth
    too_many = error("ERROR", "Too many validation Calls. Try for a few more hours")
    assert call(emulator, "DoubleAuth", token, action="SendCode") == too_many
    assert call(emulator, "DoubleAuth", session, action="SendCode") == too_many
    emulator.advance(6 * 3600)
    assert call(emulator, "DoubleAuth", token, action="SendCode")["message"] == "Call successfully sent"


def test_double_auth_send_code_at_threshold_is_refused_until_six_hours_pass(emulator):
    token = login(emulator)
    for _ in range(5):
        assert call(emulator, "DoubleAuth", token, action="SendCode")["responseStatus"] == "OK"
    too_many = error("ERROR", "Too many validation Calls. Try for a few more hours")
    assert call(emulator, "DoubleAuth", token, action="SendCode") == too_many
    assert len(emulator.phones(CREATE_PHONE)["calls"]) == 5
    token = login(emulator)
    emulator.advance(6 * 3600 - 1)
    token = login(emulator)
    assert call(emulator, "DoubleAuth", token, action="SendCode") == too_many
    emulator.advance(1)
    assert call(emulator, "ValidationToken", token)["tokenData"]["validationCalls"] == 0
    assert call(emulator, "DoubleAuth", token, action="SendCode")["responseStatus"] == "OK"


def test_double_auth_threshold_comes_from_the_fixture(emulator):
    emulator.runtime.world.yemot.systems[SYSTEM].validation_call_threshold = 2
    token = login(emulator)
    for _ in range(2):
        call(emulator, "DoubleAuth", token, action="SendCode")
    assert call(emulator, "DoubleAuth", token, action="SendCode")["message"] == (
        "Too many validation Calls. Try for a few more hours"
    )


def test_double_auth_success_takes_one_call_off_the_counter(emulator):
    token = login(emulator)
    for _ in range(3):
        call(emulator, "DoubleAuth", token, action="SendCode")
    code = send_code(emulator, token)
    call(emulator, "DoubleAuth", token, action="VerifyCode", code=code)
    assert call(emulator, "ValidationToken", token)["tokenData"]["validationCalls"] == 3


@pytest.mark.parametrize(
    ("method", "params"),
    [("GetLoginLog", {}), ("GetAllSessions", {}), ("KillSession", {"SessionId": "1"}), ("KillAllSessions", {})],
)
def test_verified_only_methods_refuse_an_unverified_token(emulator, method, params):
    assert call(emulator, method, login(emulator), **params) == error("EXCEPTION", "Unverified session")
    assert call(emulator, method, f"{SYSTEM}:{PASSWORD}", **params) == error("EXCEPTION", "Unverified session")


def test_get_login_log_lists_attempts_newest_first(emulator):
    emulator.yemot.get("Login", params={"username": SYSTEM, "password": "wrong"})
    token = verified(emulator)
    body = call(emulator, "GetLoginLog", token)
    assert body["responseStatus"] == "OK"
    rows = body["data"]
    assert [row["successful"] for row in rows] == [True, False]
    assert rows[0] == {
        "remoteIP": rows[0]["remoteIP"],
        "sessionType": "API",
        "actionTimestamp": "2026-03-01 12:00:00",
        "username": SYSTEM,
        "successful": True,
    }
    assert len(call(emulator, "GetLoginLog", token, limit=1)["data"]) == 1


def test_get_login_log_of_a_sub_number_is_empty_and_of_a_stranger_unknown(emulator):
    token = verified(emulator)
    assert call(emulator, "GetLoginLog", token, username="0773137771")["data"] == []
    assert call(emulator, "GetLoginLog", token, username="0000000000") == error("EXCEPTION", "Unknown username")


def test_get_all_sessions_lists_live_sessions_under_both_names(emulator):
    other = login(emulator)
    token = verified(emulator)
    call(emulator, "Logout", login(emulator))
    body = call(emulator, "GetAllSessions", token)
    assert body["sessionsCount"] == body["count"] == 2
    assert body["sessions"] == body["data"]
    first = body["sessions"][0]
    assert first == {
        "id": 1,
        "token": f"{other[:3]}***{other[-6:]}",
        "active": True,
        "selectedDID": None,
        "remoteIP": first["remoteIP"],
        "sessionType": "API",
        "createTime": "2026-03-01 12:00:00",
        "lastRequest": "2026-03-01 12:00:00",
        "doubleAuthStatus": False,
        "mfaStatus": False,
        "mfaRealValid": False,
        "mfaRequestId": None,
        "mfaValidReason": None,
    }
    assert body["sessions"][1]["doubleAuthStatus"] is True
    assert call(emulator, "GetAllSessions", token, limit=1)["count"] == 1


def test_a_session_that_passed_mfa_shows_it_in_its_mfa_keys(emulator):
    passed, waiting = login(emulator), login(emulator)
    assert emulator.admin.post("yemot/mfa", json={"token": passed}).json() == {"mfaDoneStatus": "VALID"}
    shown = {"mfaStatus": True, "mfaRealValid": True, "mfaRequestId": None, "mfaValidReason": "MFA_PASSED"}
    data = call(emulator, "ValidationToken", passed)["tokenData"]
    assert {key: data[key] for key in shown} == shown
    data = call(emulator, "ValidationToken", waiting)["tokenData"]
    assert (data["mfaStatus"], data["mfaRealValid"], data["mfaValidReason"]) == (False, False, "")
    sessions = call(emulator, "GetAllSessions", verified(emulator))["sessions"]
    assert [{key: entry[key] for key in shown} for entry in sessions[:2]] == [
        shown,
        {"mfaStatus": False, "mfaRealValid": False, "mfaRequestId": None, "mfaValidReason": None},
    ]


def test_kill_session_stops_the_session_at_once(emulator):
    other = login(emulator)
    token = verified(emulator)
    assert call(emulator, "KillSession", token, SessionId="1") == {"responseStatus": "OK", "SessionId": "1", **VERSION}
    assert call(emulator, "GetSession", other) == error("EXCEPTION", "IllegalStateException(session token is invalid)")
    assert call(emulator, "KillSession", token, SessionId="1") == error("ERROR", "SSessionId is broken")


@pytest.mark.parametrize("session_id", ["", "abc", "1x"])
def test_kill_session_with_non_numeric_id_is_refused(emulator, session_id):
    token = verified(emulator)
    assert call(emulator, "KillSession", token, SessionId=session_id) == error(
        "EXCEPTION", "SessionId Can only be a number"
    )


def test_kill_session_with_unknown_id_is_broken(emulator):
    token = verified(emulator)
    assert call(emulator, "KillSession", token, SessionId="99") == error("ERROR", "SSessionId is broken")


def test_kill_all_sessions_closes_every_session_including_the_callers(emulator):
    other = login(emulator)
    token = verified(emulator)
    assert call(emulator, "KillAllSessions", token) == {"responseStatus": "OK", "KillSessions": "2", **VERSION}
    invalid = error("EXCEPTION", "IllegalStateException(session token is invalid)")
    assert call(emulator, "GetSession", other) == invalid
    assert call(emulator, "GetSession", token) == invalid


def test_get_all_sessions_leaves_out_sessions_idle_for_30_minutes(emulator):
    idle = login(emulator)
    emulator.advance(29 * 60)
    token = verified(emulator)
    emulator.advance(61)
    body = call(emulator, "GetAllSessions", token)
    assert body["count"] == 1 and body["data"][0]["token"] != f"{idle[:3]}***{idle[-6:]}"


def test_validation_token_with_number_password_token_is_unverified(emulator):
    data = call(emulator, "ValidationToken", f"{SYSTEM}:{PASSWORD}")["tokenData"]
    assert (data["doubleAuthStatus"], data["sessionType"], data["token"]) == (False, "API", "077***137770")
