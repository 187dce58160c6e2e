"""Numbers from wire values: only ASCII digits count, as on the real services.

Python's ``int()`` and ``float()`` accept any Unicode digit (``int("٢") == 2``) and ``"nan"`` /
``"inf"``; these helpers accept plain ASCII decimal numbers only, and finite values only.
"""

from __future__ import annotations

import math
import re
from typing import Any

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def to_float(value: Any) -> float | None:
    """A finite float from a JSON number or ASCII decimal text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        return None
    return number if math.isfinite(number) else None


def to_int(value: Any) -> int | None:
    """An int from a JSON integer (or integral float) or ASCII digit text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def has_foreign_digits(value: Any) -> bool:
    """True for text (or a list of texts) holding a digit outside ASCII ``0-9`` (``٢``, ``۲``, ``２``...)."""
    if isinstance(value, list):
        return any(has_foreign_digits(item) for item in value)
    return isinstance(value, str) and any(char.isdigit() and not char.isascii() for char in value)
