"""Yemot's date and time text, in Israel time."""

from __future__ import annotations

import math
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

ISRAEL = ZoneInfo("Asia/Jerusalem")


def local(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=ISRAEL)


def datetime_text(seconds: float) -> str:
    """``yyyy-MM-dd HH:mm:ss``."""
    return _datetime_text(math.floor(seconds))


def date_text(seconds: float) -> str:
    """``yyyy-MM-dd``."""
    return _datetime_text(math.floor(seconds))[:10]


@lru_cache(maxsize=4096)
def _datetime_text(second: int) -> str:
    """Formatting a zoned time is costly and answers repeat the same seconds (the clock's "now")."""
    return local(second).strftime("%Y-%m-%d %H:%M:%S")
