"""Every secured operation refuses missing or wrong credentials with the documented strings."""

from __future__ import annotations

import base64

import pytest

from emulator.conformance import contract as contracts
from emulator.simotel.conformance import SIMOTEL_BAD_CREDENTIALS, SIMOTEL_NO_CREDENTIALS
from emulator.yemot.conformance import YEMOT_NO_TOKEN

WRONG_BASIC = "Basic " + base64.b64encode(b"nobody:wrong").decode()


def _secured(api: str, method: str) -> list[contracts.OperationInfo]:
    return [info for info in contracts.operations(api) if info.secured and info.method == method]


def _refusals(contract, api, method, expected, limit=None, **options):
    wrong = {}
    for info in _secured(api, method)[:limit]:
        response = contract.request(method.upper(), info.path, **options)
        answer = response.json()
        got = (
            (answer.get("responseStatus"), answer.get("message"))
            if api == "yemot"
            else (
                response.status_code,
                answer.get("message"),
            )
        )
        if got != expected:
            wrong[info.operation_id] = got
    return wrong


@pytest.mark.real_server
def test_yemot_secured_methods_without_token_answer_session_token_is_invalid(contract):
    assert _secured("yemot", "post")
    assert _refusals(contract, "yemot", "post", YEMOT_NO_TOKEN, data={}) == {}
    assert _refusals(contract, "yemot", "get", YEMOT_NO_TOKEN) == {}


@pytest.mark.real_server
def test_yemot_secured_methods_with_wrong_password_answer_documented_forbidden(contract, contract_target):
    expected = ("FORBIDDEN", "user name or password do not match")
    limit = None if contract_target.is_emulator else 1  # a real server logs failed logins: send just one
    token = {"token": "0773137770:wrong-password"}
    assert _refusals(contract, "yemot", "get", expected, limit=limit, params=token) == {}


@pytest.mark.real_server
def test_simotel_services_without_credentials_answer_401_missing(contract):
    assert _secured("simotel", "post")
    assert _refusals(contract, "simotel", "post", SIMOTEL_NO_CREDENTIALS, json={}) == {}


@pytest.mark.real_server
def test_simotel_services_with_wrong_credentials_answer_401_invalid(contract):
    headers = {"Authorization": WRONG_BASIC, "X-APIKEY": "wrong"}
    assert _refusals(contract, "simotel", "post", SIMOTEL_BAD_CREDENTIALS, json={}, headers=headers) == {}
