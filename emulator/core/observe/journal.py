"""Record of every request the emulated APIs served, for tests to inspect.

Recording sits on every request's path, so an entry keeps its parameters and answer as the JSON
bytes already made for the wire, and decodes and redacts them only when someone reads the entry.

The journal is bounded twice: by entry count and by the bytes its entries hold (their JSON plus a
fixed overhead each), the oldest entries going first; ``evicted`` counts those dropped since the
last clear. Parameters or an answer over ``journal_trim.ENTRY_CAP`` (``UNAUTHENTICATED_CAP`` for a
request without a tenant) are kept shortened, with markers (``journal_trim``). Sizes are the
lengths of bytes already made: recording encodes nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import msgspec

from emulator.core.observe.journal_trim import ENTRY_CAP, UNAUTHENTICATED_CAP, trimmed
from emulator.core.observe.redact import redact_mapping

_decode = msgspec.json.Decoder().decode


class JournalEntry(msgspec.Struct, gc=False):
    """One served request. ``params`` and ``response`` are read back from JSON, secrets redacted.

    Built in C (a Struct) and never tracked by the cyclic collector: an entry holds only text,
    numbers, bytes and a tuple of warnings, so it can never be part of a reference cycle.
    """

    id: int
    time: float
    api: str
    operation: str | None
    method: str
    path: str
    client: str | None
    _params: Any  # JSON bytes, decoded on first read, or the mapping itself
    status: int
    _response: Any  # JSON bytes, decoded on first read, or the document itself
    warnings: tuple[str, ...] = ()  # (a tuple of text: no container for the collector to track)
    tenant: str | None = None
    fault: int | None = None  # the injected fault that answered instead, if one did
    size: int = 0  # bytes this entry counts against the journal's budget

    @property
    def params(self) -> dict[str, Any]:
        """The request's parameters, secret values redacted."""
        if isinstance(self._params, bytes):
            self._params = redact_mapping(_decode(self._params))
        return self._params

    @property
    def response(self) -> Any:
        """The answer's JSON document (``{"binary": size}`` for files, None if nothing was sent)."""
        if isinstance(self._response, bytes):
            decoded = _decode(self._response)
            self._response = redact_mapping(decoded) if isinstance(decoded, dict) else decoded
        return self._response

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "api": self.api,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "client": self.client,
            "params": self.params,
            "status": self.status,
            "response": self.response,
            "warnings": list(self.warnings),
            "tenant": self.tenant,
            "fault": self.fault,
        }


@dataclass(frozen=True)
class JournalFilter:
    """Which entries a query or a verification concerns; None fields match everything.

    ``params`` is a subset: every named parameter must be present with an equal value (scalars also
    match by their text, so ``"5"`` matches ``5``; nested objects match as subsets too).
    """

    api: str | None = None
    operation: str | None = None
    tenant: str | None = None
    since: float | None = None
    params: dict[str, Any] | None = None

    def scope(self, entry: JournalEntry) -> bool:
        """Whether ``entry`` is in the window this filter looks at (api and time)."""
        return (self.api is None or entry.api == self.api) and (self.since is None or entry.time >= self.since)

    def matches(self, entry: JournalEntry) -> bool:
        return (
            self.scope(entry)
            and (self.operation is None or entry.operation == self.operation)
            and (self.tenant is None or entry.tenant == self.tenant)
            and (not self.params or not param_differences(self.params, entry.params))
        )


