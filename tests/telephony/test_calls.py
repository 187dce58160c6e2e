"""Simulated calls move through their phases exactly as the emulator clock advances."""

from __future__ import annotations

import time

import pytest

START = "2026-03-01T10:00:00Z"


def test_place_default_number_rings_5s_answers_and_talks_20s(tel, place, show):
    call_id = place("0501234567")

    assert show(call_id)["phase"] == "ringing"
    assert show(call_id)["ringing_at"] == START
    tel.advance(4.9)
    assert show(call_id)["phase"] == "ringing"
    tel.advance(0.1)
    answered = show(call_id)
    assert (answered["phase"], answered["answered_at"], answered["ring_s"]) == (
        "answered",
        "2026-03-01T10:00:05Z",
        5.0,
    )
    tel.advance(19.9)
    assert show(call_id)["phase"] == "answered"
    tel.advance(0.1)
    ended = show(call_id)
    assert ended["phase"] == "ended"
    assert ended["outcome"] == "answered"
    assert ended["ended_at"] == "2026-03-01T10:00:25Z"
    assert (ended["talk_s"], ended["billable_s"]) == (20.0, 20.0)


def test_place_tzintuk_with_16s_timeout_gives_up_after_16s(tel, place, show):
    call_id = place("0521234901", kind="tzintuk", ring_timeout_s=16, max_talk_s=0)

    tel.advance(15.9)
    assert show(call_id)["phase"] == "ringing"
    tel.advance(0.1)
    ended = show(call_id)
    assert (ended["phase"], ended["outcome"], ended["ring_s"], ended["talk_s"]) == ("ended", "no_answer", 16.0, 0.0)
    assert ended["ended_at"] == "2026-03-01T10:00:16Z"


def test_place_tzintuk_answered_before_timeout_hangs_up_at_once(tel, place, show):
    call_id = place("0521234567", kind="tzintuk", ring_timeout_s=16, max_talk_s=0)

    tel.advance(5)
    ended = show(call_id)
    assert (ended["phase"], ended["outcome"], ended["talk_s"]) == ("ended", "answered", 0.0)


def test_place_bridge_with_default_numbers_bills_110_seconds(tel, place, show):
    first = place("0501111111", kind="bridge", bridge_to="0502222222", campaign="WSOC-1")

    tel.advance(5)
    assert show(first)["phase"] == "answered"
    second = show(first)["second_leg_id"]
    assert show(second)["phase"] == "ringing"
    assert (show(second)["leg"], show(second)["parent_id"], show(second)["to"]) == (2, first, "0502222222")
    tel.advance(10)
    assert show(second)["phase"] == "answered"
    tel.advance(50)
    leg1, leg2 = show(first), show(second)
    assert (leg1["phase"], leg2["phase"]) == ("ended", "ended")
    assert (leg2["ring_s"], leg2["talk_s"]) == (10.0, 50.0)
    assert leg1["talk_s"] == 60.0
    assert leg1["billable_s"] == 110.0
    assert leg2["billable_s"] == 0.0


def test_place_bridge_second_leg_unanswered_ends_first_leg_too(tel, place, show):
    first = place("0501111111", kind="bridge", bridge_to="0502222901")

    tel.advance(5 + 30)
    leg1 = show(first)
    leg2 = show(leg1["second_leg_id"])
    assert (leg2["outcome"], leg1["outcome"]) == ("no_answer", "answered")
    assert (leg1["talk_s"], leg1["billable_s"]) == (30.0, 30.0)


def test_place_bridge_first_leg_unanswered_never_dials_second_leg(tel, place, show):
    first = place("0501111902", kind="bridge", bridge_to="0502222222")

    tel.advance(100)
    assert show(first)["outcome"] == "busy"
    assert show(first)["second_leg_id"] is None
    assert len(tel.calls()) == 1


