"""The shared query engine: alike vs exact, empty conditions, date_range, pagination, sort and total."""

from __future__ import annotations

import pytest

from emulator.simotel import catalog, query
from emulator.simotel.errors import InvalidField

ROWS = [
    {"_id": "a", "name": "Tehran Sales", "number": "101", "date": "1402-04-28 19:34:16", "tags": ["x"]},
    {"_id": "b", "name": "tehran", "number": "1010", "date": "1402-04-29 08:00:00", "tags": ["y"]},
    {"_id": "c", "name": "Shiraz", "number": "202", "date": "1402-05-01 10:00:00", "ref": {"$oid": "f" * 24}},
]


def _ids(rows):
    return [row["_id"] for row in rows]


@pytest.mark.parametrize("alike", [True, "true", "TRUE", 1, "1"])
def test_run_alike_true_matches_substring_case_insensitively(alike):
    assert _ids(query.run(ROWS, {"alike": alike, "conditions": {"name": "TEHRAN"}})) == ["a", "b"]


@pytest.mark.parametrize("alike", [False, "false", 0, "0", "", None, "yes"])
def test_run_alike_false_matches_exactly(alike):
    assert _ids(query.run(ROWS, {"alike": alike, "conditions": {"number": "101"}})) == ["a"]


@pytest.mark.parametrize("empty", ["", None, []])
def test_run_empty_condition_value_is_no_filter(empty):
    assert _ids(query.run(ROWS, {"alike": "false", "conditions": {"name": empty, "number": ""}})) == ["a", "b", "c"]


def test_run_list_condition_matches_any_item():
    assert _ids(query.run(ROWS, {"alike": "false", "conditions": {"number": ["202", "101"]}})) == ["a", "c"]


def test_run_list_field_and_oid_field_match_by_element_and_id():
    assert _ids(query.run(ROWS, {"alike": "false", "conditions": {"tags": "y"}})) == ["b"]
    assert _ids(query.run(ROWS, {"alike": "false", "conditions": {"ref": "f" * 24}})) == ["c"]


def test_run_fields_map_condition_names_to_record_fields():
    found = query.run(ROWS, {"alike": "false", "conditions": {"exten": "202"}}, fields={"exten": "number"})
    assert _ids(found) == ["c"]


def test_run_date_range_is_gregorian_tehran_and_inclusive():
    # 1402-04-28 19:34 Tehran = 2023-07-19 19:34; 1402-04-29 08:00 = 2023-07-20 08:00
    body = {"alike": "false", "date_range": {"from": "2023-07-19 19:34", "to": "2023-07-20 08:00"}}
    assert _ids(query.run(ROWS, body)) == ["a", "b"]
    body["date_range"] = {"from": "2023-07-19 19:35", "to": ""}
    assert _ids(query.run(ROWS, body)) == ["b", "c"]
    body["date_range"] = {"from": "", "to": "2023-07-19"}
    assert _ids(query.run(ROWS, body)) == ["a"]


@pytest.mark.parametrize("date_range", [{}, [], "", None, {"from": "", "to": ""}])
def test_run_empty_date_range_is_no_filter(date_range):
    assert len(query.run(ROWS, {"alike": "1", "date_range": date_range})) == 3


def test_run_pagination_sorts_slices_and_counts():
    result = query.run(ROWS, {"pagination": {"start": 1, "count": 1, "sorting": {"number": -1}}}, paginated=True)
    assert result == {"pagination": {"start": 1, "count": 1, "sorting": {"number": -1}, "total": 3}, "data": [ROWS[1]]}


def test_run_empty_sorting_uses_and_echoes_default():
    result = query.run(ROWS, {"pagination": {"start": 0, "count": 20, "sorting": {}}}, default_sort={"date": -1},
                       paginated=True)  # fmt: skip
    assert result["pagination"]["sorting"] == {"date": -1}
    assert _ids(result["data"]) == ["c", "b", "a"]


def test_run_absent_pagination_means_first_twenty():
    result = query.run([{"_id": str(i), "date": ""} for i in range(30)], {}, paginated=True)
    assert result["pagination"] == {"start": 0, "count": 20, "sorting": {"date": -1}, "total": 30}
    assert len(result["data"]) == 20


@pytest.mark.parametrize(
    ("body", "part"),
    [
        ({"conditions": "name"}, "conditions"),
        ({"date_range": {"from": "yesterday"}}, "date_range"),
        ({"pagination": {"start": "x"}}, "pagination"),
        ({"pagination": {"start": -1}}, "pagination"),
        ({"pagination": {"sorting": {"date": "up"}}}, "pagination"),
    ],
)
def test_run_malformed_part_raises_invalid_field(body, part):
    with pytest.raises(InvalidField) as caught:
        query.run(ROWS, body, paginated=True)
    assert caught.value.message == f"Field '{part}':value is invalid"


