"""Control plane: per-number rules, handset inboxes and the call and message lists."""

from __future__ import annotations

import pytest

START = "2026-03-01T10:00:00Z"


def test_put_phone_rule_changes_outcome_and_times(tel, place, show):
    rule = tel.set_phone("0501234567", outcome="answered", ring_s=2, talk_s=40)
    expected = {"outcome": "answered", "ring_s": 2.0, "talk_s": 40.0, "keys": None, "voicemail": False}
    assert rule == {"number": "0501234567", "rule": expected}
    call_id = place("0501234567")

    tel.advance(42)
    ended = show(call_id)
    assert (ended["outcome"], ended["ring_s"], ended["talk_s"]) == ("answered", 2.0, 40.0)


def test_put_phone_rule_voicemail_marks_the_answer_as_a_machine(tel, place, show):
    assert tel.set_phone("0501234567", voicemail=True)["rule"]["voicemail"] is True
    call_id = place("0501234567")
    tel.advance(30)
    assert (show(call_id)["outcome"], show(call_id)["machine"]) == ("answered", True)


def test_put_phone_rule_with_outcome_only_uses_outcome_defaults(tel, place, show):
    tel.set_phone("0501234567", outcome="no_answer")
    call_id = place("0501234567")

    tel.advance(30)
    assert (show(call_id)["outcome"], show(call_id)["ring_s"]) == ("no_answer", 30.0)


def test_put_phone_rule_applies_to_magic_number(tel, place, show):
    tel.set_phone("0501234903", outcome="busy", ring_s=3)
    call_id = place("0501234903")

    tel.advance(3)
    assert (show(call_id)["outcome"], show(call_id)["ring_s"]) == ("busy", 3.0)


def test_delete_phone_rule_restores_default_behaviour(tel, place, show):
    tel.set_phone("0501234567", outcome="busy")
    assert tel.clear_phone("0501234567") == {"number": "0501234567", "cleared": True}
    assert tel.clear_phone("0501234567") == {"number": "0501234567", "cleared": False}
    call_id = place("0501234567")

    tel.advance(25)
    ended = show(call_id)
    assert (ended["outcome"], ended["ring_s"], ended["talk_s"]) == ("answered", 5.0, 20.0)
    assert tel.phones("0501234567")["rule"] is None


def test_get_phone_shows_verification_caller_id(tel, place):
    place("0527654321", kind="verification", caller_id="0799405284")

    tel.advance(25)
    inbox = tel.phones("0527654321")
    assert [(call["caller_id"], call["kind"], call["created"], call["outcome"]) for call in inbox["calls"]] == [
        ("0799405284", "verification", START, "answered")
    ]
    assert inbox["calls"][0]["caller_id"][-4:] == "5284"


def test_get_phone_shows_sms_text_and_classification(tel):
    tel.runtime.telephony.send_sms(api="yemot", tenant="0773137770", sender="Shop", to="0527654321", text="code 1234")

    inbox = tel.phones("0527654321")
    assert [(m["sender"], m["text"], m["status"]) for m in inbox["messages"]] == [("Shop", "code 1234", "ESME_ROK")]
    assert inbox["classes"] == {"yemot": "il_mobile", "simotel": "il_mobile"}
    assert inbox["plans"]["yemot"] == {"outcome": "answered", "ring_s": 5.0, "talk_s": 20.0, "machine": False}
    assert inbox["calls"] == []


def test_get_phone_of_bridge_destination_shows_second_leg(tel, place):
    place("0501111111", kind="bridge", bridge_to="0502222222", caller_id="0773137770")

    tel.advance(5)
    calls = tel.phones("0502222222")["calls"]
    assert [(c["leg"], c["caller_id"], c["phase"]) for c in calls] == [(2, "0773137770", "ringing")]


def test_get_calls_filters_by_api_tenant_and_campaign(tel, place):
    place("0501234567", campaign="A")
    place("0501234568", campaign="B")
    place("0501234569", campaign="A", tenant="0770000000")
    place("09123456789", api="simotel", tenant="test", kind="originate")

    assert [c["to"] for c in tel.calls(campaign="A")] == ["0501234567", "0501234569"]
    assert [c["to"] for c in tel.calls(campaign="A", tenant="0773137770")] == ["0501234567"]
    assert [c["to"] for c in tel.calls(api="simotel")] == ["09123456789"]
    assert tel.control("GET", "calls")["count"] == 4


def test_get_messages_filters_by_api_tenant_and_campaign(tel):
    engine = tel.runtime.telephony
    engine.send_sms(api="yemot", tenant="1", sender="a", to="0501234567", text="x", campaign="S-1")
    engine.send_sms(api="yemot", tenant="2", sender="a", to="0501234567", text="y", campaign="S-1")
    engine.send_sms(api="simotel", tenant="1", sender="a", to="09123456789", text="z")

    assert [m["text"] for m in tel.messages(campaign="S-1")] == ["x", "y"]
    assert [m["text"] for m in tel.messages(tenant="1")] == ["x", "z"]
    assert [m["text"] for m in tel.messages(api="simotel")] == ["z"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"outcome": "maybe"},
        {"ring_s": -1},
        {"talk_s": "10"},
        {"ring_s": True},
        {"colour": "red"},
        [1],
        {"talk_s": 10**9},
    ],
)
def test_put_phone_with_bad_rule_answers_400(tel, body):
    response = tel.admin.put("phones/0501234567", json=body)

    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)


@pytest.mark.parametrize("path", ["phones/abc", "phones/05-01", "calls?colour=red", "messages?phase=x"])
def test_get_with_bad_number_or_filter_answers_400(tel, path):
    response = tel.admin.get(path)

    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)


def test_reset_clears_calls_messages_and_rules(tel, place):
    place("0501234567")
    tel.set_phone("0501234567", outcome="busy")
    tel.runtime.telephony.send_sms(api="yemot", tenant="1", sender="a", to="0501234567", text="x")

    tel.reset()
    inbox = tel.phones("0501234567")
    assert (inbox["calls"], inbox["messages"], inbox["rule"]) == ([], [], None)
