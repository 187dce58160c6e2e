"""Record of every request the emulated APIs served, for tests to inspect."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class JournalEntry:
    id: int
    time: float
    api: str
    operation: str | None
    method: str
    path: str
    client: str | None
    params: dict[str, Any]
    status: int
    response: Any
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    """A bounded, append-only list of served requests."""

    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._next_id = 1

    def record(self, **fields: Any) -> JournalEntry:
        entry = JournalEntry(id=self._next_id, **fields)
        self._next_id += 1
        self._entries.append(entry)
        return entry

    def query(
        self, *, api: str | None = None, operation: str | None = None, since: float | None = None
    ) -> list[JournalEntry]:
        return [
            entry
            for entry in self._entries
            if (api is None or entry.api == api)
            and (operation is None or entry.operation == operation)
            and (since is None or entry.time >= since)
        ]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
