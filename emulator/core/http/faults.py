"""Injected faults: answers the emulated APIs give instead of (or after) their real behaviour."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from typing import Any

from emulator.core.http.suggest import close_names, did_you_mean

OperationNames = Callable[[str], Collection[str]]


class FaultSpecError(ValueError):
    """A fault definition is malformed; ``suggestions`` holds near names for a misspelt operation."""

    def __init__(self, reason: str, suggestions: list[str] | None = None) -> None:
        super().__init__(reason)
        self.suggestions = suggestions or []


@dataclass
class Fault:
    id: int
    api: str
    operation: str | None = None
    status: int | None = None
    body: Any = None
    delay_ms: int = 0
    drop_connection: bool = False
    times: int | None = None
    hits: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class FaultTable:
    """Faults keyed by API and operation; ``operation`` None matches every operation.

    ``apis`` names the APIs served and ``operations`` the operations each has; a fault for any other
    name is refused, since it could never fire.
    """

    def __init__(self, apis: Collection[str], operations: OperationNames | None = None) -> None:
        # The faults defined, live or exhausted, in order; the one list for the table's life, so a
        # request can skip ``take`` while it is empty (most of the time).
        self.entries: list[Fault] = []
        self._next_id = 1
        self._operations = operations
        self._apis = tuple(apis)

    def add(self, spec: dict[str, Any]) -> Fault:
        checked = _validated(spec, self._apis)
        if self._operations is not None and "operation" in checked:
            _check_operation(checked["api"], checked["operation"], self._operations(checked["api"]))
        fault = Fault(id=self._next_id, **checked)
        self._next_id += 1
        self.entries.append(fault)
        return fault

    def take(self, api: str, operation: str | None) -> Fault | None:
        """Return the first live fault for this call and count the hit."""
        for fault in self.entries:
            if fault.api == api and fault.operation in (None, operation) and not fault.exhausted:
                fault.hits += 1
                return fault
        return None

    def remove(self, fault_id: int) -> bool:
        """Drop one fault; whether it existed."""
        before = len(self.entries)
        self.entries[:] = [fault for fault in self.entries if fault.id != fault_id]
        return len(self.entries) < before

    def list(self) -> list[Fault]:
        return list(self.entries)

    def clear(self) -> None:
        self.entries.clear()


def _check_operation(api: str, operation: str, known: Collection[str]) -> None:
    if operation not in known:
        raise FaultSpecError(
            f"unknown {api} operation {operation!r}{did_you_mean(operation, known)}",
            suggestions=close_names(operation, known),
        )


_FIELDS = {
    "api": str,
    "operation": str,
    "status": int,
    "delay_ms": int,
    "drop_connection": bool,
    "times": int,
}


def _validated(spec: dict[str, Any], apis: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise FaultSpecError("a fault must be a JSON object")
    unknown = set(spec) - set(_FIELDS) - {"body"}
    if unknown:
        raise FaultSpecError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    if spec.get("api") not in apis:
        raise FaultSpecError(f"'api' must be one of {', '.join(apis)}")
    out: dict[str, Any] = {}
    for name, kind in _FIELDS.items():
        value = spec.get(name)
        if value is None:
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise FaultSpecError(f"'{name}' must be an integer")
        if not isinstance(value, kind):
            raise FaultSpecError(f"'{name}' must be of type {kind.__name__}")
        out[name] = value
    if "status" in out and not 100 <= out["status"] <= 599:
        raise FaultSpecError("'status' must be an HTTP status between 100 and 599")
    if out.get("delay_ms", 0) < 0 or out.get("delay_ms", 0) > 60_000:
        raise FaultSpecError("'delay_ms' must be between 0 and 60000")
    if "times" in out and out["times"] < 1:
        raise FaultSpecError("'times' must be at least 1")
    if "body" in spec:
        out["body"] = spec["body"]
    if not ({"status", "body", "delay_ms", "drop_connection"} & set(out)):
        raise FaultSpecError("a fault needs at least one of status, body, delay_ms, drop_connection")
    return out
