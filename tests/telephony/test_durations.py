"""Durations are made rounded to the millisecond: no float noise in call records, on the wire or
derived from them (instants near 1.7e9 are 2.4e-7 s apart, so a bare difference reads 8.700000047683716)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.config import EmulatorConfig
from emulator.core.sim.clock import parse_instant
from emulator.runtime import Emulator

START = parse_instant("2026-03-01T10:00:00Z")
millis = st.integers(0, 600_000).map(lambda ms: ms / 1000)
NOISE = re.compile(r'"(?:ring_s|talk_s|billable_s)":\s*-?\d+\.\d{4,}')


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


@settings(max_examples=60, deadline=None)
@given(offset=millis, ring=millis, talk=millis, second_talk=millis, hang_up_at=st.one_of(st.none(), millis))
def test_ring_talk_and_billable_seconds_are_whole_milliseconds(offset, ring, talk, second_talk, hang_up_at):
    emulator = Emulator(EmulatorConfig.from_env({}, frozen_at=START))
    engine = emulator.telephony
    engine.set_rule("0501234567", outcome="answered", ring_s=ring, talk_s=talk)
    engine.set_rule("0501234568", outcome="answered", ring_s=0.0, talk_s=second_talk)
    emulator.scheduler.advance(offset)
    bridge = engine.place(
        api="yemot", tenant="t", kind="bridge", caller_id="1", to="0501234567", bridge_to="0501234568"
    )
    if hang_up_at is not None:
        emulator.scheduler.advance(hang_up_at)
        engine.hangup(bridge.id)
    emulator.scheduler.advance(3 * 600.0)
    calls = list(engine.state.calls.values())
    assert all(call.phase == "ended" for call in calls)
    for call in calls:
        for value in (call.ring_s, call.talk_s, call.billable_s):
            assert value == round(value, 3) and _decimals(value) <= 3, (call.id, value)
    second = engine.state.calls[bridge.second_leg_id] if bridge.second_leg_id else None
    if hang_up_at is None and ring <= 60:  # (a default ring timeout may give up first)
        assert bridge.ring_s == ring
        if second is not None:
            assert second.talk_s == second_talk


def test_the_control_plane_shows_no_float_noise(emulator):
    emulator.freeze("2026-03-01T10:00:00.3Z")
    emulator.set_phone("0501234567", ring_s=1.1, talk_s=8.7)
    placed = emulator.control(
        "POST", "yemot/systems/0773137770/calls", json={"from": "0501234567", "path": "/", "hangup_after_s": 8.7}
    )
    emulator.advance(0.7)
    emulator.advance(30)
    shown = emulator.admin.get(f"calls/{placed['id']}")
    assert shown.json()["talk_s"] == 8.7 and shown.json()["billable_s"] == 8.7
    listed = emulator.admin.get("calls")
    assert listed.status_code == 200 and not NOISE.search(listed.text), NOISE.search(listed.text)
