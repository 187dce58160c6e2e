"""Every row of the seed's status table on the wire, and the order in which the checks run."""

from __future__ import annotations

import base64

import pytest

TOKEN = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
PING = "setting/ping/act"


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _raw(emulator, path, method="POST", headers=None, **options):
    """A request without the harness's credentials."""
    return emulator.admin.request(method, f"http://emulator.test/api/v4/{path}", headers=headers or {}, **options)


def _envelope(response, status, message):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"success": 0, "message": message, "data": None}


def test_users_add_valid_request_answers_200_success_1(emulator):
    response = emulator.simotel.post("pbx/users/add", json={"name": "Ali", "number": "301", "secret": "pw"})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] == 1
    assert body["message"] == "Requested operation is done successfully"


def test_users_add_failed_operation_answers_200_success_0(emulator):
    response = emulator.simotel.post("pbx/users/add", json={"name": "Ali", "number": "101", "secret": "pw"})
    _envelope(response, 200, "This number already exists")


def test_users_add_missing_required_field_answers_field_missing(emulator):
    response = emulator.simotel.post("pbx/users/add", json={"name": "Ali", "number": "301"})
    _envelope(response, 200, "Field 'secret':value is missing")


def test_request_with_unparsable_json_answers_400(emulator):
    response = emulator.simotel.post(
        "pbx/users/search", content=b'{"alike": ', headers={"Content-Type": "application/json"}
    )
    _envelope(response, 400, "Unable to parse content")


def test_request_with_json_array_body_answers_400(emulator):
    response = emulator.simotel.post("pbx/users/search", json=[1, 2])
    _envelope(response, 400, "Unable to parse content")


def test_request_without_credentials_answers_401_missing(emulator):
    _envelope(_raw(emulator, PING, json={}), 401, "BasicAuth or ApiKey is missing")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": _basic("test", "wrong"), "X-APIKEY": TOKEN},
        {"Authorization": _basic("nobody", "Aa123456"), "X-APIKEY": TOKEN},
        {"Authorization": _basic("test", "Aa123456")},  # mode "both" without the key
        {"X-APIKEY": TOKEN},  # mode "both" without Basic
        {"Authorization": _basic("test", "Aa123456"), "X-APIKEY": "wrong"},
        {"Authorization": "Bearer abc"},
    ],
    ids=["wrong-password", "unknown-user", "both-without-key", "both-without-basic", "wrong-key", "not-basic"],
)
def test_request_with_wrong_or_incomplete_credentials_answers_401_invalid(emulator, headers):
    _envelope(_raw(emulator, PING, headers=headers, json={}), 401, "BasicAuth or ApiKey is invalid")


def test_key_mode_account_authenticates_with_key_alone(emulator):
    emulator.simotel_account("keyonly", password="pw", token="K1", auth_mode="key")
    response = _raw(emulator, PING, headers={"X-APIKEY": "K1"}, json={})
    assert response.status_code == 200
    assert response.json()["success"] == 1


def test_basic_mode_account_authenticates_with_basic_alone(emulator):
    emulator.simotel_account("basiconly", password="pw", auth_mode="basic")
    response = _raw(emulator, PING, headers={"Authorization": _basic("basiconly", "pw")}, json={})
    assert response.status_code == 200


def test_key_mode_account_with_basic_alone_answers_401_invalid(emulator):
    emulator.simotel_account("keyonly", password="pw", token="K1", auth_mode="key")
    response = _raw(emulator, PING, headers={"Authorization": _basic("keyonly", "pw")}, json={})
    _envelope(response, 401, "BasicAuth or ApiKey is invalid")


def test_basic_mode_account_ignores_an_extra_key(emulator):
    emulator.simotel_account("basiconly", password="pw", auth_mode="basic")
    headers = {"Authorization": _basic("basiconly", "pw"), "X-APIKEY": "anything"}
    assert _raw(emulator, PING, headers=headers, json={}).json()["success"] == 1


def test_disabled_account_answers_401_invalid(emulator):
    emulator.simotel_account("test", enabled=False)
    _envelope(emulator.simotel.post(PING, json={}), 401, "BasicAuth or ApiKey is invalid")


def test_client_ip_outside_allowlist_answers_403(emulator):
    emulator.simotel_settings(allow_all_ips=False, allowed_ips=["10.0.0.0/8"])
    _envelope(emulator.simotel.post(PING, json={}), 403, "IP is not permitted")


def test_client_ip_in_allowlist_is_served(emulator):
    emulator.simotel_settings(allow_all_ips=False, allowed_ips=["127.0.0.1"])
    assert emulator.simotel.post(PING, json={}).json()["success"] == 1


