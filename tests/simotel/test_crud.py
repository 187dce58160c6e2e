"""Every CRUD resource over the wire: add, duplicate, missing field, search, update, remove, masks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from simotel_wire import call, ok

DONE = "Requested operation is done successfully"
FAILED = "Requested operation failed"
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
PAGE = {"start": 0, "count": 100, "sorting": {}}


@dataclass(frozen=True)
class Case:
    path: str
    body: dict[str, Any]
    key: str  # a condition that finds the record
    duplicate: dict[str, Any]
    duplicate_message: str
    required: str
    change: tuple[str, Any]
    paginated: bool = False
    null_id: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("pbx/users", {"name": "Reza", "number": "301", "secret": "pw"}, "number",
         {"name": "Other", "number": "101", "secret": "x"}, "This number already exists", "secret", ("name", "Reza B")),
    Case("pbx/trunks", {"name": "T1", "host": "10.1.1.1"}, "name",
         {"name": "Cisco"}, "This trunk already exists", "name", ("host", "10.1.1.2")),
    Case("pbx/queues", {"name": "Q1", "number": "601"}, "number",
         {"name": "Q2", "number": "500"}, "this queue already exists", "name", ("strategy", "linear")),
    Case("pbx/announcements", {"name": "welcome", "filename": "w.wav"}, "name",
         {"name": "welcome", "filename": "x.wav"}, FAILED, "filename", ("comment", "hi")),
    Case("voicemails/voicemails", {"name": "box", "number": "301", "password": "1234"}, "number",
         {"name": "box2", "number": "101", "password": "1"}, "This number already exists", "password",
         ("email", "a@b.c")),
    Case("pbx/blacklists", {"number": "09120000001", "comment": "spam"}, "number",
         {"number": "09120000001"}, "This number already exists", "number", ("comment", "ham"), null_id=True),
    Case("pbx/whitelists", {"number": "09120000002", "labels": ["vip"]}, "number",
         {"number": "09120000002"}, "This number already exists", "number", ("comment", "boss"), null_id=True),
    Case("autodialer/contacts", {"name": "Sara", "number": "09120000003"}, "number",
         {"name": "S2", "number": "09120000003"}, "This number already exists", "name", ("description", "d"),
         paginated=True, null_id=True),
    Case("autodialer/groups", {"name": "G1", "numbers": ["09120000004"]}, "name",
         {"name": "G1"}, FAILED, "name", ("description", "d"), paginated=True),
    Case("autodialer/campaigns",
         {"name": "C1", "trunk_manager_id": "64b0c0de0000000000000101", "numbers": ["09120000005"],
          "start": "2030-01-01 10:00", "end": "2030-01-02 10:00"}, "name",
         {"name": "C1", "trunk_manager_id": "64b0c0de0000000000000101"}, FAILED, "trunk_manager_id",
         ("description", "d"), paginated=True),
    Case("autodialer/announcements", {"name": "A1", "filename": "a.wav"}, "name",
         {"name": "A1", "filename": "b.wav"}, FAILED, "filename", ("description", "d")),
]  # fmt: skip


def _search(emulator, case: Case, conditions: dict[str, Any]) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"alike": "false", "conditions": conditions}
    if case.paginated:
        body["pagination"] = PAGE
    data = ok(emulator, f"{case.path}/search", body)["data"]
    return data["data"] if case.paginated else data


def _added(emulator, case: Case) -> dict[str, Any]:
    payload = ok(emulator, f"{case.path}/add", case.body)
    assert payload["message"] == DONE
    found = _search(emulator, case, {case.key: case.body[case.key]})
    assert len(found) == 1
    if case.null_id:
        assert payload["data"] == {"_id": None}
    else:
        assert payload["data"] == {"_id": found[0]["_id"]}
    return found[0]


@pytest.fixture(params=CASES, ids=[case.path for case in CASES])
def case(request):
    return request.param


def test_add_new_record_is_found_by_search(emulator, case):
    record = _added(emulator, case)
    assert OBJECT_ID.match(record["_id"])
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", record["date"])


def test_add_duplicate_is_rejected_with_documented_message(emulator, case):
    ok(emulator, f"{case.path}/add", case.body)
    payload = call(emulator, f"{case.path}/add", case.duplicate)
    assert payload == {"success": 0, "message": case.duplicate_message, "data": None}


def test_add_without_required_field_is_rejected(emulator, case):
    body = {key: value for key, value in case.body.items() if key != case.required}
    payload = call(emulator, f"{case.path}/add", body)
    assert payload == {"success": 0, "message": f"Field '{case.required}':value is missing", "data": None}


def test_update_changes_the_record(emulator, case):
    record = _added(emulator, case)
    name, value = case.change
    payload = ok(emulator, f"{case.path}/update", {"_id": record["_id"], name: value})
    assert payload["message"] == DONE
    (after,) = _search(emulator, case, {case.key: case.body[case.key]})
    if name in after:
        assert after[name] == value


def test_remove_deletes_the_record(emulator, case):
    record = _added(emulator, case)
    payload = ok(emulator, f"{case.path}/remove", {"_id": record["_id"]})
    assert payload == {"success": 1, "message": DONE, "data": ""}
    assert _search(emulator, case, {case.key: case.body[case.key]}) == []


@pytest.mark.parametrize("action", ["update", "remove"])
@pytest.mark.parametrize("record_id", ["0" * 24, "not-an-id"])
def test_update_or_remove_unknown_id_fails(emulator, case, action, record_id):
    payload = call(emulator, f"{case.path}/{action}", {"_id": record_id})
    assert payload == {"success": 0, "message": FAILED, "data": None}


@pytest.mark.parametrize("action", ["update", "remove"])
def test_update_or_remove_without_id_is_missing_field(emulator, action):
    emulator.simotel_settings(strict=True)
    payload = call(emulator, f"pbx/trunks/{action}", {})
    assert payload == {"success": 0, "message": "Field '_id':value is missing", "data": None}


def test_users_update_to_existing_number_is_rejected(emulator):
    (user,) = _search(emulator, CASES[0], {"number": "102"})
    payload = call(emulator, "pbx/users/update", {"_id": user["_id"], "number": "101"})
    assert payload == {"success": 0, "message": "This number already exists", "data": None}


def test_queues_add_existing_name_is_rejected_lowercase(emulator):
    payload = call(emulator, "pbx/queues/add", {"name": "فروش", "number": "777"})
    assert payload["message"] == "this queue already exists"


def test_users_search_masks_secret_and_lists_queues(emulator):
    (user,) = _search(emulator, CASES[0], {"number": "101"})
    assert user["secret"] == "******"
    assert user["queues"] == ["500"]
    assert user["name"] == "علی رضایی"


def test_users_search_status_mapped_lists_only_queue_members(emulator):
    users = ok(emulator, "pbx/users/search", {"status": "mapped", "alike": True, "conditions": {}})["data"]
    assert sorted(user["number"] for user in users) == ["101", "102"]


def test_whitelists_search_masks_number(emulator):
    ok(emulator, "pbx/whitelists/add", {"number": "09121234567", "labels": ["vip"]})
    (entry,) = ok(emulator, "pbx/whitelists/search", {"alike": "false", "conditions": {"number": "09121234567"}})[
        "data"
    ]
    assert entry["number"] == "0912*******"
    assert entry["labels"] == ["vip"]


def test_groups_search_shows_count_not_numbers_and_update_returns_group(emulator):
    added = ok(emulator, "autodialer/groups/add", {"name": "G", "numbers": ["0912", "0935"], "description": "d"})
    (group,) = _search(emulator, CASES[8], {"name": "G"})
    assert group == {"_id": added["data"]["_id"], "name": "G", "description": "d", "count": 2, "date": group["date"]}
    payload = ok(emulator, "autodialer/groups/update", {"_id": group["_id"], "numbers": ["0912"]})
    assert payload["data"]["numbers"] == ["0912"]
    assert payload["data"]["count"] == 1
    assert set(payload["data"]["date"]["$date"]) == {"$numberLong"}


def test_campaigns_update_answers_count_zero_and_stores_jalali_window(emulator):
    ok(emulator, "autodialer/campaigns/add", CASES[9].body)
    (campaign,) = _search(emulator, CASES[9], {"name": "C1"})
    assert campaign["start"] == "1408-10-12 10:00:00"
    assert campaign["status"] == "waiting"
    assert campaign["isoStart"]["$date"]["$numberLong"].isdigit()
    payload = ok(emulator, "autodialer/campaigns/update", {"_id": campaign["_id"], "try": "2"})
    assert payload["data"] == {"count": 0}


def test_musiconholds_search_lists_fixture_class(emulator):
    (moh,) = ok(emulator, "pbx/musiconholds/search", {"alike": "true", "conditions": {"name": "def"}})["data"]
    assert moh["name"] == "default"
    assert moh["musics"][0]["type"] == "file"


def test_autodialer_trunks_update_changes_capacity(emulator):
    (manager,) = ok(emulator, "autodialer/trunks/search", {"alike": "true", "conditions": {"title": ""}})["data"]
    ok(emulator, "autodialer/trunks/update", {"_id": manager["_id"], "capacity": "9"})
    (manager,) = ok(emulator, "autodialer/trunks/search", {"alike": "true", "conditions": {}})["data"]
    assert manager["capacity"] == "9"
    assert manager["trunk_id"] == {"$oid": "64b0c0de0000000000000001"}


def test_ids_are_deterministic_across_runs(emulator_factory):
    ids = [
        ok(emulator_factory(), "pbx/trunks/add", {"name": "Same"})["data"]["_id"],
        ok(emulator_factory(), "pbx/trunks/add", {"name": "Same"})["data"]["_id"],
    ]
    assert ids[0] == ids[1]
    assert OBJECT_ID.match(ids[0])


def test_contract_declares_each_resource_as_its_declaration_says():
    from emulator.config import default_contracts_dir
    from emulator.core.http.contracts import Contract
    from emulator.simotel import catalog

    contract = Contract.from_file(default_contracts_dir() / "simotel.yaml", prefix="/api/v4")
    for resource in catalog.RESOURCES.values():
        for action in resource.actions:
            operation = contract.get(f"{resource.path}/{action}")
            assert operation is not None, f"{resource.path}/{action}"
            assert set(operation.verbs) == {"post", "put"}
            if action == "add":
                assert operation.required == list(resource.required), resource.path
                assert set(operation.properties) == set(resource.fields), resource.path
            elif action == "search":
                assert operation.required == ["alike"]
                conditions = operation.properties["conditions"]["properties"]
                assert set(conditions) == set(resource.conditions), resource.path
                assert ("pagination" in operation.properties) == resource.paginated
            else:
                assert operation.required == ["_id"]


def test_records_survive_snapshot_and_restore(emulator):
    ok(emulator, "pbx/blacklists/add", {"number": "0999"})
    snapshot = emulator.control("GET", "snapshot")
    emulator.reset()
    assert ok(emulator, "pbx/blacklists/search", {"alike": "1", "conditions": {"number": "0999"}})["data"] == []
    emulator.control("POST", "restore", json=snapshot)
    assert len(ok(emulator, "pbx/blacklists/search", {"alike": "1", "conditions": {"number": "0999"}})["data"]) == 1
