"""Whether an instant falls on Shabbat or a Yom Tov in Israel (campaigns are refused then).

The Hebrew calendar comes from ``pyluach``. A holy day D (Saturday, or a festival day on which
work is forbidden in Israel) is taken to run from ``STARTS`` on the eve to ``ENDS`` on D, Israel
time: a window that covers candle-lighting and nightfall in every season.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from pyluach import dates

from emulator.yemot.timefmt import local

STARTS = time(16, 0)
ENDS = time(21, 0)
SATURDAY = 7  # pyluach: Sunday is 1


def is_holy_day(day: date) -> bool:
    """Shabbat, or a Yom Tov in Israel (Rosh Hashana, Yom Kippur, Sukkot, Shemini Atzeret, Pesach, Shavuot)."""
    gregorian = dates.GregorianDate(day.year, day.month, day.day)
    return gregorian.weekday() == SATURDAY or gregorian.festival(israel=True, include_working_days=False) is not None


def is_kodesh(seconds: float) -> bool:
    """Whether the emulator instant ``seconds`` is inside a Shabbat / Yom Tov window."""
    moment = local(seconds)
    today, clock = moment.date(), moment.time()
    if clock < ENDS and is_holy_day(today):
        return True
    if clock < STARTS or today == date.max:
        return False
    return is_holy_day(today + timedelta(days=1))