def test_service_not_granted_answers_403_access_denied(emulator):
    emulator.simotel_account("test", permissions=["/pbx/users/search"])
    response = emulator.simotel.post("pbx/users/add", json={"name": "a", "number": "1", "secret": "s"})
    assert response.status_code == 403
    body = response.json()
    assert body["success"] == 0 and body["data"] is None
    assert body["message"].endswith(";Access denied")
    assert emulator.simotel.post("pbx/users/search", json={"alike": "true"}).json()["success"] == 1


def test_permission_written_without_leading_slash_grants_the_service(emulator):
    emulator.simotel_account("test", permissions=["pbx/users/search/"])
    assert emulator.simotel.post("pbx/users/search", json={"alike": "true"}).json()["success"] == 1
    assert emulator.simotel.post(PING, json={}).status_code == 403


def test_path_outside_api_v4_answers_plain_404(emulator):
    response = _raw(emulator, "../v3/pbx/users", json={})
    assert response.status_code == 404
    assert not response.text.startswith('{"success"')


def test_download_of_missing_file_answers_plain_404(emulator):
    response = emulator.simotel.post("pbx/faxes/download", json={"_id": "0" * 24})
    assert response.status_code == 404
    assert response.content == b""


def test_patch_answers_405(emulator):
    response = emulator.simotel.patch(PING, json={})
    _envelope(response, 405, "Method not allowed")
    assert response.headers["allow"] == "GET, POST, PUT, DELETE"


@pytest.mark.parametrize("verb", ["POST", "PUT", "GET", "DELETE"])
def test_documented_and_legacy_verbs_are_accepted(emulator, verb):
    response = emulator.simotel.request(verb, "pbx/users/search", json={"alike": "true"})
    assert response.status_code == 200
    assert response.json()["success"] == 1


def test_non_json_content_type_answers_415(emulator):
    response = emulator.simotel.post(
        "pbx/users/search", content=b"alike=true", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    _envelope(response, 415, "Unsupported Media Type")


def test_multipart_on_non_upload_path_answers_415(emulator):
    response = emulator.simotel.post("pbx/users/add", data={"name": "a"}, files={"file": ("a.txt", b"x")})
    _envelope(response, 415, "Unsupported Media Type")


def test_multipart_on_upload_path_is_accepted(emulator):
    response = emulator.simotel.post("pbx/announcements/upload", files={"file": ("a.mp3", b"ID3")})
    assert response.status_code == 200
    assert response.json()["message"] == "1 file(s) uploaded successfully"


def test_unknown_service_answers_501(emulator):
    _envelope(emulator.simotel.post("pbx/nothing/add", json={}), 501, "Requested service dose not exist")


def test_double_and_trailing_slashes_are_tolerated(emulator):
    response = emulator.simotel.post("http://emulator.test/api/v4//pbx//users/search/", json={"alike": "1"})
    assert response.status_code == 200
    assert response.json()["success"] == 1


def test_unknown_service_is_checked_before_verb_and_credentials(emulator):
    _envelope(_raw(emulator, "pbx/nothing/add", method="PATCH"), 501, "Requested service dose not exist")


def test_verb_is_checked_before_credentials(emulator):
    _envelope(_raw(emulator, PING, method="PATCH"), 405, "Method not allowed")


def test_credentials_are_checked_before_client_ip(emulator):
    emulator.simotel_settings(allow_all_ips=False, allowed_ips=[])
    _envelope(_raw(emulator, PING, json={}), 401, "BasicAuth or ApiKey is missing")


def test_client_ip_is_checked_before_permission(emulator):
    emulator.simotel_settings(allow_all_ips=False, allowed_ips=[])
    emulator.simotel_account("test", permissions=[])
    _envelope(emulator.simotel.post(PING, json={}), 403, "IP is not permitted")


def test_permission_is_checked_before_media_type(emulator):
    emulator.simotel_account("test", permissions=[])
    response = emulator.simotel.post(PING, content=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 403
    assert response.json()["message"].endswith(";Access denied")


def test_media_type_is_checked_before_parsing(emulator):
    response = emulator.simotel.post(PING, content=b"{not json", headers={"Content-Type": "text/plain"})
    _envelope(response, 415, "Unsupported Media Type")


def test_parsing_is_checked_before_parameters(emulator):
    response = emulator.simotel.post("pbx/users/add", content=b"{", headers={"Content-Type": "application/json"})
    _envelope(response, 400, "Unable to parse content")
