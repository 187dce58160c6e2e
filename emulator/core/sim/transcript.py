"""What a simulated caller heard, keyed and caused: an ordered, timestamped transcript of one call.

Every IVR interpreter (Yemot's extension tree and API module, Simotel's dialplan) records into
the same shape, so tests read calls of both APIs alike. An entry is emulator time (POSIX
seconds), a ``kind`` and a JSON-able ``data`` dict whose keys depend on the kind:

========== ===================================================================================
kind       data
========== ===================================================================================
play       ``parts``: list of decoded message parts (``type`` plus ``text``/``path``/``digits``/
           ``number``/``code``...), ``seconds``: simulated playing time
input      ``variable`` (or ``None``), ``keys``: what the caller keyed or said, ``mode``
request    ``url``, ``method``, ``params``: list of ``[name, value]`` pairs in the order sent
reply      ``status``, ``text``: raw body, ``directives``: parsed actions
goto       ``from``, ``to``, ``reason``
error      ``code`` (e.g. ``M1607``), ``message``, optional ``text``: the offending input
hangup     ``by``: ``caller``/``system``, ``where``: the folder at hang-up
record     ``path``, ``seconds``
queue      ``queue``, ``folder``
note       free ``message``: anything else worth knowing (a module the engine skips...)
========== ===================================================================================

The transcript is bounded: after ``MAX_ENTRIES`` one ``error`` entry with code ``limit`` is
recorded and further entries are dropped, so a service that loops forever cannot exhaust memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.core.sim.clock import format_instant

KINDS = ("play", "input", "request", "reply", "goto", "error", "hangup", "record", "queue", "note")
MAX_ENTRIES = 2000


@dataclass
class TranscriptEntry:
    """One thing that happened on a call, at emulator time ``at`` (POSIX seconds)."""

    at: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"at": format_instant(self.at), "kind": self.kind, **self.data}


@dataclass
class Transcript:
    """The ordered entries of one call (serialisable, so snapshots keep it)."""

    entries: list[TranscriptEntry] = field(default_factory=list)
    truncated: bool = False

    def add(self, at: float, kind: str, /, **data: Any) -> TranscriptEntry | None:
        """Append an entry; ``None`` once the transcript is full."""
        if kind not in KINDS:
            raise ValueError(f"unknown transcript kind {kind!r}")
        if "at" in data or "kind" in data:
            raise ValueError("'at' and 'kind' are reserved in transcript data")
        if self.truncated:
            return None
        if len(self.entries) >= MAX_ENTRIES - 1:
            self.truncated = True
            self.entries.append(TranscriptEntry(at, "error", {"code": "limit", "message": "transcript is full"}))
            return None
        entry = TranscriptEntry(at, kind, data)
        self.entries.append(entry)
        return entry

    def cut_after(self, at: float) -> int:
        """Drop entries later than ``at`` (what an interpreter foresaw but the call did not live to
        hear, e.g. after a hang-up from outside); return how many were dropped."""
        kept = [entry for entry in self.entries if entry.at <= at]
        dropped = len(self.entries) - len(kept)
        self.entries = kept
        return dropped

    def of_kind(self, kind: str) -> list[TranscriptEntry]:
        """The entries of one kind, in order."""
        return [entry for entry in self.entries if entry.kind == kind]

    def __len__(self) -> int:
        return len(self.entries)

    def to_json(self) -> list[dict[str, Any]]:
        """The wire form: ``{"at": ISO-8601, "kind": ..., **data}`` per entry."""
        return [entry.to_json() for entry in self.entries]