# --- over the wire -------------------------------------------------------------------------------


def _groups(emulator, count):
    for index in range(count):
        emulator.advance(60)
        body = {"name": f"گروه {index + 1}", "numbers": ["0912"], "description": "نمونه"}
        assert emulator.simotel.post("autodialer/groups/add", json=body).json()["success"] == 1


def test_groups_search_seed_example_returns_items_5_and_6_of_sorted_set(emulator):
    emulator.freeze("2026-01-01T00:00:00Z")
    _groups(emulator, 16)  # plus the fixture's group, dated at the fixture anchor (earlier): 17 in all
    body = {
        "alike": "true",
        "conditions": {"name": "", "description": ""},
        "pagination": {"start": 4, "count": 2, "sorting": {"date": 1}},
    }
    payload = emulator.simotel.post("autodialer/groups/search", json=body).json()
    assert payload["success"] == 1
    assert payload["data"]["pagination"] == {"start": 4, "count": 2, "sorting": {"date": 1}, "total": 17}
    assert [group["name"] for group in payload["data"]["data"]] == ["گروه 4", "گروه 5"]


@pytest.mark.parametrize(
    ("service", "sorting"),
    [
        ("pbx/faxes/search", {"date": -1}),
        ("autodialer/contacts/search", {"name": 1}),
        ("autodialer/groups/search", {"date": -1}),
        ("autodialer/campaigns/search", {"date": -1}),
    ],
)
def test_paginated_search_with_empty_sorting_echoes_documented_default(emulator, service, sorting):
    body = {"alike": "true", "conditions": {}, "pagination": {"start": 0, "count": 20, "sorting": {}}}
    payload = emulator.simotel.post(service, json=body).json()
    stored = emulator.runtime.world.simotel.collections.get(catalog.resource_of(service).collection, [])
    assert payload["data"]["pagination"] == {"start": 0, "count": 20, "sorting": sorting, "total": len(stored)}
    assert len(payload["data"]["data"]) == min(20, len(stored))


def test_users_search_alike_matches_part_of_name_exact_does_not(emulator):
    alike = {"alike": "true", "conditions": {"name": "رضا"}}
    assert [u["number"] for u in emulator.simotel.post("pbx/users/search", json=alike).json()["data"]] == ["101"]
    exact = {"alike": "false", "conditions": {"name": "رضا"}}
    assert emulator.simotel.post("pbx/users/search", json=exact).json()["data"] == []


def test_non_paginated_search_returns_plain_list_and_ignores_pagination(emulator):
    body = {"alike": "true", "conditions": {}, "pagination": {"start": 1, "count": 1, "sorting": {}}}
    data = emulator.simotel.post("pbx/users/search", json=body).json()["data"]
    assert isinstance(data, list) and len(data) == 4


def test_search_with_malformed_pagination_answers_field_invalid(emulator):
    body = {"alike": "true", "pagination": {"start": "first"}}
    payload = emulator.simotel.post("autodialer/groups/search", json=body).json()
    assert payload == {"success": 0, "message": "Field 'pagination':value is invalid", "data": None}


def test_search_without_alike_in_strict_mode_answers_field_missing(emulator):
    emulator.simotel_settings(strict=True)
    payload = emulator.simotel.post("pbx/users/search", json={"conditions": {}}).json()
    assert payload == {"success": 0, "message": "Field 'alike':value is missing", "data": None}


@pytest.mark.parametrize("alike", [True, "true", "TRUE", 1, "1"])
def test_trunks_search_alike_forms_match_case_insensitive_substring(emulator, alike):
    body = {"alike": alike, "conditions": {"name": "cIS"}}
    assert [t["name"] for t in emulator.simotel.post("pbx/trunks/search", json=body).json()["data"]] == ["Cisco"]


@pytest.mark.parametrize("alike", [False, "false", 0, "0", "no"])
def test_trunks_search_other_alike_values_match_exactly(emulator, alike):
    part = {"alike": alike, "conditions": {"name": "cis"}}
    assert emulator.simotel.post("pbx/trunks/search", json=part).json()["data"] == []
    whole = {"alike": alike, "conditions": {"name": "Cisco"}}
    assert [t["name"] for t in emulator.simotel.post("pbx/trunks/search", json=whole).json()["data"]] == ["Cisco"]
