"""The telephony control-plane answers match what contracts/admin.yaml documents for them."""

from __future__ import annotations

import pytest

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract


@pytest.fixture(scope="module")
def admin_contract():
    return Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")


def assert_documented(contract, key, verb, response):
    """Validate ``response`` against the schema of exactly this verb and status."""
    operation = contract.get(key)
    documented = contract.resolve(operation.verbs[verb]["responses"][str(response.status_code)])
    schema = contract.resolve(documented["content"]["application/json"]["schema"])
    errors = [str(error) for error in contract.validator(schema).iter_errors(response.json())]
    assert errors == []


def test_telephony_routes_answer_as_documented(tel, place, admin_contract):
    place("0501111111", kind="bridge", bridge_to="0502222222", campaign="WSOC-1")
    place("0501234903")
    tel.runtime.telephony.send_sms(api="yemot", tenant="0773137770", sender="a", to="0502222222", text="hi")
    tel.advance(8)
    checks = [
        ("phones/{number}", "put", tel.admin.put("phones/0502222222", json={"outcome": "busy", "ring_s": 1})),
        ("phones/{number}", "get", tel.admin.get("phones/0502222222")),
        ("phones/{number}", "get", tel.admin.get("phones/0501111111")),
        ("phones/{number}", "delete", tel.admin.delete("phones/0502222222")),
        ("phones/{number}", "get", tel.admin.get("phones/x")),
        ("phones/{number}", "put", tel.admin.put("phones/0502222222", json={"outcome": "later"})),
        ("calls", "get", tel.admin.get("calls", params={"campaign": "WSOC-1"})),
        ("calls", "get", tel.admin.get("calls", params={"colour": "red"})),
        ("messages", "get", tel.admin.get("messages", params={"api": "yemot"})),
    ]
    tel.advance(100)
    checks.append(("calls", "get", tel.admin.get("calls")))
    checks.append(("messages", "get", tel.admin.get("messages")))
    for key, verb, response in checks:
        assert_documented(admin_contract, key, verb, response)
