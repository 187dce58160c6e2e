"""Money-safety: the plan, enabling by name, the phone allowlist; and the project's own checks."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from emulator.conformance.contract import OperationInfo, load_document, operations
from emulator.conformance.differences import drift
from emulator.conformance.expectations import envelope_problems, message_problems
from emulator.conformance.safety import SafetyPolicy, UnsafeRequest, format_plan
from emulator.conformance.stateful import apply_link_rules

SEND_SMS = OperationInfo(
    api="yemot",
    operation_id="SendSms",
    method="post",
    path="/ym/api/SendSms",
    key="SendSms",
    cost=frozenset({"units", "phones"}),
    phone_params=("phones",),
    secured=True,
)


def _case(**body):
    return SimpleNamespace(query={}, body=body, path_parameters={}, headers={})


def test_plan_against_real_server_skips_every_costly_operation_by_default():
    plan = SafetyPolicy(real_target=True).plan(operations("yemot") + operations("simotel"))

    skipped = {decision.operation.key for decision in plan if not decision.run}
    assert {"SendSms", "RunTzintuk", "TransferUnits", "KillAllSessions", "call/originate/act"} <= skipped
    assert all(decision.operation.cost for decision in plan if not decision.run)
    assert all(decision.run for decision in plan if not decision.operation.cost)


def test_plan_against_emulator_runs_everything():
    assert all(decision.run for decision in SafetyPolicy().plan(operations("yemot")))


def test_enabled_phone_operation_without_allowlist_stays_skipped():
    decision = SafetyPolicy(real_target=True, allowed_operations=frozenset({"SendSms"})).decide(SEND_SMS)

    assert not decision.run and "--allow-phone" in decision.reason


def test_enabled_phone_operation_only_reaches_allowlisted_numbers():
    policy = SafetyPolicy(real_target=True, allowed_operations=frozenset({"SendSms"}), allowed_phones=("0527000001",))
    case = _case(phones="0541234567:0529999999", message="hi")

    policy.prepare(case, SEND_SMS)

    assert policy.decide(SEND_SMS).run
    assert case.body["phones"] == "0527000001"


def test_phone_like_value_off_the_allowlist_is_never_sent():
    policy = SafetyPolicy(real_target=True, allowed_operations=frozenset({"SendSms"}), allowed_phones=("0527000001",))

    with pytest.raises(UnsafeRequest):
        policy.prepare(_case(phones="0527000001", callerId="+972-54-123-4567"), SEND_SMS)


def test_plan_text_names_every_operation_and_its_reason():
    text = format_plan(SafetyPolicy(real_target=True).plan([SEND_SMS]), "https://example.test")

    assert "0 of 1 operations run" in text
    assert "--allow-operation SendSms" in text


def test_envelope_check_names_missing_fields():
    assert envelope_problems("simotel", {"success": 1, "data": None}) == ["envelope field 'message' is missing"]
    assert envelope_problems("yemot", {"responseStatus": "OK"}) == []


def test_documented_strings_check_rejects_a_reworded_token_error():
    bad = {"responseStatus": "EXCEPTION", "message": "session token invalid"}

    assert message_problems("yemot", 200, bad)
    assert not message_problems("yemot", 200, {**bad, "message": "IllegalStateException(session token is invalid)"})
    assert message_problems("simotel", 401, {"success": 0, "message": "Unauthorized", "data": None})


def test_drift_reports_first_field_only_one_side_has():
    found = drift("yemot", (200, {"responseStatus": "OK", "unitz": 1}), (200, {"responseStatus": "OK", "units": 1}))

    assert (found["field"], found["expected"], found["actual"]) == ("units", "number", "<missing>")


def test_link_rules_reach_every_secured_yemot_method_from_login():
    document = apply_link_rules("yemot", copy.deepcopy(load_document("yemot")))
    links = document["paths"]["/ym/api/Login"]["post"]["responses"]["200"]["links"]

    targets = {link["operationId"] for link in links.values()}
    assert targets == {info.operation_id for info in operations("yemot") if info.secured}


def test_conformance_without_schemathesis_explains_how_to_install(monkeypatch, capsys):
    from emulator.cli import main

    monkeypatch.setitem(__import__("sys").modules, "schemathesis", None)

    assert main(["conformance", "--api", "yemot"]) == 2
    assert "pip install 'telephony-emulator[test]'" in capsys.readouterr().err


def test_cli_imports_no_test_extra():
    import subprocess
    import sys

    extras = "{'hypothesis', 'schemathesis'}"
    code = f"import sys, emulator.cli; emulator.cli._parser(); print(sorted({extras} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
