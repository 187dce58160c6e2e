"""Bounded JSON: parse with a nesting limit, and turn any value into one that always serialises."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

MAX_DEPTH = 64
"""Deepest nesting of arrays/objects accepted in a request body (real payloads need a handful)."""

TRUNCATED = "<truncated: nested too deep>"


class TooDeep(ValueError):
    """A JSON document nests arrays/objects deeper than allowed."""


class LoneSurrogate(ValueError):
    """Text holding half of a UTF-16 surrogate pair (``"\\ud800"``): not a character, cannot be sent on."""


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def check_text(value: Any) -> Any:
    """``value`` unchanged, or ``LoneSurrogate`` if any string in it (keys included) is not valid Unicode."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise LoneSurrogate("text holds a lone UTF-16 surrogate") from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


def nesting_depth(text: str | bytes, limit: int = MAX_DEPTH) -> int:
    """Deepest ``[``/``{`` nesting of a JSON text (strings skipped); stops counting past ``limit``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def loads(raw: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``max_depth`` before parsing them,
    and strings that are not valid Unicode (lone surrogate escapes).

    Raises ``TooDeep`` / ``LoneSurrogate`` (both ``ValueError``) or the usual ``ValueError`` /
    ``UnicodeDecodeError``; every one of them means a malformed body.

    Most documents are parsed by msgspec, in C. It accepts exactly what the standard parser (with
    this module's checks) accepts and yields the same values; whatever it refuses (``NaN``,
    out-of-range numbers, bad UTF-8, a BOM) goes through the standard parser for its own refusal.
    """
    # ('[', '{' and '\\u' escapes are ASCII: the bytes and their text hold the same number of each)
    brackets = raw.count(b"[") + raw.count(b"{") if isinstance(raw, bytes) else raw.count("[") + raw.count("{")
    surrogates = (_SURROGATE_BYTES if isinstance(raw, bytes) else _SURROGATE_ESCAPE).search(raw) is not None
    if brackets <= max_depth and not surrogates:
        try:
            return _FAST.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    # (with few brackets it cannot nest deeper; the count ran at C speed)
    if brackets > max_depth and nesting_depth(raw, max_depth) > max_depth:
        raise TooDeep(f"JSON nests deeper than {max_depth} levels")
    data = _DECODER.decode(raw)
    return check_text(data) if surrogates else data


_FAST = msgspec.json.Decoder()
_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _finite(text: str) -> float:
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"number out of range: {text[:40]}")
    return number


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constant)  # what json.loads would build per call


def jsonable(value: Any, *, max_depth: int = MAX_DEPTH, _depth: int = 0) -> Any:
    """A copy of ``value`` made only of JSON types; deeper levels become a marker string."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if _depth >= max_depth:
        return TRUNCATED
    if isinstance(value, dict):
        return {str(key): jsonable(item, max_depth=max_depth, _depth=_depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item, max_depth=max_depth, _depth=_depth + 1) for item in value]
    if isinstance(value, bytes | bytearray):
        return {"binary": len(value)}
    return str(value)
