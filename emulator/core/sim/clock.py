"""The emulator's notion of "now": real by default, freezable, settable and advanceable."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

EARLIEST = 0.0
"""1970-01-01T00:00:00Z: the emulator clock never goes before the POSIX epoch."""
LATEST = 32503680000.0 - 1
"""2999-12-31T23:59:59Z: far enough for any test, far enough from year 9999 that date arithmetic never overflows."""


class ClockRangeError(ValueError):
    """An instant outside the range the emulator clock can be set to."""


def check_instant(when: float) -> float:
    """``when`` unchanged, or ``ClockRangeError`` if it lies outside ``EARLIEST``..``LATEST``."""
    if not EARLIEST <= when <= LATEST:
        raise ClockRangeError(
            f"the emulator clock runs from {format_instant(EARLIEST)} to {format_instant(LATEST)}; "
            f"{when!r} seconds is outside that range"
        )
    return when


class Clock(Protocol):
    """Anything that tells the time as POSIX seconds."""

    def now(self) -> float: ...


class EmulatorClock:
    """A clock that follows real time at an offset, or stands still when frozen.

    ``now()`` is ``time.time() + offset`` while running and ``frozen_at`` while frozen.
    Setting or advancing only moves the offset (or the frozen instant), so a running clock
    keeps ticking from wherever it was put.
    """

    def __init__(self, *, frozen_at: float | None = None, source=time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._frozen_at = None if frozen_at is None else check_instant(frozen_at)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._source() + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def freeze(self) -> None:
        if self._frozen_at is None:
            self._frozen_at = self.now()

    def unfreeze(self) -> None:
        if self._frozen_at is not None:
            self._offset = self._frozen_at - self._source()
            self._frozen_at = None

    def set(self, when: float) -> None:
        """Jump to ``when`` (POSIX seconds), keeping the frozen/running mode; ``ClockRangeError`` if out of range."""
        check_instant(when)
        if self._frozen_at is not None:
            self._frozen_at = when
        else:
            self._offset = when - self._source()

    def advance(self, seconds: float) -> None:
        self.set(self.now() + seconds)


def parse_instant(text: str) -> float:
    """Parse an ISO-8601 instant; a value without a zone is taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def format_instant(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")
