"""Documented-message rules: when an answer matches, its message must be one the documentation names.

Each API's rules live in its package (``emulator/<api>/conformance.py``); the conformance checks
apply them through the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MessageRule:
    """When ``applies`` holds for an answer, its message must be one of ``allowed`` (or match ``pattern``)."""

    name: str
    # The values of the API's status key (``Conformance.status_key``), as strings. Empty means any.
    when_status: frozenset[str]
    # Only answers whose message matches this regex are concerned (None: every answer).
    trigger: re.Pattern[str] | None
    allowed: frozenset[str] = field(default_factory=frozenset)
    pattern: re.Pattern[str] | None = None

    def applies(self, status: str, message: str) -> bool:
        if self.when_status and status not in self.when_status:
            return False
        return self.trigger is None or bool(self.trigger.search(message))

    def accepts(self, message: str) -> bool:
        return message in self.allowed or bool(self.pattern and self.pattern.search(message))


def rule(
    name: str, statuses: set[str], trigger: str | None, allowed: set[str], pattern: str | None = None
) -> MessageRule:
    return MessageRule(
        name=name,
        when_status=frozenset(statuses),
        trigger=re.compile(trigger, re.IGNORECASE) if trigger else None,
        allowed=frozenset(allowed),
        pattern=re.compile(pattern) if pattern else None,
    )
