"""Snapshot and restore of dataclass state trees, as JSON-compatible data or JSON bytes.

msgspec does the work: it walks the dataclass tree in C, an order of magnitude faster than a
Python-level (un)structurer, which keeps snapshot, restore and reset of large worlds cheap.
``encode``/``decode`` are the fast path (bytes in, fresh objects out); ``dump``/``load`` give and
take plain dicts for callers that edit or embed them.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

_encoder = msgspec.json.Encoder()


class SnapshotError(ValueError):
    """A snapshot document does not describe a valid state tree; ``path`` is the JSON path of the
    first problem (``$.world.scheduler.pending[1].seq``) when one is known."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path if path is not None else _path_of(message)


_AT_PATH = re.compile(r" - at `(\$[^`]*)`$")


def _path_of(message: str) -> str | None:
    """The path msgspec names at the end of a validation message (`` - at `$.world.x` ``)."""
    found = _AT_PATH.search(message)
    return found.group(1) if found else None


def encode(state: Any) -> bytes:
    """The state tree as compact JSON bytes."""
    return _encoder.encode(state)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Building a large tree allocates many objects that all survive: cyclic collections in the
    middle would rescan them (and the live world) again and again for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# What msgspec raises for a document that is not a valid tree (too deep ones: RecursionError).
_DECODE_ERRORS = (msgspec.ValidationError, msgspec.DecodeError, RecursionError)


TOO_DEEP = "the document nests deeper than this emulator reads"


def reason_of(exc: BaseException) -> str:
    return TOO_DEEP if isinstance(exc, RecursionError) else str(exc)


def decode(data: bytes, cls: type[T]) -> T:
    """A fresh state tree of type ``cls`` from ``encode`` output; shares nothing with other trees."""
    try:
        with _collector_paused():
            return msgspec.json.decode(data, type=cls)
    except _DECODE_ERRORS as exc:
        raise SnapshotError(reason_of(exc)) from exc


class _Versioned(msgspec.Struct):
    version: Any = None


_DOCUMENTS: dict[type, type] = {}


def decode_document(data: bytes, version: int, cls: type[T]) -> T:
    """The ``cls`` tree of a ``{"version": version, "<field>": tree}`` document, decoded straight from
    its JSON bytes (no intermediate dicts); ``field`` is ``world`` for snapshots."""
    try:
        head = msgspec.json.decode(data, type=_Versioned)
    except _DECODE_ERRORS as exc:
        raise SnapshotError(f"expected a JSON object with version {version}: {reason_of(exc)}") from exc
    if head.version != version or isinstance(head.version, bool):
        raise SnapshotError(f"expected a snapshot object with version {version}")
    document = _DOCUMENTS.get(cls)
    if document is None:
        document = _DOCUMENTS[cls] = msgspec.defstruct(f"{cls.__name__}Document", [("version", int), ("world", cls)])
    return decode(data, document).world


def dump(state: Any) -> dict[str, Any]:
    """Turn a dataclass tree into new JSON-compatible dicts and lists."""
    return msgspec.json.decode(_encoder.encode(state))


def load(data: Any, cls: type[T]) -> T:
    """Rebuild a dataclass tree of type ``cls`` from ``dump`` output (or its JSON round trip)."""
    try:
        with _collector_paused():
            return msgspec.json.decode(_encoder.encode(data), type=cls)
    except (*_DECODE_ERRORS, TypeError) as exc:
        raise SnapshotError(str(exc)) from exc
