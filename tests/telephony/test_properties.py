"""Properties of the call engine: one clock jump equals many steps; snapshot/restore resumes exactly."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from emulator.config import EmulatorConfig
from emulator.core.persist import store
from emulator.core.sim.clock import parse_instant
from emulator.runtime import Emulator
from emulator.world import World

START = parse_instant("2026-03-01T10:00:00Z")
numbers = st.sampled_from(["0501234567", "0501234901", "0501234902", "0501234903", "0501234904", "0501234905", "12"])
calls = st.lists(
    st.tuples(numbers, st.one_of(st.none(), numbers), st.one_of(st.none(), st.floats(0, 40)), st.floats(0, 60)),
    min_size=1,
    max_size=6,
)


def server():
    """A fresh emulator that places the calls of ``test.place`` events."""
    emulator = Emulator(EmulatorConfig.from_env({}, frozen_at=START))
    engine = emulator.telephony
    emulator.scheduler.register(
        "test.place",
        lambda event: engine.place(api="yemot", tenant="t", kind="tts", caller_id="1", **event.payload),
    )
    return emulator


def run(plan, steps):
    """Place ``plan`` calls (each at its own offset, via scheduled events), advance by ``steps``."""
    emulator = server()
    for to, bridge_to, timeout, offset in plan:
        payload = {"to": to, "bridge_to": bridge_to, "ring_timeout_s": timeout, "campaign": "C"}
        emulator.scheduler.at(START + offset, "test.place", payload)
    for step in steps:
        emulator.scheduler.advance(step)
    return emulator


@settings(max_examples=40, deadline=None)
@given(plan=calls, steps=st.lists(st.integers(100, 30_000).map(lambda ms: ms / 1000), min_size=1, max_size=12))
@example(plan=[("0501234567", None, None, 0.2)], steps=[0.1, 0.1])  # 0.1 + 0.1 must reach what 0.2 reaches
def test_advance_in_steps_equals_one_jump(plan, steps):
    total = sum(steps)
    stepped = run(plan, steps)
    jumped = run(plan, [total])
    assert store.dump(stepped.world.telephony) == store.dump(jumped.world.telephony)


@settings(max_examples=30, deadline=None)
@given(plan=calls, cut=st.floats(0, 100))
def test_restore_midway_then_advance_equals_uninterrupted_run(plan, cut):
    """A snapshot resumes exactly on a fresh server; on the server that diverged from it, the calls
    placed after the restore get ids that server never handed out before (``core/sim/ids``)."""
    straight = run(plan, [cut, 200])
    interrupted = run(plan, [cut])
    saved = store.dump(interrupted.saved_world())  # (what every snapshot encodes: the queue included)
    interrupted.scheduler.advance(50)  # diverge, then go back
    diverged = set(interrupted.world.telephony.calls)
    interrupted.set_world(store.load(saved, World))
    fresh = server()
    fresh.set_world(store.load(saved, World))
    for emulator in (interrupted, fresh):
        emulator.clock.set(START + cut)
        emulator.scheduler.advance(200)
    assert store.dump(fresh.world.telephony) == store.dump(straight.world.telephony)
    placed_after = set(interrupted.world.telephony.calls) - set(saved["telephony"]["calls"])
    assert not placed_after & diverged
    assert len(interrupted.world.telephony.calls) == len(straight.world.telephony.calls)
