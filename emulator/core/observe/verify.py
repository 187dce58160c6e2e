"""Verification of what the journal holds: a count expectation and, when it fails, the near misses."""

from __future__ import annotations

import difflib
import heapq
from dataclasses import dataclass
from typing import Any

from emulator.core.observe.journal import Journal, JournalEntry, JournalFilter, param_differences

NEAR_MISS_LIMIT = 5
SIMILAR_OPERATION = 0.6


@dataclass(frozen=True)
class Expectation:
    """How many entries must match: exactly ``count``, or between ``at_least`` and ``at_most``."""

    count: int | None = None
    at_least: int | None = None
    at_most: int | None = None

    def holds(self, matched: int) -> bool:
        if self.count is not None:
            return matched == self.count
        if self.at_least is None and self.at_most is None:
            return matched >= 1
        return (self.at_least is None or matched >= self.at_least) and (self.at_most is None or matched <= self.at_most)

    def describe(self) -> str:
        if self.count is not None:
            return f"exactly {self.count}"
        if self.at_least is None and self.at_most is None:
            return "at least 1"
        parts = []
        if self.at_least is not None:
            parts.append(f"at least {self.at_least}")
        if self.at_most is not None:
            parts.append(f"at most {self.at_most}")
        return " and ".join(parts)


@dataclass
class Verdict:
    holds: bool
    matched: int
    expected: str
    near_misses: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"matched": self.matched, "expected": self.expected}
        if not self.holds:
            data["near_misses"] = self.near_misses
        return data


def verify(journal: Journal, selection: JournalFilter, expectation: Expectation) -> Verdict:
    """Count the entries ``selection`` matches; on failure, list the closest entries that did not."""
    matched = len(journal.select(selection))
    holds = expectation.holds(matched)
    misses = [] if holds else near_misses(journal.entries(), selection)
    return Verdict(holds=holds, matched=matched, expected=expectation.describe(), near_misses=misses)


def near_misses(entries: list[JournalEntry], selection: JournalFilter) -> list[dict[str, Any]]:
    """Entries that almost matched, closest first, each with exactly the fields that differed.

    Candidates are in the selection's api and time window and either have the wanted operation (with
    other parameters or tenant) or an operation whose name is similar.
    """
    scored = []
    similarities: dict[str, float] = {}  # per operation name: a journal holds few distinct ones
    for entry in entries:
        if not selection.scope(entry):
            continue
        differences = []
        similarity = 1.0
        if selection.operation is not None and entry.operation != selection.operation:
            name = entry.operation or ""
            if name not in similarities:
                similarities[name] = _similarity(selection.operation, name)
            similarity = similarities[name]
            if similarity < SIMILAR_OPERATION:
                continue
            differences.append({"field": "operation", "expected": selection.operation, "actual": entry.operation})
        if selection.tenant is not None and entry.tenant != selection.tenant:
            differences.append({"field": "tenant", "expected": selection.tenant, "actual": entry.tenant})
        differences += param_differences(selection.params or {}, entry.params)
        if differences:  # none: the entry matched, so it is no miss
            scored.append((-similarity, len(differences), -entry.id, entry, differences))
    closest = heapq.nsmallest(NEAR_MISS_LIMIT, scored, key=lambda item: item[:3])
    return [_summary(entry, differences) for *_, entry, differences in closest]


def _similarity(wanted: str, actual: str) -> float:
    if wanted.lower() == actual.lower():
        return 0.99
    return difflib.SequenceMatcher(None, wanted.lower(), actual.lower()).ratio()


def _summary(entry: JournalEntry, differences: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "time": entry.time,
        "api": entry.api,
        "operation": entry.operation,
        "tenant": entry.tenant,
        "status": entry.status,
        "params": entry.params,
        "differences": differences,
    }