def values_match(expected: Any, actual: Any) -> bool:
    """Equal values; scalars also by text; objects as subsets, lists element by element."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and not param_differences(expected, actual)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(values_match(want, got) for want, got in zip(expected, actual, strict=True))
        )
    if expected == actual and type(expected) is type(actual):
        return True
    scalar = (str, int, float, bool)
    return isinstance(expected, scalar) and isinstance(actual, scalar) and _text(expected) == _text(actual)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_ABSENT = object()


def param_differences(expected: dict[str, Any], actual: dict[str, Any], prefix: str = "params") -> list[dict[str, Any]]:
    """Each expected parameter that ``actual`` lacks or holds a different value for."""
    out = []
    for name, want in expected.items():
        got = actual.get(name, _ABSENT)
        if got is _ABSENT:
            out.append({"field": f"{prefix}.{name}", "expected": want, "actual": None, "missing": True})
        elif not values_match(want, got):
            out.append({"field": f"{prefix}.{name}", "expected": want, "actual": got})
    return out


ENTRY_OVERHEAD = 320  # bytes counted per entry besides its JSON: the Struct, its texts and numbers
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def _within_cap(params: Any, response: Any, tenant: str | None) -> tuple[Any, Any]:
    """Parameters and answer (JSON bytes) shortened to the cap of an entry with or without a tenant."""
    cap = ENTRY_CAP if tenant is not None else UNAUTHENTICATED_CAP
    if params.__class__ is bytes and len(params) > cap:
        params = trimmed(params, cap)
    if response.__class__ is bytes and len(response) > cap:
        response = trimmed(response, cap)
    return params, response


class Journal:
    """A bounded, append-only list of served requests: at most ``limit`` entries and ``max_bytes``."""

    def __init__(self, limit: int = 10_000, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._next_id = 1
        self.limit = limit
        self.max_bytes = max_bytes
        self.bytes = 0  # what the entries held count against ``max_bytes``
        self._first_id = 1  # the first id recorded since the journal was last cleared

    def record(
        self,
        time: float,
        api: str,
        operation: str | None,
        method: str,
        path: str,
        client: str | None,
        params: bytes | dict[str, Any],
        status: int,
        response: Any,
        warnings: list[str] | None = None,
        tenant: str | None = None,
        fault: int | None = None,
    ) -> JournalEntry:
        """Append one served request (the arguments as ``JournalEntry`` takes them, after its id),
        dropping the oldest entries while the journal would pass its count or its bytes."""
        answer_bytes = response.__class__ is bytes
        if tenant is None or len(params) > ENTRY_CAP or (answer_bytes and len(response) > ENTRY_CAP):
            params, response = _within_cap(params, response, tenant)
        size = ENTRY_OVERHEAD + len(path) + len(params) + (len(response) if answer_bytes else 0)
        entry = JournalEntry(
            self._next_id,
            time,
            api,
            operation,
            method,
            path,
            client,
            params,
            status,
            response,
            tuple(warnings) if warnings else (),
            tenant,
            fault,
            size,
        )
        self._next_id += 1
        entries = self._entries
        total = self.bytes + size
        if len(entries) == self.limit:  # (full, the usual case once warm: the append drops the oldest)
            total -= entries[0].size
        if total > self.max_bytes:
            total = self._make_room(total)
        entries.append(entry)
        self.bytes = total
        return entry

    def _make_room(self, total: int) -> int:
        """Drop the oldest entries until ``total`` (which already leaves out the first entry of a
        full journal) is within the budget; the new total."""
        entries = self._entries
        if len(entries) == self.limit:
            entries.popleft()
        while entries and total > self.max_bytes:
            total -= entries.popleft().size
        return total

    @property
    def evicted(self) -> int:
        """Entries dropped to make room since the journal was last cleared."""
        return self._next_id - self._first_id - len(self._entries)

    def select(self, selection: JournalFilter) -> list[JournalEntry]:
        """The entries ``selection`` matches, oldest first."""
        return [entry for entry in self._entries if selection.matches(entry)]

    def entries(self) -> list[JournalEntry]:
        return list(self._entries)

    def operations(self) -> set[str]:
        """Every operation name the journal holds."""
        return {entry.operation for entry in self._entries if entry.operation}

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0
        self._first_id = self._next_id

    def __len__(self) -> int:
        return len(self._entries)
