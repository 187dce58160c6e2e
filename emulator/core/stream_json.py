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

OPENED_LEVELS = 8
"""Levels of the tree opened here; anything deeper is one piece (the state's records sit above it)."""

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
    """Hand ``value`` encoded as JSON to ``write`` in pieces (see the module docstring)."""
    if levels <= 0 or isinstance(value, msgspec.Struct):
        write(_encode(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        write(b"{")
        for index, spec in enumerate(dataclasses.fields(value)):
            write(b'%s"%s":' % (b"," if index else b"", spec.name.encode()))
            write_json(getattr(value, spec.name), write, levels - 1)
        write(b"}")
    elif isinstance(value, dict) and value:
        write(b"{")
        first = True
        for key, item in value.items():
            write(b"%s%s:" % (b"" if first else b",", _encode(key if isinstance(key, str) else str(key))))
            write_json(item, write, levels - 1)
            first = False
        write(b"}")
    elif isinstance(value, list | tuple) and value:
        write(b"[")
        for index, item in enumerate(value):
            if index:
                write(b",")
            write_json(item, write, levels - 1)
        write(b"]")
    else:
        write(_encode(value))
