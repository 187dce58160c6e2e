"""Proof of the real-target path: the suite against uvicorn servers, one sound and one broken."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.app import create_app
from emulator.cli import main
from emulator.config import EmulatorConfig
from emulator.conformance import runner
from emulator.conformance.target import Target
from emulator.testing.harness import serve_in_thread
from emulator.yemot import methods as yemot_methods

EXAMPLES = 2


@pytest.mark.parametrize("api", ["yemot", "simotel"])
def test_conformance_against_served_emulator_passes_and_matches_emulator(api, emulator_server):
    result = runner.run(api, Target.from_options(emulator_server.base), against_emulator=True, examples=EXAMPLES)
    report = result.to_json()

    assert report["summary"]["failed"] == []
    assert report["summary"]["drifted"] == []
    assert report["summary"]["requests"] >= EXAMPLES
    for operation in report["operations"]:
        if operation["status"] == "skipped":
            assert operation["x-cost"], operation  # only money-unsafe operations are skipped
            assert operation["requests"] == 0
        else:
            assert operation["requests"] >= 1
            assert operation["drift"]["differences"] == 0


def _broken(runtime: Any, original: Any, fault: str) -> Any:
    """Wrap a Yemot service so that only ``runtime``'s app misbehaves."""

    def service(call: Any) -> Any:
        if call.emulator is not runtime:
            return original(call)
        if fault == "500":
            raise RuntimeError("deliberately broken handler")
        answer = dict(original(call))
        answer["unitz"] = answer.pop("units")
        return answer

    return service


@pytest.fixture
def broken_yemot_server(monkeypatch):
    """A non-strict emulator under uvicorn whose GetSession renames a field and GetCustomerData fails."""
    app = create_app(EmulatorConfig.from_env({}, strict=False))
    runtime = app.state.emulator
    table = yemot_methods.METHODS
    monkeypatch.setitem(table, "GetSession", _broken(runtime, table["GetSession"], "rename"))
    monkeypatch.setitem(table, "GetCustomerData", _broken(runtime, table["GetCustomerData"], "500"))
    with serve_in_thread(runtime.config, app=app) as urls:
        yield urls


def test_conformance_report_names_exactly_the_broken_operations(broken_yemot_server, tmp_path, capsys):
    report_file = tmp_path / "report.json"

    code = main(
        [
            "conformance",
            "--api",
            "yemot",
            "--target-url",
            broken_yemot_server.base,
            "--examples",
            str(EXAMPLES),
            "--report",
            str(report_file),
        ]
    )

    assert code == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    failed = {op["name"] for op in report["operations"] if op["status"] == "fail"}
    assert failed == {"GetSession", "GetCustomerData"}
    by_id = {op["operation"]: op for op in report["operations"]}
    for operation_id in ("GetSession", "GetSessionGet"):
        difference = by_id[operation_id]["first_difference"]
        assert difference["check"] == "response_schema_conformance"
        assert (difference["field"], difference["expected"], difference["actual"]) == ("units", "present", "<missing>")
        assert by_id[operation_id]["checks"]["not_a_server_error"]["failed"] == 0
    for operation_id in ("GetCustomerData", "GetCustomerDataGet"):
        difference = by_id[operation_id]["first_difference"]
        assert difference["check"] == "not_a_server_error"
        assert (difference["field"], difference["actual"]) == ("status", 500)
    assert "FAIL  GetSession: response_schema_conformance at units" in capsys.readouterr().out


def test_conformance_html_report_lists_every_operation(tmp_path):
    report_file = tmp_path / "report.html"

    code = main(
        [
            "conformance",
            "--api",
            "yemot",
            "--examples",
            "2",
            "--operation",
            "GetCustomerData",
            "--report",
            str(report_file),
        ]
    )

    assert code == 0
    page = report_file.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "GetCustomerDataGet" in page and "response_schema_conformance" in page
