"""The simotel-connect dialect: accepted with a journaled conformance warning, refused in strict mode."""

from __future__ import annotations

import pytest

PREFIX = "simotel-connect dialect: "
DONE = "Requested operation is done successfully"


def _put(emulator, service, body, **options):
    """Send as simotel-connect does (PUT, JSON) and return the body and the journaled warnings."""
    response = emulator.simotel.put(service, json=body, **options)
    assert response.status_code == 200, response.text
    entry = emulator.journal()[-1]
    assert entry["operation"] == service
    return response.json(), entry["warnings"]


def test_users_add_with_password_is_stored_as_secret_with_warning(emulator):
    payload, warnings = _put(emulator, "pbx/users/add", {"number": "301", "name": "Ali", "password": "pw"})
    assert payload["success"] == 1
    assert warnings == [PREFIX + "'password' sent for 'secret'"]
    (user,) = [u for u in emulator.runtime.world.simotel.collections["users"] if u["number"] == "301"]
    assert user["secret"] == "pw"


def test_users_update_and_remove_by_number_with_warning(emulator):
    payload, warnings = _put(emulator, "pbx/users/update", {"number": "103", "name": "Hossein"})
    assert payload == {"success": 1, "message": DONE, "data": ""}
    assert warnings == [PREFIX + "record named by 'number' instead of '_id'"]
    payload, _ = _put(emulator, "pbx/users/remove", {"number": "103"})
    assert payload["success"] == 1
    assert not [u for u in emulator.runtime.world.simotel.collections["users"] if u["number"] == "103"]


def test_remove_by_unknown_number_fails(emulator):
    payload, _ = _put(emulator, "pbx/users/remove", {"number": "999"})
    assert payload == {"success": 0, "message": "Requested operation failed", "data": None}


def test_trunks_and_queues_are_named_by_name(emulator):
    assert _put(emulator, "pbx/trunks/update", {"name": "Cisco", "host": "10.9.9.9"})[0]["success"] == 1
    assert _put(emulator, "pbx/queues/remove", {"name": "فروش"})[0]["success"] == 1


def test_users_search_with_flat_filters_and_limit_offset(emulator):
    payload, warnings = _put(emulator, "pbx/users/search", {"number": "102", "limit": 10, "offset": 0})
    assert [user["number"] for user in payload["data"]] == ["102"]
    assert warnings == [
        PREFIX + "flat search filters sent without 'alike' and 'conditions'",
        PREFIX + "flat 'limit'/'offset' sent for 'pagination'",
    ]


def test_paginated_search_limit_offset_become_pagination(emulator):
    for number in ("0911", "0912", "0913"):
        emulator.simotel.post("autodialer/contacts/add", json={"name": f"n{number}", "number": number})
    payload, _ = _put(emulator, "autodialer/contacts/search", {"limit": 1, "offset": 1})
    assert payload["data"]["pagination"] == {"start": 1, "count": 1, "sorting": {"name": 1}, "total": 3}
    assert [c["number"] for c in payload["data"]["data"]] == ["0912"]


def test_blacklist_description_is_stored_as_comment(emulator):
    _put(emulator, "pbx/blacklists/add", {"number": "0915", "description": "spam"})
    payload, _ = _put(emulator, "pbx/blacklists/search", {"number": "0915"})
    assert payload["data"][0]["comment"] == "spam"


def test_addagent_with_queue_number_and_agent_number(emulator):
    body = {"queue_number": "501", "agent_number": "104", "penalty": 0}
    payload, warnings = _put(emulator, "pbx/queues/addagent", body)
    assert payload["data"] == {"message": "Added successfully", "ok": 1}
    assert warnings == [
        PREFIX + "'queue_number' sent for 'queue'",
        PREFIX + "'agent_number' sent for 'agent'",
        PREFIX + "'source' missing, the agent's number used",
    ]


def test_batch_agents_as_list_of_numbers(emulator):
    payload, _ = _put(
        emulator, "pbx/queues/batchaddagent", {"queue_number": "501", "agents": ["103", "104"], "penalty": 0}
    )
    assert [(item["agent"], item["ok"]) for item in payload["data"]["Data"]] == [("103", 1), ("104", 1)]
    payload, _ = _put(emulator, "pbx/queues/batchpauseagent", {"queue_number": "501", "agents": ["103"], "reason": "x"})
    assert payload["data"]["Data"][0]["message"] == "Paused successfully"


def test_fax_download_with_id_query_parameter(emulator):
    fax_id = emulator.simotel.post("pbx/faxes/add", json={"to": "021", "text": "hi"}).json()["data"]["_id"]
    response = emulator.simotel.post("pbx/faxes/download", json={}, params={"id": fax_id})
    assert response.status_code == 200
    assert emulator.journal()[-1]["warnings"] == [PREFIX + "'?id=' query parameter sent for body '_id'"]


def test_documented_request_has_no_warning(emulator):
    _, warnings = _put(emulator, "pbx/users/search", {"alike": "true", "conditions": {"number": "101"}})
    assert warnings == []


@pytest.fixture(params=["account", "global"])
def strict(request, emulator):
    if request.param == "account":
        emulator.simotel_account("test", strict=True)
    else:
        emulator.simotel_settings(strict=True)
    return emulator


@pytest.mark.parametrize(
    ("service", "body", "field"),
    [
        ("pbx/users/add", {"number": "301", "name": "Ali", "password": "pw"}, "secret"),
        ("pbx/users/remove", {"number": "101"}, "_id"),
        ("pbx/trunks/update", {"name": "Cisco"}, "_id"),
        ("pbx/queues/addagent", {"queue_number": "501", "agent_number": "104"}, "queue"),
        ("pbx/users/search", {"number": "101"}, "alike"),
        ("pbx/queues/add", {"name": "Support"}, "number"),
    ],
)
def test_strict_mode_answers_documented_error_without_dialect_warning(strict, service, body, field):
    payload, warnings = _put(strict, service, body)
    assert payload == {"success": 0, "message": f"Field '{field}':value is missing", "data": None}
    assert [warning for warning in warnings if warning.startswith(PREFIX)] == []


def test_strict_mode_download_with_id_query_is_missing_id(strict):
    response = strict.simotel.post("pbx/faxes/download", json={}, params={"id": "0" * 24})
    assert response.json() == {"success": 0, "message": "Field '_id':value is missing", "data": None}


def test_queues_add_without_number_gets_next_free_number(emulator):
    payload, warnings = _put(emulator, "pbx/queues/add", {"name": "Support", "strategy": "ringall", "timeout": 30})
    assert payload["success"] == 1
    assert warnings == [PREFIX + "queue 'number' missing, the next free number used"]
    found = emulator.simotel.post("pbx/queues/search", json={"alike": "false", "conditions": {"name": "Support"}})
    assert found.json()["data"][0]["number"] == "502"
