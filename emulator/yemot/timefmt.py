"""Yemot's date and time text, in Israel time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

ISRAEL = ZoneInfo("Asia/Jerusalem")


def local(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=ISRAEL)


def datetime_text(seconds: float) -> str:
    """``yyyy-MM-dd HH:mm:ss``."""
    return local(seconds).strftime("%Y-%m-%d %H:%M:%S")


def date_text(seconds: float) -> str:
    """``yyyy-MM-dd``."""
    return local(seconds).strftime("%Y-%m-%d")
