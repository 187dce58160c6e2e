"""Snapshots hold calls, messages, rules and the calls' pending phases; restore resumes them."""

from __future__ import annotations


def test_restore_of_snapshot_brings_back_calls_midway_and_they_resume(tel, place, show):
    bridge = place("0501111111", kind="bridge", bridge_to="0502222222", campaign="WSOC-1")
    plain = place("0501234567")
    tel.set_phone("0509999999", outcome="busy")
    tel.runtime.telephony.send_sms(api="yemot", tenant="0773137770", sender="a", to="0501234901", text="hi")
    tel.advance(10)
    snapshot = tel.control("GET", "snapshot")
    assert snapshot["world"]["telephony"]["calls"][bridge]["phase"] == "answered"
    before = tel.calls()

    tel.advance(100)
    after_first_run = tel.calls()
    assert show(bridge)["billable_s"] == 110.0
    tel.control("POST", "restore", json=snapshot)
    tel.control("POST", "clock", json={"set": "2026-03-01T10:00:10Z"})
    assert tel.calls() == before
    assert tel.phones("0509999999")["rule"]["outcome"] == "busy"
    assert tel.messages()[0]["status"] == "ESME_ROK"

    tel.advance(100)
    assert tel.calls() == after_first_run
    assert show(plain)["outcome"] == "answered"
    assert tel.messages()[0]["status"] == "EXPIRED"


def test_reset_then_restore_keeps_listeners_working(tel, place):
    seen = []
    tel.runtime.telephony.on_phase("yemot", lambda call, phase: seen.append(phase))
    snapshot = tel.control("GET", "snapshot")
    tel.reset()
    tel.control("POST", "restore", json=snapshot)
    place("0501234567")

    tel.advance(25)
    assert seen == ["ringing", "answered", "ended"]
