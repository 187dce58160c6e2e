"""Injected faults are observed on the wire: status and body, delay, dropped connection."""

from __future__ import annotations

import time

import httpx
import pytest


def test_fault_replaces_status_and_body_for_its_operation_only(emulator):
    fault = emulator.fault(api="yemot", operation="GetSession", status=503, body={"oops": True}, times=2)
    assert fault["id"] == 1 and fault["hits"] == 0
    token = emulator.yemot_token
    for _ in range(2):
        response = emulator.yemot.get("GetSession", params={"token": token})
        assert (response.status_code, response.json()) == (503, {"oops": True})
    assert emulator.yemot.get("GetSession", params={"token": token}).json()["responseStatus"] == "OK"
    assert emulator.yemot.get("GetCustomerData", params={"token": token}).json()["responseStatus"] == "OK"
    assert emulator.control("GET", "faults")["faults"][0]["hits"] == 2


def test_fault_with_status_only_answers_in_the_apis_own_shape(emulator):
    emulator.fault(api="simotel", status=500)
    response = emulator.simotel.put("setting/ping/act", json={})
    assert response.status_code == 500
    assert response.json() == {"success": 0, "message": "injected fault", "data": None}
    emulator.fault(api="yemot", operation="Login", status=200)
    body = emulator.yemot.get("Login", params={"username": "0773137770", "password": "1234"}).json()
    assert (body["responseStatus"], body["message"]) == ("EXCEPTION", "injected fault")


def test_fault_delay_holds_the_answer_back(emulator):
    emulator.fault(api="simotel", operation="setting/ping/act", delay_ms=300, times=1)
    started = time.monotonic()
    response = emulator.simotel.put("setting/ping/act", json={})
    assert time.monotonic() - started >= 0.3
    assert response.json()["success"] == 1


def test_fault_drop_connection_closes_the_socket_mid_response(emulator_server):
    with httpx.Client(base_url=emulator_server.base) as client:
        added = client.post(
            "/__emulator__/faults",
            json={"api": "yemot", "operation": "GetSession", "drop_connection": True, "times": 1},
        )
        assert added.status_code == 201
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/ym/api/GetSession", params={"token": "0773137770:1234"})
        assert client.get("/ym/api/GetSession", params={"token": "0773137770:1234"}).json()["responseStatus"] == "OK"
        journal = client.get("/__emulator__/journal", params={"operation": "GetSession"}).json()["entries"]
        assert [entry["status"] for entry in journal] == [0, 200]


@pytest.mark.parametrize(
    "spec",
    [
        {},
        {"api": "other", "status": 500},
        {"api": "yemot"},
        {"api": "yemot", "status": 99},
        {"api": "yemot", "status": "500"},
        {"api": "yemot", "delay_ms": -5},
        {"api": "yemot", "status": 500, "times": 0},
        {"api": "yemot", "status": 500, "colour": "red"},
    ],
)
def test_bad_fault_definitions_get_400(emulator, spec):
    response = emulator.admin.post("faults", json=spec)
    assert response.status_code == 400
    assert response.json()["error"]


def test_faults_can_be_listed_and_cleared(emulator):
    emulator.fault(api="yemot", status=500)
    assert len(emulator.control("GET", "faults")["faults"]) == 1
    emulator.control("DELETE", "faults")
    assert emulator.control("GET", "faults") == {"faults": []}
    assert emulator.yemot.get("GetSession", params={"token": emulator.yemot_token}).status_code == 200


def test_a_faulted_request_is_journaled_with_its_parameters_tenant_and_fault_so_retries_count(emulator, caplog):
    fault = emulator.fault(api="yemot", operation="SendSms", status=503, times=1)
    sms = {"token": "0773137770:1234", "message": "retry me", "phones": "0501234567"}
    with caplog.at_level("INFO", logger="telephony_emulator.access"):
        assert emulator.yemot.post("SendSms", json=sms).status_code == 503
    assert emulator.yemot.post("SendSms", json=sms).json()["responseStatus"] == "OK"
    verified = emulator.admin.post(
        "journal/verify",
        json={"operation": "SendSms", "tenant": "0773137770", "params": {"phones": "0501234567"}, "count": 2},
    )
    assert (verified.status_code, verified.json()) == (200, {"matched": 2, "expected": "exactly 2"})
    first, second = emulator.control("GET", "journal", params={"operation": "SendSms"})["entries"]
    assert (first["status"], first["fault"], first["tenant"]) == (503, fault["id"], "0773137770")
    assert first["params"] == {"message": "retry me", "phones": "0501234567"}
    assert (second["status"], second["fault"]) == (200, None)
    [line] = [record.getMessage() for record in caplog.records if "status=503" in record.getMessage()]
    assert "operation=SendSms tenant=0773137770 status=503" in line


def test_a_dropped_connection_is_journaled_with_what_the_request_asked(emulator_server):
    with httpx.Client(base_url=emulator_server.base) as client:
        client.post("/__emulator__/faults", json={"api": "simotel", "drop_connection": True, "times": 1})
        with pytest.raises(httpx.RemoteProtocolError):
            client.put(
                "/api/v4/pbx/users/search",
                json={"number": "101"},
                auth=("test", "Aa123456"),
                headers={"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"},
            )
        [entry] = client.get("/__emulator__/journal", params={"api": "simotel"}).json()["entries"]
    assert (entry["status"], entry["fault"], entry["tenant"]) == (0, 1, "test")
    assert entry["operation"] == "pbx/users/search" and entry["params"]["conditions"] == {"number": "101"}
