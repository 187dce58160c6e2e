"""Strict mode checks every response against the contract and fails loudly on drift."""

from __future__ import annotations

import pytest

from emulator.core.http.contracts import ContractViolation
from emulator.yemot import methods


def test_strict_mode_raises_on_a_response_missing_a_documented_field(emulator, monkeypatch):
    original = methods.METHODS["GetCustomerData"]

    def broken(call):
        data = original(call)
        data.pop("ivrType")
        return data

    monkeypatch.setitem(methods.METHODS, "GetCustomerData", broken)
    with pytest.raises(ContractViolation) as caught:
        emulator.yemot.get("GetCustomerData", params={"token": emulator.yemot_token})
    assert caught.value.operation == "GetCustomerData"
    assert any("ivrType" in problem for problem in caught.value.problems)


def test_strict_mode_raises_on_a_wrong_field_type(emulator, monkeypatch):
    monkeypatch.setitem(methods.METHODS, "Login", lambda call: {"token": 12345})
    with pytest.raises(ContractViolation, match="Login"):
        emulator.yemot.get("Login", params={"username": "0773137770", "password": "1234"})


def test_non_strict_mode_sends_the_drifted_response_as_is(emulator_factory, monkeypatch):
    lenient = emulator_factory(strict=False)
    monkeypatch.setitem(methods.METHODS, "Login", lambda call: {"token": 12345})
    body = lenient.yemot.get("Login", params={"username": "0773137770", "password": "1234"}).json()
    assert body["token"] == 12345


def test_undocumented_status_is_a_violation(emulator):
    operation = emulator.runtime.contracts["simotel"].get("setting/ping/act")
    with pytest.raises(ContractViolation, match="undocumented"):
        operation.check_response(418, "application/json", {"success": 0, "message": "x", "data": None})
    operation.check_response(
        401, "application/json", {"success": 0, "message": "BasicAuth or ApiKey is missing", "data": None}
    )
