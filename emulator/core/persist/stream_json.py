"""Encode a large state tree as JSON piece by piece, within a byte budget.

``msgspec`` encodes a whole tree into one ``bytes``: for a world of hundreds of megabytes that is
a second full copy in memory. ``write_json`` walks the top levels of the tree itself (dataclasses,
dicts and lists) and has msgspec encode each piece below them, handing the pieces to ``write`` as
it goes, so at most one piece (one record, one stored file's content) is in memory at a time. The
output decodes to the same tree as msgspec's own encoding of it.

``Budget`` counts the bytes handed on and raises ``OverBudget`` the moment they would pass the
cap, before the piece that passes it is written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import msgspec

PIECE_BYTES = 1 << 20
"""About how much one piece holds: small items are encoded in batches of about this size."""
OPENED_LEVELS = 32
"""Levels of the tree opened here at most; anything deeper is one piece."""
SMALL = 64
"""A dict or list of at most this many items is encoded within its parent's batch, not opened."""

_encode = msgspec.json.Encoder().encode


class OverBudget(Exception):
    """The encoding would pass its byte budget; nothing past the budget was written."""

    def __init__(self, budget: int) -> None:
        super().__init__(f"more than {budget} bytes")
        self.budget = budget


class Budget:
    """A ``write`` that passes bytes on to ``sink`` and counts them against ``limit``."""

    def __init__(self, sink: Callable[[bytes], Any], limit: int) -> None:
        self.sink = sink
        self.limit = limit
        self.written = 0

    def __call__(self, data: bytes) -> None:
        if self.written + len(data) > self.limit:
            raise OverBudget(self.limit)
        self.written += len(data)
        self.sink(data)


def write_json(value: Any, write: Callable[[bytes], Any], levels: int = OPENED_LEVELS) -> None:
    """Hand ``value`` encoded as JSON to ``write`` in pieces (see the module docstring).

    Dataclasses and large dicts and lists are opened (see ``_opened``); their small items are
    encoded in batches sized to about ``PIECE_BYTES``, and a long string is written in slices."""
    if isinstance(value, str) and len(value) > PIECE_BYTES:
        _write_long_string(value, write)
    elif levels <= 0 or isinstance(value, msgspec.Struct):
        write(_encode(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        write(b"{")
        for index, spec in enumerate(dataclasses.fields(value)):
            write(b'%s"%s":' % (b"," if index else b"", spec.name.encode()))
            write_json(getattr(value, spec.name), write, levels - 1)
        write(b"}")
    elif isinstance(value, dict) and _opened(value):
        _Items(write, levels, mapping=True).write_all(value.items())
    elif isinstance(value, list | tuple) and _opened(value):
        _Items(write, levels, mapping=False).write_all(enumerate(value))
    else:
        write(_encode(value))


def _write_long_string(text: str, write: Callable[[bytes], Any]) -> None:
    """A long string (a stored file's base64) as one JSON string written in slices: JSON escapes
    each character on its own, so the encoded slices joined are the encoded whole."""
    write(b'"')
    for start in range(0, len(text), PIECE_BYTES):
        write(memoryview(_encode(text[start : start + PIECE_BYTES]))[1:-1])
    write(b'"')


class _Items:
    """The members of one opened dict or list: batches of small items, large ones on their own."""

    def __init__(self, write: Callable[[bytes], Any], levels: int, *, mapping: bool) -> None:
        self.write = write
        self.levels = levels
        self.mapping = mapping
        self.first = True
        self.per_batch = 256
        self.batch: list[tuple[Any, Any]] = []

    def write_all(self, items: Any) -> None:
        self.write(b"{" if self.mapping else b"[")
        for key, item in items:
            if _opened(item) or (isinstance(item, str) and len(item) > PIECE_BYTES):
                self._flush()
                self._separator()
                if self.mapping:
                    self.write(b"%s:" % _encode(key if isinstance(key, str) else str(key)))
                write_json(item, self.write, self.levels - 1)
            else:
                self.batch.append((key, item))
                if len(self.batch) >= self.per_batch:
                    self._flush()
        self._flush()
        self.write(b"}" if self.mapping else b"]")

    def _separator(self) -> None:
        if not self.first:
            self.write(b",")
        self.first = False

    def _flush(self) -> None:
        if not self.batch:
            return
        count = len(self.batch)
        encoded = _encode(dict(self.batch) if self.mapping else [item for _, item in self.batch])
        self.batch = []
        self._separator()
        self.write(memoryview(encoded)[1:-1])  # the members without the enclosing brackets
        self.per_batch = max(1, min(65536, PIECE_BYTES * count // max(1, len(encoded))))


def _opened(item: Any) -> bool:
    """Whether ``item`` is written member by member: a dataclass, a large dict or list, or a small
    one holding a long string, a large container or a dataclass directly."""
    if isinstance(item, dict):
        members = item.values()
    elif isinstance(item, list | tuple):
        members = item
    else:
        return dataclasses.is_dataclass(item) and not isinstance(item, type)
    return len(members) > SMALL or any(map(_heavy, members))


def _heavy(member: Any) -> bool:
    """A member that makes its container opened: a long string, a large container, or a dataclass
    (a system, a tree: what holds the state's bulk)."""
    kind = type(member)
    if kind is str:
        return len(member) > PIECE_BYTES
    if kind is dict or kind is list or kind is tuple:
        return len(member) > SMALL
    return dataclasses.is_dataclass(member) and not isinstance(member, type)
