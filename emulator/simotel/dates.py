"""Every Simotel date conversion: Jalali record dates, Gregorian inputs, event stamps, Mongo JSON.

All wall-clock texts are in Asia/Tehran. Records are dated in Jalali (Solar Hijri)
``YYYY-MM-DD HH:MM:SS``; ``date_range`` and campaign ``start``/``end`` inputs are Gregorian
``YYYY-MM-DD HH:MM`` (seconds optional, a bare date means midnight); CDR ``answer`` fields and
webhook stamps are Gregorian; some fields are MongoDB extended JSON ``{"$date": {"$numberLong"}}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
RECORD_FORMAT = "%Y-%m-%d %H:%M:%S"
_INPUT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


def _local(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC).astimezone(TEHRAN)


def jalali(seconds: float) -> str:
    """``1402-04-28 19:34:16``: the Jalali record date of a POSIX instant, Tehran time."""
    return jdatetime.datetime.fromgregorian(datetime=_local(seconds).replace(tzinfo=None)).strftime(RECORD_FORMAT)


def from_jalali(text: str) -> float:
    """The POSIX instant of a Jalali record date (``YYYY-MM-DD HH:MM[:SS]``, Tehran time)."""
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = jdatetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.togregorian().replace(tzinfo=TEHRAN).timestamp()
    raise ValueError(f"not a Jalali date: {text!r}")


def gregorian(seconds: float) -> str:
    """``2022-12-02 09:57:53``: the Gregorian wall-clock text of an instant, Tehran time."""
    return _local(seconds).strftime(RECORD_FORMAT)


def from_gregorian(text: str) -> float:
    """The instant of a Gregorian input such as ``2020-06-15 15:16`` (Tehran time); ValueError if malformed."""
    text = str(text).strip()
    for fmt in _INPUT_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=TEHRAN).timestamp()
    raise ValueError(f"not a Gregorian date: {text!r}")


def event_stamp(seconds: float) -> str:
    """``2021-01-16 07:29:53.310319``: the Gregorian stamp with microseconds used in webhook events."""
    return _local(seconds).strftime("%Y-%m-%d %H:%M:%S.%f")


def mongo_date(seconds: float) -> dict[str, Any]:
    """``{"$date": {"$numberLong": "<ms>"}}``: MongoDB extended JSON of an instant."""
    return {"$date": {"$numberLong": str(round(seconds * 1000))}}


def hhmmss(seconds: float) -> str:
    """``00:01:05`` for 65 seconds (the ``*_hhmmss`` report fields)."""
    whole = max(0, round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def from_input(text: str) -> float:
    """An input date in either calendar: years before 1700 are Jalali, later ones Gregorian."""
    text = str(text).strip()
    if text[:4].isascii() and text[:4].isdigit() and int(text[:4]) < 1700:
        return from_jalali(text)
    return from_gregorian(text)
