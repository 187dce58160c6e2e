"""The verify API, journal filters by tenant and parameters, near misses and did-you-mean answers."""

from __future__ import annotations

import pytest

TOKEN = "0773137770:1234"


def _sms(emulator, phones: str, message: str = "hello") -> None:
    body = emulator.yemot.post("SendSms", json={"token": TOKEN, "message": message, "phones": phones}).json()
    assert body["responseStatus"] == "OK", body


def _verify(emulator, **body):
    return emulator.admin.post("journal/verify", json=body)


def test_verify_answers_200_with_the_match_count_when_the_expectation_holds(emulator):
    _sms(emulator, "0501111111")
    _sms(emulator, "0502222222")
    response = _verify(emulator, api="yemot", operation="SendSms", params={"phones": "0501111111"}, count=1)
    assert response.status_code == 200
    assert response.json() == {"matched": 1, "expected": "exactly 1"}
    assert _verify(emulator, operation="SendSms").json() == {"matched": 2, "expected": "at least 1"}
    assert _verify(emulator, operation="SendSms", at_least=2, at_most=2).json()["matched"] == 2


def test_verify_count_mismatch_is_409_with_the_count(emulator):
    _sms(emulator, "0501111111")
    _sms(emulator, "0501111111")
    response = _verify(emulator, operation="SendSms", params={"phones": "0501111111"}, count=1)
    assert response.status_code == 409
    assert response.json() == {"matched": 2, "expected": "exactly 1", "near_misses": []}
    assert _verify(emulator, operation="SendSms", at_most=1).status_code == 409


def test_verify_lists_same_operation_near_misses_with_exactly_the_differing_fields(emulator):
    emulator.freeze("2026-05-01T10:00:00Z")
    _sms(emulator, "0501111111", message="code 1234")
    response = _verify(emulator, operation="SendSms", params={"phones": "0509999999", "message": "code 1234"})
    assert response.status_code == 409
    body = response.json()
    assert body["matched"] == 0
    [miss] = body["near_misses"]
    assert miss["operation"] == "SendSms" and miss["tenant"] == "0773137770" and miss["status"] == 200
    assert miss["time"] == "2026-05-01T10:00:00Z"
    assert miss["params"] == {"message": "code 1234", "phones": "0501111111"}
    assert miss["differences"] == [{"field": "params.phones", "expected": "0509999999", "actual": "0501111111"}]


def test_verify_lists_similar_operation_names_and_missing_parameters(emulator):
    emulator.yemot.get("GetTasksData", params={"token": TOKEN, "TaskId": 1})
    body = _verify(emulator, api="yemot", operation="GetTasks", params={"limit": 5}).json()
    [miss] = body["near_misses"]
    assert miss["operation"] == "GetTasksData"
    assert miss["differences"] == [
        {"field": "operation", "expected": "GetTasks", "actual": "GetTasksData"},
        {"field": "params.limit", "expected": 5, "actual": None, "missing": True},
    ]


def test_verify_matches_tenant_and_numbers_given_as_text(emulator):
    emulator.yemot.get("GetTasksData", params={"token": TOKEN, "TaskId": "7"})
    assert _verify(emulator, operation="GetTasksData", tenant="0773137770", params={"TaskId": "7"}).status_code == 200
    assert _verify(emulator, operation="GetTasksData", params={"TaskId": 7}).status_code == 200
    miss = _verify(emulator, operation="GetTasksData", tenant="0773137780").json()["near_misses"][0]
    assert miss["differences"] == [{"field": "tenant", "expected": "0773137780", "actual": "0773137770"}]


def test_verify_refuses_unknown_fields_and_mixed_counts(emulator):
    response = _verify(emulator, operation="SendSms", cout=1)
    assert response.status_code == 400
    assert response.json()["error"].startswith("unknown verify field 'cout'; did you mean 'count'?")
    assert _verify(emulator, operation="SendSms", count=1, at_least=1).status_code == 400
    assert _verify(emulator, operation="SendSms", count=-1).status_code == 400
    assert _verify(emulator, operation="SendSms", params=[1]).status_code == 400


def test_unknown_operation_in_a_filter_is_refused_with_a_suggestion(emulator):
    response = _verify(emulator, api="yemot", operation="SendSMS")
    assert response.status_code == 400
    assert response.json() == {
        "error": "unknown operation 'SendSMS'; did you mean 'SendSms'?",
        "suggestions": ["SendSms"],
    }
    response = emulator.admin.get("journal", params={"operation": "pbx/user/add"})
    assert response.status_code == 400
    assert response.json()["suggestions"][0] == "pbx/users/add"


