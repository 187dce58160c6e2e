"""GET/POST /__emulator__/clock: freeze, set and advance; advancing runs due events in order."""

from __future__ import annotations

import pytest

from emulator.core.sim.clock import parse_instant


def test_clock_can_be_frozen_set_and_advanced(emulator):
    assert emulator.clock()["frozen"] is False
    frozen = emulator.control("POST", "clock", json={"freeze": True, "set": "2026-05-01T10:00:00Z"})
    assert frozen == {"now": "2026-05-01T10:00:00Z", "frozen": True, "events_run": 0}
    assert emulator.advance(90)["now"] == "2026-05-01T10:01:30Z"
    assert emulator.clock() == {"now": "2026-05-01T10:01:30Z", "frozen": True}
    thawed = emulator.control("POST", "clock", json={"freeze": False})
    assert thawed["frozen"] is False
    assert parse_instant(thawed["now"]) >= parse_instant("2026-05-01T10:01:30Z")


def test_advance_runs_every_event_that_came_due_in_time_order(emulator):
    emulator.freeze("2026-05-01T10:00:00Z")
    fired = []
    scheduler = emulator.runtime.scheduler
    scheduler.register("test.mark", lambda event: fired.append((event.payload["n"], emulator.runtime.clock.now())))
    base = emulator.runtime.clock.now()
    for n, delay in ((3, 300), (1, 100), (2, 200), (4, 400)):
        scheduler.after(delay, "test.mark", {"n": n})

    assert emulator.advance(350)["events_run"] == 3
    assert fired == [(1, base + 100), (2, base + 200), (3, base + 300)]
    assert emulator.advance(50)["events_run"] == 1
    assert emulator.advance(1000)["events_run"] == 0
    assert [n for n, _ in fired] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"advance": -1},
        {"advance": "10"},
        {"advance": True},
        {"set": "yesterday"},
        {"set": 5},
        {"freeze": "yes"},
        {"rewind": 3},
        [1],
    ],
)
def test_bad_clock_requests_get_400_with_a_reason(emulator, body):
    response = emulator.admin.post("clock", json=body)
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)
