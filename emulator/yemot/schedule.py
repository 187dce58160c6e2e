"""When a scheduled task runs next: cron-like matching of minute/hour/day/month/year/weekdays in Israel time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from emulator.core.http import jsonsafe
from emulator.yemot.timefmt import ISRAEL

SATURDAY = 6  # Yemot numbers weekdays 0=Sunday .. 6=Saturday
_SEARCH_DAYS = 8 * 366  # long enough to meet a 29 February or a fixed year a few years ahead


@dataclass(frozen=True)
class Pattern:
    """A task's run-time settings; ``None`` means "any". ``days`` holds Yemot weekday numbers."""

    minute: int | None = None
    hour: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    days: frozenset[int] | None = None
    skip_saturday: bool = False

    def matches_day(self, when: date) -> bool:
        weekday = yemot_weekday(when)
        return (
            (self.year is None or when.year == self.year)
            and (self.month is None or when.month == self.month)
            and (self.day is None or when.day == self.day)
            and (self.days is None or weekday in self.days)
            and not (self.skip_saturday and weekday == SATURDAY)
        )


def yemot_weekday(when: date) -> int:
    """0 for Sunday .. 6 for Saturday."""
    return (when.weekday() + 1) % 7


def parse_days(raw: Any) -> frozenset[int] | None:
    """The weekdays of a ``days`` value like ``{"0":1,"1":0,...}`` (JSON text or object).

    Anything unreadable, or an object that selects no day, means every day (None), as the
    documentation says of an invalid value.
    """
    if isinstance(raw, str):
        try:
            raw = jsonsafe.loads(raw)
        except ValueError:
            return None
    if not isinstance(raw, dict):
        return None
    chosen: set[int] = set()
    for key, value in raw.items():
        if not (isinstance(key, str) and key.isascii() and key.isdigit() and 0 <= int(key) <= 6):
            return None
        if value in (1, "1", True):
            chosen.add(int(key))
        elif value not in (0, "0", False):
            return None
    return frozenset(chosen) or None


def days_text(days: frozenset[int] | list[int] | None) -> str | None:
    """``days_of_week`` as the server shows it: ``"0,2,3"``, or None for every day."""
    return None if days is None else ",".join(str(d) for d in sorted(days))


def next_run(pattern: Pattern, after: float) -> float | None:
    """The first whole minute strictly after ``after`` (epoch seconds) that matches, or None if none will."""
    start = datetime.fromtimestamp(after, ISRAEL).replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
    first_day = start.date()
    if pattern.year is not None:
        if pattern.year < first_day.year:
            return None
        if pattern.year > first_day.year:
            first_day = date(pattern.year, 1, 1)
    hours = range(24) if pattern.hour is None else [pattern.hour]
    minutes = range(60) if pattern.minute is None else [pattern.minute]
    for offset in range(_SEARCH_DAYS):
        when = first_day + timedelta(days=offset)
        if pattern.year is not None and when.year > pattern.year:
            return None
        if not pattern.matches_day(when):
            continue
        for hour in hours:
            for minute in minutes:
                local = datetime.combine(when, time(hour, minute))
                if local < start:
                    continue
                instant = local.replace(tzinfo=ISRAEL).timestamp()
                if instant > after:
                    return instant
    return None
