"""The parity rules file: which fields are volatile, which are the APIs' documented strings.

The shipped file (``emulator/parity/rules.yaml``) is the default; a recording's own ``rules.yaml``
(or ``--rules FILE``) replaces it whole. See the shipped file for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from emulator.core.persist import yaml_bounds
from emulator.parity.exchange import RecordingError

SHIPPED = Path(__file__).with_name("rules.yaml")
MAX_RULES_BYTES = 256 * 1024


@dataclass
class Rules:
    """Volatile field names (exact or patterns), volatile value patterns, envelope fields per API."""

    keys: frozenset[str] = frozenset()
    key_patterns: tuple[re.Pattern[str], ...] = ()
    value_patterns: tuple[re.Pattern[str], ...] = ()
    envelope: dict[str, frozenset[str]] = field(default_factory=dict)
    source: str = ""

    def volatile(self, key: str, *values: Any) -> bool:
        """Whether a field named ``key`` (or holding any of ``values``) may differ."""
        return self._volatile_key(key) or any(
            isinstance(value, str) and any(pattern.fullmatch(value) for pattern in self.value_patterns)
            for value in values
        )

    @lru_cache(maxsize=2048)  # noqa: B019 (rules live as long as one replay)
    def _volatile_key(self, key: str) -> bool:
        return key in self.keys or any(pattern.fullmatch(key) for pattern in self.key_patterns)

    def is_envelope(self, api: str, key: str) -> bool:
        return key in self.envelope.get(api, frozenset())

    def __hash__(self) -> int:
        return id(self)


def load_rules(path: Path | None = None, recording: Path | None = None) -> Rules:
    """The rules of ``path``, else of ``recording/rules.yaml`` when it exists, else the shipped ones."""
    if path is None and recording is not None and (recording / "rules.yaml").is_file():
        path = recording / "rules.yaml"
    path = path or SHIPPED
    try:
        text = path.read_text(encoding="utf-8")
        if len(text) > MAX_RULES_BYTES:
            raise RecordingError(f"{path}: rules file larger than {MAX_RULES_BYTES} bytes")
        yaml_bounds.check_depth(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        yaml_bounds.check_expansion(node)
        document = yaml_bounds.construct(node) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, yaml_bounds.TooLarge) as exc:
        raise RecordingError(f"{path}: cannot read the rules ({exc})") from None
    return parse_rules(document, str(path))


def parse_rules(document: Any, source: str = "") -> Rules:
    if not isinstance(document, dict):
        raise RecordingError(f"{source}: the rules are a mapping")
    volatile = document.get("volatile") or {}
    names = [str(key) for key in volatile.get("keys") or []]
    try:
        patterns = tuple(re.compile(key[1:-1]) for key in names if len(key) > 2 and key[0] == key[-1] == "/")
        values = tuple(re.compile(str(value)) for value in volatile.get("values") or [])
    except re.error as exc:
        raise RecordingError(f"{source}: a pattern does not compile ({exc})") from None
    envelope = {str(api): frozenset(map(str, keys or [])) for api, keys in (document.get("envelope") or {}).items()}
    exact = frozenset(key for key in names if not (len(key) > 2 and key[0] == key[-1] == "/"))
    return Rules(exact, patterns, values, envelope, source)