def test_journal_refuses_unknown_filter_keys_with_a_suggestion(emulator):
    response = emulator.admin.get("journal", params={"operaton": "SendSms"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "unknown journal filter 'operaton'; did you mean 'operation'?; journal filters are "
        "api, operation, tenant, since, params, limit, offset, order",
        "suggestions": ["operation"],
    }


def test_journal_filters_by_tenant_and_parameters(emulator):
    _sms(emulator, "0501111111")
    _sms(emulator, "0502222222")
    emulator.simotel.put("setting/ping/act", json={})
    assert [e["params"]["phones"] for e in emulator.journal(params={"phones": "0502222222"})] == ["0502222222"]
    assert len(emulator.journal(tenant="0773137770")) == 2
    assert [e["api"] for e in emulator.journal(tenant="test")] == ["simotel"]
    assert emulator.admin.get("journal", params={"params": "not json"}).status_code == 400


def test_journal_pages_newest_first_with_the_total_count(emulator):
    for _ in range(5):
        emulator.yemot.get("GetSession", params={"token": TOKEN})
    body = emulator.control("GET", "journal", params={"order": "desc", "limit": 2, "offset": 1})
    assert (body["count"], body["offset"], body["limit"]) == (5, 1, 2)
    assert [entry["id"] for entry in body["entries"]] == [4, 3]
    assert emulator.admin.get("journal", params={"limit": 0}).status_code == 400
    assert emulator.admin.get("journal", params={"order": "sideways"}).status_code == 400


def test_fault_for_a_misspelt_operation_is_refused_with_a_suggestion(emulator):
    response = emulator.admin.post("faults", json={"api": "yemot", "operation": "SendSMS", "status": 500})
    assert response.status_code == 400
    assert response.json() == {
        "error": "unknown yemot operation 'SendSMS'; did you mean 'SendSms'?",
        "suggestions": ["SendSms"],
    }
    response = emulator.admin.post("faults", json={"api": "simotel", "operation": "pbx/users/ad", "status": 500})
    assert response.json()["suggestions"][0] == "pbx/users/add"
    assert emulator.control("GET", "faults") == {"faults": []}


def test_yemot_parameters_the_method_does_not_define_are_journal_warnings(emulator):
    emulator.yemot.get("GetTasksData", params={"token": TOKEN, "TaskId": 1, "taskid": 2, "colour": "red"})
    [entry] = emulator.journal(operation="GetTasksData")
    assert entry["warnings"] == [
        "unknown parameter 'taskid': GetTasksData does not define it; did you mean 'TaskId'?",
        "unknown parameter 'colour': GetTasksData does not define it",
    ]


def test_simotel_fields_the_service_does_not_define_are_journal_warnings(emulator):
    emulator.simotel.put("setting/ping/act", json={"hello": 1})
    [entry] = emulator.journal(api="simotel")
    assert entry["warnings"] == ["unknown parameter 'hello': setting/ping/act does not define it"]
    assert entry["tenant"] == "test"


def test_assert_called_passes_and_answers_the_count(emulator):
    _sms(emulator, "0501111111")
    assert emulator.assert_called("SendSms", {"phones": "0501111111"}, times=1) == 1
    assert emulator.verify("SendSms", api="yemot", at_least=1) == 1


def test_assert_called_failure_shows_the_near_misses(emulator):
    _sms(emulator, "0501111111")
    with pytest.raises(AssertionError) as failure:
        emulator.assert_called("SendSms", {"phones": "0509999999"})
    message = str(failure.value)
    assert "wanted at least 1 matching operation='SendSms', params={'phones': '0509999999'}; matched 0" in message
    assert "near miss #1 yemot SendSms (status 200):" in message
    assert "params.phones: expected '0509999999', got '0501111111'" in message
    with pytest.raises(AssertionError, match="did you mean 'SendSms'"):
        emulator.verify("SendSMS")


def test_journal_verify_health_and_fault_answers_match_the_admin_contract(emulator):
    from emulator.config import default_contracts_dir
    from emulator.core.http.contracts import Contract

    contract = Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")
    _sms(emulator, "0501111111")
    fault = emulator.fault(api="yemot", operation="GetSession", status=500)
    answers = [
        ("journal", "get", emulator.admin.get("journal", params={"tenant": "0773137770", "limit": 5})),
        ("journal", "get", emulator.admin.get("journal", params={"operation": "SendSMS"})),
        ("journal/verify", "post", _verify(emulator, operation="SendSms", count=1)),
        ("journal/verify", "post", _verify(emulator, operation="SendSms", params={"phones": "0502222222"})),
        ("journal/verify", "post", _verify(emulator, operation="SendSMS")),
        ("health", "get", emulator.admin.get("health")),
        ("faults", "post", emulator.admin.post("faults", json={"api": "yemot", "operation": "sendsms", "status": 500})),
        ("faults/{id}", "delete", emulator.admin.delete(f"faults/{fault['id']}")),
    ]
    for key, verb, response in answers:
        operation = contract.get(key)
        documented = contract.resolve(operation.verbs[verb]["responses"][str(response.status_code)])
        schema = contract.resolve(documented["content"]["application/json"]["schema"])
        assert [str(error) for error in contract.validator(schema).iter_errors(response.json())] == [], key
    assert [response.status_code for _, _, response in answers] == [200, 400, 200, 409, 400, 200, 400, 200]
