"""Money-safe mode: which operations may run against a real server, and with which phone numbers.

Against the emulator everything runs. Against any other target an operation marked ``x-cost``
(see :mod:`emulator.conformance.contract`) runs only when enabled by name, and a request of such
an operation is sent only when every phone-like value in it is on the allowlist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from emulator.conformance.contract import OperationInfo

_PHONE_LIKE = re.compile(r"\+?\d[\d\- ]{6,}\d")


class UnsafeRequest(Exception):
    """A request would reach a number that is not on the allowlist; it is not sent."""


def normalize_phone(raw: str) -> str:
    """Digits only, with Israeli (972) and Iranian (98) country codes turned into a leading 0."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("972") and len(digits) >= 11:
        return "0" + digits[3:]
    if digits.startswith("98") and len(digits) >= 12:
        return "0" + digits[2:]
    return digits


@dataclass(frozen=True)
class Decision:
    """Whether one operation runs, and why."""

    operation: OperationInfo
    run: bool
    reason: str


@dataclass(frozen=True)
class SafetyPolicy:
    """The money-safety settings of one run."""

    real_target: bool = False
    allowed_operations: frozenset[str] = frozenset()
    allowed_phones: tuple[str, ...] = ()
    _normalized: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_normalized", frozenset(normalize_phone(p) for p in self.allowed_phones))

    def decide(self, operation: OperationInfo) -> Decision:
        if not self.real_target:
            return Decision(operation, True, "emulator target: no limits")
        if not operation.cost:
            return Decision(operation, True, "free")
        kinds = ", ".join(sorted(operation.cost))
        if not any(operation.named(name) for name in self.allowed_operations):
            return Decision(operation, False, f"skipped: x-cost {kinds}; enable with --allow-operation {operation.key}")
        if "phones" in operation.cost and not self.allowed_phones:
            return Decision(operation, False, f"skipped: x-cost {kinds} needs --allow-phone NUMBER")
        target = f" to {', '.join(self.allowed_phones)} only" if "phones" in operation.cost else ""
        return Decision(operation, True, f"ENABLED: x-cost {kinds}{target}")

    def plan(self, operations: Iterable[OperationInfo]) -> list[Decision]:
        return [self.decide(operation) for operation in operations]

    def prepare(self, case: Any, operation: OperationInfo) -> None:
        """Point phone fields at allowlisted numbers; raise UnsafeRequest if any other number remains."""
        if not self.real_target or not operation.cost or operation.cost == {"destructive"}:
            return
        if "phones" in operation.cost:
            self._rewrite_phones(case, operation)
        for value in _leaves((case.query, case.body, case.path_parameters, case.headers)):
            for match in _PHONE_LIKE.findall(str(value)):
                if normalize_phone(match) not in self._normalized:
                    raise UnsafeRequest(f"{operation.operation_id}: {match!r} is not on --allow-phone")

    def _rewrite_phones(self, case: Any, operation: OperationInfo) -> None:
        number = self.allowed_phones[0]
        for container in (case.query, case.body):
            if not isinstance(container, dict):
                continue
            for name in operation.phone_params:
                if name in container:
                    container[name] = [number] if isinstance(container[name], list) else number


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif value is not None and not isinstance(value, bytes | bool):
        yield value


def format_plan(decisions: Iterable[Decision], target: str) -> str:
    """The plan printed before anything is sent."""
    decisions = list(decisions)
    runs = sum(decision.run for decision in decisions)
    lines = [f"contract test plan for {target}: {runs} of {len(decisions)} operations run"]
    for decision in decisions:
        mark = "run " if decision.run else "skip"
        lines.append(f"  [{mark}] {decision.operation.api:7} {decision.operation.operation_id:32} {decision.reason}")
    return "\n".join(lines)
