"""Control plane: ``/__emulator__/simotel/accounts/{username}`` and ``/__emulator__/simotel/settings``."""

from __future__ import annotations

import pytest

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract


@pytest.fixture(scope="module")
def admin_contract():
    return Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")


def _documented(contract, key, verb, response):
    operation = contract.get(key)
    assert verb in operation.verbs
    operation.check_response(response.status_code, response.headers["content-type"], response.json())


def test_put_account_creates_an_account_that_can_call(emulator, admin_contract):
    response = emulator.admin.put(
        "simotel/accounts/crm", json={"password": "p", "token": "T", "auth_mode": "both", "permissions": ["*"]}
    )
    assert response.status_code == 200
    assert response.json() == {"username": "crm", "password": "p", "token": "T", "auth_mode": "both",
                               "enabled": True, "permissions": ["*"], "strict": False}  # fmt: skip
    _documented(admin_contract, "simotel/accounts/{username}", "put", response)
    answer = emulator.simotel.post("setting/ping/act", json={}, auth=("crm", "p"), headers={"X-APIKEY": "T"})
    assert answer.json()["success"] == 1


def test_put_account_changes_only_given_fields(emulator):
    account = emulator.simotel_account("test", permissions=["/pbx/users/search"])
    assert account["password"] == "Aa123456"
    assert account["permissions"] == ["/pbx/users/search"]


def test_get_and_delete_account(emulator, admin_contract):
    response = emulator.admin.get("simotel/accounts/test")
    _documented(admin_contract, "simotel/accounts/{username}", "get", response)
    assert response.json()["auth_mode"] == "both"
    assert emulator.admin.delete("simotel/accounts/test").json() == {"username": "test", "deleted": True}
    assert emulator.simotel.post("setting/ping/act", json={}).status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"token": "x"}, {"password": 5}, {"auth_mode": "oauth", "password": "p"}, {"password": "p", "colour": "red"},
     {"password": "p", "enabled": "yes"}, {"password": "p", "permissions": [1]}],
    ids=["new-without-password", "password-not-string", "bad-mode", "unknown-field", "enabled-not-bool",
         "permissions-not-strings"],
)  # fmt: skip
def test_put_account_malformed_answers_400(emulator, admin_contract, body):
    response = emulator.admin.put("simotel/accounts/newone", json=body)
    assert response.status_code == 400
    assert "error" in response.json()
    _documented(admin_contract, "simotel/accounts/{username}", "put", response)


def test_get_unknown_account_answers_400(emulator):
    assert emulator.admin.get("simotel/accounts/ghost").status_code == 400


def test_put_settings_changes_only_given_fields(emulator, admin_contract):
    response = emulator.admin.put(
        "simotel/settings", json={"allowed_ips": ["10.0.0.0/8"], "webhook": {"url": "http://127.0.0.1:9/h"}}
    )
    assert response.status_code == 200
    settings = response.json()
    _documented(admin_contract, "simotel/settings", "put", response)
    assert settings["allow_all_ips"] is True
    assert settings["allowed_ips"] == ["10.0.0.0/8"]
    assert settings["webhook"]["url"] == "http://127.0.0.1:9/h"
    assert settings["webhook"]["method"] == "G4"
    assert emulator.admin.get("simotel/settings").json() == settings


@pytest.mark.parametrize(
    "body",
    [{"allowed_ips": ["not-an-ip"]}, {"allow_all_ips": 1}, {"webhook": {"method": "POST"}}, {"webhook": {"x": 1}},
     {"nope": True}],
)  # fmt: skip
def test_put_settings_malformed_answers_400(emulator, body):
    response = emulator.admin.put("simotel/settings", json=body)
    assert response.status_code == 400
    assert "error" in response.json()


def test_settings_survive_snapshot_and_restore(emulator):
    emulator.simotel_settings(strict=True)
    snapshot = emulator.control("GET", "snapshot")
    emulator.simotel_settings(strict=False)
    emulator.control("POST", "restore", json=snapshot)
    assert emulator.admin.get("simotel/settings").json()["strict"] is True
