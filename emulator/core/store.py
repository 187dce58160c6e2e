"""Snapshot and restore of dataclass state trees as plain JSON-compatible data."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import cattrs

T = TypeVar("T")

_converter = cattrs.Converter(forbid_extra_keys=True)


class SnapshotError(ValueError):
    """A snapshot document does not describe a valid state tree."""


def dump(state: Any) -> dict[str, Any]:
    """Turn a dataclass tree into JSON-compatible dicts and lists (a deep copy)."""
    return copy.deepcopy(_converter.unstructure(state))


def load(data: Any, cls: type[T]) -> T:
    """Rebuild a dataclass tree of type ``cls`` from ``dump`` output."""
    try:
        return _converter.structure(copy.deepcopy(data), cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise SnapshotError(_describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        notes = cattrs.transform_error(exc)
        return "; ".join(notes) if notes else str(exc)
    return str(exc)
