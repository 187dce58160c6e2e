"""A third API, defined in ``tests/registry/echo`` only, is served end to end once registered:
request, journal, the API list, snapshot and restore, a sandbox. It follows "How to add an API"
(docs/architecture.md) step by step, so that checklist stays true."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import apis
from emulator.config import EmulatorConfig
from emulator.testing.harness import InProcessEmulator

FOLDER = Path(__file__).parent / "echo"
FIXTURE = "seed: 3\necho:\n  greeting: shalom\nyemot:\n  systems:\n    - number: '0770000001'\n      password: pw\n"


def _echo_package():
    """The echo package, loaded from its folder (tests are not an importable package)."""
    if "echo_api" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "echo_api", FOLDER / "__init__.py", submodule_search_locations=[str(FOLDER)]
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["echo_api"] = module
        spec.loader.exec_module(module)
    return importlib.import_module("echo_api.api")


@pytest.fixture
def echo(tmp_path: Path) -> Iterator[InProcessEmulator]:
    apis.register(_echo_package().SPEC)  # step 5 of the checklist
    try:
        fixture = tmp_path / "fixture.yaml"
        fixture.write_text(FIXTURE, encoding="utf-8")
        harness = InProcessEmulator(EmulatorConfig.from_env({}, strict=True, fixtures=fixture))
        try:
            yield harness
        finally:
            harness.close()
    finally:
        apis.unregister("echo")


def test_the_registered_api_answers_its_method_and_keeps_state(echo):
    answer = echo.echo.get("Say", params={"text": "world"})
    assert answer.status_code == 200
    assert answer.content == b'{"ok":true,"said":"shalom, world","count":1}'
    assert echo.runtime.world.echo.said == ["world"]
    refused = echo.echo.get("Say")
    assert (refused.status_code, refused.json()) == (400, {"ok": False, "error": "text: missing"})
    assert echo.yemot.get("GetSession", params={"token": "0770000001:pw"}).json()["responseStatus"] == "OK"


def test_the_journal_and_faults_know_the_api(echo):
    echo.echo.get("Say", params={"text": "one"})
    [entry] = echo.journal(api="echo")
    assert (entry["api"], entry["operation"], entry["status"], entry["params"]) == ("echo", "Say", 200, {"text": "one"})
    echo.control("POST", "faults", json={"api": "echo", "operation": "Say", "status": 503, "body": {"down": 1}})
    faulted = echo.echo.get("Say", params={"text": "two"})
    assert (faulted.status_code, faulted.json()) == (503, {"down": 1})
    assert echo.runtime.world.echo.said == ["one"]


def test_the_api_list_the_landing_and_the_docs_show_it(echo):
    listed = echo.control("GET", "apis")["apis"]
    assert [item["name"] for item in listed] == ["yemot", "simotel", "echo"]
    assert listed[2] == {
        "name": "echo",
        "title": "Echo",
        "prefix": "/echo/api",
        "url": "http://emulator.test/echo/api/",
        "docs": "http://emulator.test/__emulator__/docs/echo",
        "contract": "http://emulator.test/__emulator__/contracts/echo.yaml",
        "dashboard": None,
    }
    landing = echo.admin.get("http://emulator.test/", headers={"Accept": "application/json"}).json()
    assert landing["urls"]["echo"] == "http://emulator.test/echo/api/"
    assert landing["credentials"]["echo"] == [{"greeting": "shalom"}]
    page = echo.admin.get("http://emulator.test/", headers={"Accept": "text/html"}).text
    assert "<th>Echo API</th>" in page and "Echo greets with <code>shalom</code>" in page
    contract = echo.admin.get("contracts/echo.yaml")
    assert contract.status_code == 200 and contract.text == (FOLDER / "echo.yaml").read_text(encoding="utf-8")


def test_a_name_is_registered_once_and_shipped_apis_stay(echo):
    with pytest.raises(ValueError, match="already registered"):
        apis.register(_echo_package().SPEC)
    with pytest.raises(ValueError, match="shipped"):
        apis.unregister("yemot")
    assert apis.names() == ("yemot", "simotel", "echo")


def test_snapshot_and_restore_carry_the_api_state(echo):
    echo.echo.get("Say", params={"text": "kept"})
    snapshot = echo.control("GET", "snapshot")
    assert snapshot["world"]["echo"] == {"greeting": "shalom", "said": ["kept"]}
    assert list(snapshot["world"]) == ["yemot", "simotel", "echo", "scheduler", "telephony"]
    echo.echo.get("Say", params={"text": "dropped"})
    echo.control("POST", "restore", json=snapshot)
    assert echo.runtime.world.echo.said == ["kept"]
    echo.reset()
    assert echo.state()["echo"] == {"greeting": "shalom", "said": []}


def test_a_sandbox_serves_the_api_with_its_own_state(echo):
    created = echo.control("POST", "sandboxes", json={})
    assert created["urls"]["echo"].endswith(f"/sb/{created['id']}/echo/api/")
    inside = f"/sb/{created['id']}/echo/api/Say"
    headers = {"Authorization": f"Bearer {created['token']}"}
    answer = echo.echo.get(f"http://emulator.test{inside}", params={"text": "boxed"}, headers=headers)
    assert answer.json() == {"ok": True, "said": "shalom, boxed", "count": 1}
    assert echo.runtime.world.echo.said == []  # the server's own world never saw it
