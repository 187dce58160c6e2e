"""Fixture files: validated with file, line and field named; builds are reproducible."""

from __future__ import annotations

import pytest

from emulator.config import default_fixtures_file
from emulator.core.persist import store
from emulator.fixtures import FixtureError, load_file, parse


def test_default_fixture_declares_the_documented_tenants():
    world = load_file(default_fixtures_file()).build()
    system = world.yemot.systems["0773137770"]
    assert (system.password, system.units, system.sip_account_limit, system.create_phone) == (
        "1234",
        100,
        6,
        "0527777770",
    )
    assert {"FaxTest.pdf", "1/ext.ini"} <= set(system.tree.files)
    account = world.simotel.accounts["test"]
    assert (account.password, account.token) == ("Aa123456", "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG")
    assert account.permissions == ["*"] and account.enabled
    assert world.simotel.settings.allow_all_ips is True


def test_two_builds_of_the_same_fixture_are_identical():
    fixture = load_file(default_fixtures_file())
    assert store.dump(fixture.build()) == store.dump(fixture.build())
    assert store.dump(fixture.build(seed=1)) != store.dump(fixture.build(seed=2))


def test_generated_bulk_data_is_present():
    world = load_file(default_fixtures_file()).build()
    assert world.yemot.systems["0773137770"].sms_out_log
    assert world.simotel.collections["cdr"]


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("yemot:\n  systems:\n    - number: '0773137770'\n      pasword: x\n", 3, "yemot.systems.0"),
        (
            "yemot:\n  systems:\n    - number: '0773137770'\n      password: '1'\n      units: lots\n",
            5,
            "yemot.systems.0.units",
        ),
        (
            "simotel:\n  accounts:\n    - {username: a, password: b, auth_mode: magic}\n",
            3,
            "simotel.accounts.0.auth_mode",
        ),
        ("seed: 1\nanchor: tomorrow\n", 2, "anchor"),
        (
            "yemot:\n  systems:\n    - {number: '0773137770', password: a}\n"
            "    - {number: '0773137770', password: b}\n",
            4,
            "yemot.systems.1.number",
        ),
        ("yemot: [\n", 2, "(document)"),
        ("- just\n- a list\n", 1, "(document)"),
    ],
)
def test_malformed_fixture_names_source_line_and_field(text, line, field):
    with pytest.raises(FixtureError) as caught:
        parse(text, "bad.yaml")
    error = caught.value
    assert (error.source, error.line, error.field) == ("bad.yaml", line, field)
    assert str(error).startswith(f"bad.yaml:{line}: {field}: ")


def test_a_collection_named_by_its_service_path_is_refused_with_the_kind_it_means():
    text = "simotel:\n  collections:\n    pbx/users:\n      - {name: A, number: '101'}\n"
    with pytest.raises(FixtureError) as caught:
        parse(text, "bad.yaml")
    assert str(caught.value) == (
        "bad.yaml:4: simotel.collections.pbx/users: collections are named by record kind, not service path: "
        "did you mean 'users'?"
    )


def test_missing_fixture_file_is_reported(tmp_path):
    with pytest.raises(FixtureError, match="missing.yaml"):
        load_file(tmp_path / "missing.yaml")


def test_posting_a_fixture_replaces_the_state_and_becomes_the_reset_target(emulator):
    fixture = "yemot:\n  systems:\n    - {number: '0771234567', password: pw, units: 7}\n"
    assert emulator.control("POST", "fixtures", content=fixture.encode()) == {"loaded": True}
    body = emulator.yemot.get("GetSession", params={"token": "0771234567:pw"}).json()
    assert body["units"] == 7.0
    emulator.reset()
    assert emulator.yemot.get("GetSession", params={"token": "0771234567:pw"}).json()["units"] == 7.0
    replaced = emulator.yemot.get("GetSession", params={"token": "0773137770:1234"}).json()
    assert (replaced["responseStatus"], replaced["message"]) == ("FORBIDDEN", "user name or password do not match")


def test_posting_a_json_fixture_works_too(emulator):
    body = {"simotel": {"accounts": [{"username": "u2", "password": "p2", "auth_mode": "basic"}]}}
    assert emulator.control("POST", "fixtures", json=body) == {"loaded": True}
    response = emulator.simotel.put("setting/ping/act", json={}, auth=("u2", "p2"))
    assert response.json()["success"] == 1


def test_posting_a_malformed_fixture_gets_400_naming_line_and_field(emulator):
    response = emulator.admin.post("fixtures", content=b"yemot:\n  systems:\n    - number: 12\n")
    assert response.status_code == 400
    assert response.json() | {"error": None} == {
        "error": None,
        "source": "request body",
        "line": 3,
        "field": "yemot.systems.0.number",
        "problem": response.json()["problem"],
    }
    assert emulator.yemot.get("GetSession", params={"token": emulator.yemot_token}).json()["responseStatus"] == "OK"
