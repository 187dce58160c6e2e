"""Every API request is journaled with its parsed parameters; filters and clearing work."""

from __future__ import annotations


def test_journal_records_requests_of_both_apis_with_parsed_params(emulator):
    emulator.freeze("2026-05-01T10:00:00Z")
    emulator.yemot.post("Login", json={"username": "0773137770", "password": "1234"})
    emulator.simotel.put("setting/ping/act", json={})
    entries = emulator.journal()
    assert [(e["api"], e["operation"], e["method"], e["status"]) for e in entries] == [
        ("yemot", "Login", "POST", 200),
        ("simotel", "setting/ping/act", "PUT", 200),
    ]
    assert entries[0]["params"] == {"username": "0773137770", "password": "***"}
    assert entries[0]["response"]["responseStatus"] == "OK"
    assert entries[0]["time"] == "2026-05-01T10:00:00Z"
    assert entries[1]["path"] == "/api/v4/setting/ping/act"


def test_journal_never_records_the_token(emulator):
    emulator.yemot.get("GetSession", params={"token": emulator.yemot_token})
    assert "token" not in emulator.journal(operation="GetSession")[0]["params"]


def test_journal_filters_by_api_operation_and_since(emulator):
    emulator.freeze("2026-05-01T10:00:00Z")
    emulator.yemot.get("GetSession", params={"token": emulator.yemot_token})
    emulator.advance(60)
    emulator.yemot.get("GetCustomerData", params={"token": emulator.yemot_token})
    emulator.simotel.put("setting/ping/act", json={})
    assert len(emulator.journal(api="yemot")) == 2
    assert [e["operation"] for e in emulator.journal(operation="GetCustomerData")] == ["GetCustomerData"]
    assert len(emulator.journal(since="2026-05-01T10:00:30Z")) == 2
    assert emulator.admin.get("journal", params={"since": "not a date"}).status_code == 400


def test_journal_can_be_cleared(emulator):
    emulator.yemot.get("GetSession", params={"token": emulator.yemot_token})
    assert emulator.control("DELETE", "journal") == {"cleared": True}
    assert emulator.journal() == []
