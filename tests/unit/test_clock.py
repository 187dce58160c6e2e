"""The emulator clock: real with an offset, or frozen; set and advance keep the mode."""

from __future__ import annotations

import pytest

from emulator.core.sim.clock import EmulatorClock, format_instant, parse_instant


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_running_clock_follows_its_source_from_where_it_was_set():
    source = FakeTime()
    clock = EmulatorClock(source=source)
    clock.set(5000.0)
    source.value += 7
    assert clock.now() == 5007.0


def test_frozen_clock_stands_still_until_advanced():
    source = FakeTime()
    clock = EmulatorClock(source=source)
    clock.freeze()
    frozen = clock.now()
    source.value += 100
    assert clock.now() == frozen
    clock.advance(30)
    assert clock.now() == frozen + 30


def test_unfreeze_resumes_from_the_frozen_instant():
    source = FakeTime()
    clock = EmulatorClock(source=source, frozen_at=42.0)
    clock.unfreeze()
    source.value += 3
    assert clock.now() == 45.0
    assert not clock.frozen


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-01-01T00:00:00Z", 1767225600.0), ("2026-01-01T02:00:00+02:00", 1767225600.0), ("2026-01-01", 1767225600.0)],
)
def test_parse_instant_accepts_iso_8601_with_or_without_zone(text, expected):
    assert parse_instant(text) == expected


def test_format_instant_is_utc_with_z():
    assert format_instant(1767225600.0) == "2026-01-01T00:00:00Z"
