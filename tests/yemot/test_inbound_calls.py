"""The control plane's inbound Yemot calls: placed on a system, answered at once, listed, hung up."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract


@pytest.fixture(scope="module")
def admin_contract():
    return Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")


def _documented(contract, key, verb, response):
    operation = contract.get(key)
    documented = contract.resolve(operation.verbs[verb]["responses"][str(response.status_code)])
    schema = contract.resolve(documented["content"]["application/json"]["schema"])
    assert [str(error) for error in contract.validator(schema).iter_errors(response.json())] == []


def test_inbound_call_is_answered_at_once_and_ends_after_hangup_after_s(frozen_at_start, admin_contract):
    emulator = frozen_at_start
    created = emulator.admin.post(
        f"yemot/systems/{SYSTEM}/calls",
        json={"from": "0501234567", "path": "/1", "keys": ["1", 2], "hangup_after_s": 30},
    )
    assert created.status_code == 201
    _documented(admin_contract, "yemot/systems/{number}/calls", "post", created)
    body = created.json()
    assert len(body["api_call_id"]) == 40 and int(body["api_call_id"], 16) >= 0
    assert body["state"] == "active"
    assert body["yemot"]["path"] == "/1" and body["yemot"]["did"] == SYSTEM and body["yemot"]["keys"] == ["1", "2"]
    shown = emulator.admin.get(f"calls/{body['id']}")
    _documented(admin_contract, "calls/{id}", "get", shown)
    assert (shown.json()["kind"], shown.json()["phase"], shown.json()["caller_id"]) == (
        "inbound",
        "answered",
        "0501234567",
    )
    assert emulator.admin.get(f"calls/{body['api_call_id']}").json()["id"] == body["id"]
    emulator.advance(29)
    assert emulator.admin.get(f"calls/{body['id']}").json()["state"] == "active"
    emulator.advance(1)
    ended = emulator.admin.get(f"calls/{body['id']}").json()
    assert (ended["state"], ended["outcome"], ended["talk_s"], ended["yemot"]) == ("ended", "answered", 30.0, None)
    row = emulator.runtime.world.yemot.systems[SYSTEM].incoming_calls[-1]
    assert (row.caller, row.seconds, row.kind) == ("0501234567", 30, "direct")


def test_inbound_call_into_a_queue_waits_and_delete_hangs_up(frozen_at_start, admin_contract):
    emulator = frozen_at_start
    body = emulator.admin.post(f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "ivr2:/3"}).json()
    assert (body["state"], body["yemot"]["queue"]) == ("waiting", "/3")
    emulator.advance(3600)
    gone = emulator.admin.delete(f"calls/{body['id']}")
    _documented(admin_contract, "calls/{id}", "delete", gone)
    assert (gone.json()["state"], gone.json()["talk_s"]) == ("ended", 3600.0)
    assert emulator.runtime.world.yemot.systems[SYSTEM].live_calls == {}


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        ("yemot/systems/0799999999/calls", {"from": "0501234567"}, 404, "no Yemot system '0799999999'"),
        (f"yemot/systems/{SYSTEM}/calls", {}, 400, "'from' must be a phone number (digits, optionally a leading '+')"),
        (
            f"yemot/systems/{SYSTEM}/calls",
            {"from": "0501234567", "colour": 1},
            400,
            "unknown field 'colour'; fields are from, did, path, keys, hangup_after_s",
        ),
        (
            f"yemot/systems/{SYSTEM}/calls",
            {"from": "0501234567", "path": "/../x"},
            400,
            "path '/../x' leaves the IVR tree",
        ),
        (
            f"yemot/systems/{SYSTEM}/calls",
            {"from": "0501234567", "hangup_after_s": -1},
            400,
            "hangup_after_s must be between 0 and 604800 seconds",
        ),
        (
            f"yemot/systems/{SYSTEM}/calls",
            {"from": "0501234567", "keys": "12"},
            400,
            "'keys' must be a list of at most 200 key strings",
        ),
    ],
)
def test_bad_inbound_calls_are_refused(emulator, admin_contract, path, body, status, error):
    response = emulator.admin.post(path, json=body)
    assert (response.status_code, response.json()) == (status, {"error": error})
    _documented(admin_contract, "yemot/systems/{number}/calls", "post", response)


def test_unknown_call_is_404(emulator, admin_contract):
    response = emulator.admin.get("calls/call-999")
    assert (response.status_code, response.json()) == (404, {"error": "no call 'call-999'"})
    _documented(admin_contract, "calls/{id}", "get", response)