@pytest.mark.parametrize(
    ("number", "outcome", "ended_after", "ring_s", "talk_s"),
    [
        ("0501234901", "no_answer", 30, 30.0, 0.0),
        ("0501234902", "busy", 0, 0.0, 0.0),
        ("0501234903", "blocked", 0, 0.0, 0.0),
        ("0501234904", "answered", 8, 5.0, 3.0),
        ("0501234905", "failed", 0, 0.0, 0.0),
        ("0501234906", "answered", 35, 5.0, 30.0),  # a voicemail box answers
        ("0501234907", "answered", 25, 5.0, 20.0),
        ("050123", "invalid", 0, 0.0, 0.0),
    ],
)
def test_place_magic_number_ends_with_its_outcome(tel, place, show, number, outcome, ended_after, ring_s, talk_s):
    call_id = place(number)

    if ended_after:
        tel.advance(ended_after - 0.5)
        assert show(call_id)["phase"] != "ended"
        tel.advance(0.5)
    ended = show(call_id)
    assert (ended["phase"], ended["outcome"]) == ("ended", outcome)
    assert (ended["ring_s"], ended["talk_s"]) == (ring_s, talk_s)


@pytest.mark.parametrize("number", ["0501234903", "12"])
def test_place_blocked_or_invalid_number_is_never_dialled(tel, place, show, number):
    ended = show(place(number))

    assert ended["ringing_at"] is None
    assert ended["answered_at"] is None
    assert ended["ended_at"] == START


def test_place_many_calls_advancing_in_one_jump_equals_many_small_steps(emulator_factory):
    results = []
    for steps in ([100.0], [1.5] * 66 + [1.0]):
        emulator = emulator_factory()
        emulator.freeze(START)
        engine = emulator.runtime.telephony
        for number in ("0501234567", "0501234901", "0501234904", "0521234567"):
            engine.place(api="yemot", tenant="t", kind="tts", caller_id="0773137770", to=number)
        engine.place(api="yemot", tenant="t", kind="bridge", caller_id="1", to="0501111111", bridge_to="0502222222")
        for step in steps:
            emulator.advance(step)
        results.append(emulator.calls())
    assert results[0] == results[1]


def test_hangup_of_ringing_call_ends_it_unanswered(tel, place, show):
    call_id = place("0501234567")
    tel.advance(2)

    tel.runtime.telephony.hangup(call_id)
    tel.advance(60)
    ended = show(call_id)
    assert (ended["outcome"], ended["ring_s"], ended["ended_at"]) == ("no_answer", 2.0, "2026-03-01T10:00:02Z")


def test_campaign_end_listener_runs_once_after_last_call(tel, place):
    ended = []
    tel.runtime.telephony.on_campaign_end("yemot", lambda progress: ended.append((progress.campaign, progress.ended)))
    for number in ("0501234567", "0501234901", "0501234903"):
        place(number, campaign="YA-1")

    tel.advance(29)
    assert ended == []
    tel.advance(1)
    assert ended == [("YA-1", 3)]


def test_phase_listener_sees_ringing_answered_ended_in_order(tel, place):
    seen = []
    tel.runtime.telephony.on_phase("*", lambda call, phase: seen.append((call.to, phase, call.outcome)))
    place("0501234567")
    place("0501234905")

    tel.advance(30)
    assert seen == [
        ("0501234567", "ringing", None),
        ("0501234905", "ended", "failed"),
        ("0501234567", "answered", None),
        ("0501234567", "ended", "answered"),
    ]


def test_clock_set_far_past_call_end_keeps_exact_phase_instants(tel, place, show):
    call_id = place("0501234567")

    tel.control("POST", "clock", json={"set": "2026-03-01T11:00:00Z"})
    ended = show(call_id)
    assert (ended["ringing_at"], ended["answered_at"], ended["ended_at"]) == (
        START,
        "2026-03-01T10:00:05Z",
        "2026-03-01T10:00:25Z",
    )
    assert (ended["ring_s"], ended["talk_s"]) == (5.0, 20.0)


def test_real_time_ticker_moves_calls_with_exact_instants(emulator_factory):
    emulator = emulator_factory(tick_interval_s=0.01)
    runtime = emulator.runtime
    call = runtime.telephony.place(api="yemot", tenant="t", kind="tts", caller_id="1", to="0501234567")
    runtime.clock.set(call.created + 30)  # the running clock jumps past the call's end

    deadline = time.monotonic() + 5  # real time for the background ticker, not emulated time
    while runtime.telephony.call(call.id).phase != "ended" and time.monotonic() < deadline:
        time.sleep(0.01)
    ended = runtime.telephony.call(call.id)
    assert (ended.phase, ended.outcome) == ("ended", "answered")
    assert (ended.ring_s, ended.talk_s) == pytest.approx((5.0, 20.0))
    assert ended.ended_at == pytest.approx(call.created + 25)
