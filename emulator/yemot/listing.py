"""Log listings as the Yemot API gives them: newest first, optionally cut to a ``limit``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

Row = TypeVar("Row")


def newest_first(rows: Iterable[Row], limit: Any = None) -> list[Row]:
    """``rows`` (each with a ``time``) newest first - of two at the same instant, the one recorded
    later first - keeping the first ``limit`` when it is a positive integer."""
    ordered = sorted(rows, key=lambda row: row.time)[::-1]  # type: ignore[attr-defined]
    return ordered[:limit] if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else ordered
