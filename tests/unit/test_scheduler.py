"""The scheduler runs due events once each, in time order, with the clock at each event's instant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.core.sim.clock import EmulatorClock
from emulator.core.sim.scheduler import SavedSchedulerState, ScheduledEvent, Scheduler, SchedulerState

START = 1_700_000_000.0


def _recording_scheduler() -> tuple[Scheduler, list[tuple[str, float]]]:
    clock = EmulatorClock(frozen_at=START)
    scheduler = Scheduler(clock)
    fired: list[tuple[str, float]] = []
    scheduler.register("mark", lambda event: fired.append((event.payload["name"], clock.now())))
    return scheduler, fired


def test_advance_runs_due_events_in_time_order_each_once():
    scheduler, fired = _recording_scheduler()
    scheduler.after(30, "mark", {"name": "c"})
    scheduler.after(10, "mark", {"name": "a"})
    scheduler.after(20, "mark", {"name": "b"})
    scheduler.after(99, "mark", {"name": "later"})

    assert scheduler.advance(30) == 3
    assert fired == [("a", START + 10), ("b", START + 20), ("c", START + 30)]
    assert scheduler.advance(30) == 0
    assert [name for name, _ in fired] == ["a", "b", "c"]
    assert scheduler.clock.now() == START + 60


def test_events_due_at_the_same_instant_run_in_scheduling_order():
    scheduler, fired = _recording_scheduler()
    for name in ("first", "second", "third"):
        scheduler.after(5, "mark", {"name": name})
    scheduler.advance(5)
    assert [name for name, _ in fired] == ["first", "second", "third"]


def test_events_scheduled_by_a_handler_inside_the_window_run_in_the_same_advance():
    clock = EmulatorClock(frozen_at=START)
    scheduler = Scheduler(clock)
    fired: list[float] = []

    def chain(event):
        fired.append(clock.now())
        if event.payload["left"]:
            scheduler.after(10, "chain", {"left": event.payload["left"] - 1})

    scheduler.register("chain", chain)
    scheduler.after(10, "chain", {"left": 3})
    scheduler.advance(100)
    assert fired == [START + 10, START + 20, START + 30, START + 40]


def test_cancel_removes_matching_events():
    scheduler, fired = _recording_scheduler()
    scheduler.after(1, "mark", {"name": "keep"})
    scheduler.after(2, "mark", {"name": "drop"})
    assert scheduler.cancel(lambda event: event.payload["name"] == "drop") == 1
    scheduler.advance(10)
    assert [name for name, _ in fired] == ["keep"]


@settings(max_examples=60, deadline=None)
@given(
    delays=st.lists(st.integers(min_value=0, max_value=500), max_size=20),
    steps=st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=12),
)
def test_stepwise_advance_equals_one_jump(delays, steps):
    runs = []
    for chunks in (steps, [sum(steps)]):
        scheduler, fired = _recording_scheduler()
        for index, delay in enumerate(delays):
            scheduler.after(delay, "mark", {"name": str(index)})
        for chunk in chunks:
            scheduler.advance(chunk)
        runs.append(fired)
    assert runs[0] == runs[1]


@settings(max_examples=80, deadline=None)
@given(
    plan=st.lists(
        st.tuples(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=40)),
        min_size=1,
        max_size=40,
    ),
    rebind_at=st.integers(min_value=0, max_value=40),
)
def test_events_run_in_due_then_scheduling_order_however_they_were_queued(plan, rebind_at):
    """Events that come in time order take the queue, the others the heap; a restore (``bind``)
    moves them all to the heap. Whatever the mix, they run earliest first, ties in scheduling order,
    and ``next_due_at`` always names the earliest one left."""
    scheduler, fired = _recording_scheduler()
    scheduled = []
    for index, (delay, step) in enumerate(plan):
        if index == rebind_at:
            scheduler.bind(_restored(scheduler.saved_state()))
        due = scheduler.clock.now() + delay
        scheduler.at(due, "mark", {"name": str(index)})
        scheduled.append((due, index))
        scheduler.advance(step)
        remaining = [due for due, name in scheduled if (str(name), due) not in {(n, d) for n, d in fired}]
        assert scheduler.next_due_at == (min(remaining) if remaining else float("inf"))
    scheduler.advance(400)
    assert fired == [(str(index), due) for due, index in sorted(scheduled)]
    assert scheduler.next_due() is None and scheduler.events() == []


def _restored(saved: SavedSchedulerState) -> SchedulerState:
    """The state a restore of a snapshot holding ``saved`` binds (its own copy of every event)."""
    events = [ScheduledEvent(event.due, event.seq, event.kind, dict(event.payload)) for event in saved.pending]
    return SchedulerState(pending=events, next_seq=saved.next_seq, fired=saved.fired)


def test_a_stream_in_time_order_stays_out_of_the_heap_and_a_restore_keeps_every_event():
    scheduler, fired = _recording_scheduler()
    for index in range(5):
        scheduler.after(5 + index, "mark", {"name": f"in-order-{index}"})
    scheduler.after(1, "mark", {"name": "early"})
    assert [event.payload["name"] for event in scheduler.state.pending] == ["early"]  # the rest: the queue
    assert len(scheduler.events()) == 6
    restored = Scheduler(scheduler.clock, _restored(scheduler.saved_state()))  # as after a snapshot is restored
    restored.register("mark", lambda event: fired.append((event.payload["name"], scheduler.clock.now())))
    assert restored.advance(20) == 6
    assert [name for name, _ in fired] == ["early", *(f"in-order-{index}" for index in range(5))]


def test_the_saved_state_lists_every_pending_event_earliest_first_and_changes_nothing():
    scheduler, fired = _recording_scheduler()
    for index in range(4):
        scheduler.after(10 + index, "mark", {"name": f"queued-{index}"})
    scheduler.advance(10.5)  # the queue's first event ran: the rest wait on its taking side
    scheduler.after(11.5 - 10.5, "mark", {"name": "late"})  # earlier than the queue's tail: the heap
    heap, events = list(scheduler.state.pending), scheduler.events()

    saved = scheduler.saved_state()
    assert [event.payload["name"] for event in saved.pending] == ["queued-1", "late", "queued-2", "queued-3"]
    assert (saved.next_seq, saved.fired) == (5, 1)
    assert scheduler.state.pending == heap and scheduler.events() == events  # the live queue is as it was
    assert not scheduler.state.in_order and not scheduler.state.in_order_next
    scheduler.advance(10)
    assert [name for name, _ in fired] == ["queued-0", "queued-1", "late", "queued-2", "queued-3"]


def test_a_state_saved_with_the_queue_inside_it_still_binds_with_every_event():
    """States written before the queue became an in-memory detail could list events under
    ``in_order`` and ``in_order_next``: binding one puts them in the heap."""
    scheduler, fired = _recording_scheduler()

    def event(due: float, seq: int) -> ScheduledEvent:
        return ScheduledEvent(START + due, seq, "mark", {"name": str(seq)})

    old = SchedulerState(pending=[event(3, 2)], next_seq=4, in_order=[event(4, 3)], in_order_next=[event(2, 1)])
    scheduler.bind(old)
    assert (old.in_order, old.in_order_next) == ([], [])
    assert scheduler.next_due_at == START + 2
    assert [event.seq for event in scheduler.saved_state().pending] == [1, 2, 3]
    assert scheduler.advance(5) == 3
    assert [name for name, _ in fired] == ["1", "2", "3"]
