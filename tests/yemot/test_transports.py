"""Yemot parameters mean the same in GET query, POST form, POST JSON and multipart."""

from __future__ import annotations

import pytest

TRANSPORTS = ["query", "form", "json", "multipart"]


def send(client, method: str, params: dict, transport: str):
    if transport == "query":
        return client.get(method, params=params)
    if transport == "form":
        return client.post(method, data=params)
    if transport == "json":
        return client.post(method, json=params)
    return client.post(method, data=params, files={"unused": ("x.txt", b"x", "text/plain")})


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_login_gives_the_same_answer_over_every_transport(emulator, transport):
    response = send(emulator.yemot, "Login", {"username": "0773137770", "password": "1234"}, transport)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["responseStatus"] == "OK"
    assert len(body["token"]) == 16 and body["token"].isalnum()
    params = emulator.journal(operation="Login")[-1]["params"]
    assert (params["username"], params["password"]) == ("0773137770", "***")  # redacted in the journal


def test_parameter_coercion_is_identical_for_the_four_transports(emulator):
    from emulator.core.http import params

    operation = emulator.runtime.contracts["yemot"].get("Login")
    raw_forms = [
        {"username": "0773137770", "password": "1234"},
        {"username": 773137770, "password": 1234},
        {"username": ["0773137770"], "password": "1234"},
    ]
    coerced = [params.coerce(operation, raw) for raw in raw_forms]
    assert coerced[0] == coerced[2] == {"username": "0773137770", "password": "1234"}
    assert coerced[1] == {"username": "773137770", "password": "1234"}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_token_is_accepted_from_every_transport(emulator, transport):
    response = send(emulator.yemot, "GetSession", {"token": emulator.yemot_token}, transport)
    assert response.json()["username"] == "0773137770"


def test_token_is_accepted_from_a_raw_authorization_header(emulator):
    body = emulator.yemot.post("GetSession", json={}, headers={"authorization": emulator.yemot_token}).json()
    assert body["responseStatus"] == "OK"


def test_body_values_win_over_query_values(emulator):
    response = emulator.yemot.post(
        "Login", params={"username": "0773137770", "password": "wrong"}, data={"password": "1234"}
    )
    assert response.json()["responseStatus"] == "OK"


def test_unparsable_json_body_gets_an_error_envelope(emulator):
    response = emulator.yemot.post("Login", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {
        "responseStatus": "ERROR",
        "message": "request body could not be parsed",
        "yemotAPIVersion": 6,
        "yAfastVersion": "6.6.156",
    }


def test_json_body_that_is_not_an_object_gets_an_error_envelope(emulator):
    body = emulator.yemot.post("Login", json=["0773137770", "1234"]).json()
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "a JSON body must be an object of parameters"


def test_unknown_method_gets_an_error_envelope_not_a_404_page(emulator):
    response = emulator.yemot.get("NoSuchMethod", params={"token": emulator.yemot_token})
    assert response.status_code == 200
    assert response.json()["message"] == "method 'NoSuchMethod' does not exist"


def test_other_http_verbs_get_405_with_the_envelope(emulator):
    response = emulator.yemot.put("Login", json={})
    assert response.status_code == 405
    assert response.json()["message"] == "HTTP method PUT is not supported; use GET or POST"
    assert response.headers["allow"] == "GET, POST"


def test_a_405_allows_only_the_verbs_the_contract_declares_for_the_method(emulator):
    for verb in ("OPTIONS", "GET"):
        response = emulator.yemot.request(verb, "UploadFile")  # a multipart upload: documented as POST only
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["message"] == f"HTTP method {verb} is not supported; use POST"


def test_missing_required_parameter_is_named(emulator):
    body = emulator.yemot.get("Login", params={"username": "0773137770"}).json()
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "missing required parameter 'password'"
