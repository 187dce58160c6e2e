"""Secrets replaced by stable placeholders when an exchange is written.

The names that hold secrets are the emulator's own rules (``core/observe/redact.is_secret_name``:
passwords, tokens, API keys, ``Authorization``, session ids, cookies). A secret's value becomes
``<kind:N>``; the same value gets the same placeholder everywhere in a recording session (a token a
``Login`` answer gave and the requests that use it), so a replay can follow it. ``Authorization``
keeps its scheme (``Basic <basic:1>``). With ``phones=True`` phone numbers in any value become
``<phone:N>``, each number always the same placeholder. Nothing here keeps the secrets: only the
map from value to placeholder lives, in memory, for the session.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.core.observe.redact import is_secret_name

# ``account`` is never made by the recorder: hand-written exchanges use it for the tenant's number.
PLACEHOLDER = re.compile(r"<(token|password|basic|bearer|apikey|session|secret|phone|account):(\d+)>")
# Israeli numbers as the two APIs take them: 05x/07x/0[2-4,8,9] local, or 972 / +972 international.
PHONE = re.compile(r"(?<!\d)(?:\+?972-?|0)(?:5\d|7\d|[234689])-?\d{3}-?\d{4}(?!\d)")
_MAX_DEPTH = 64


def secret_kind(name: str) -> str:
    """The placeholder kind of a secret field: ``password``, ``token``, ``apikey``, ``session``..."""
    flat = "".join(ch for ch in name.lower() if ch.isalnum())
    if "apikey" in flat:
        return "apikey"
    if "session" in flat or "cookie" in flat:
        return "session"
    if "token" in flat:
        return "token"
    if "pass" in flat or flat in {"pwd", "pin"}:
        return "password"
    return "secret"


class Redactor:
    """One recording session's placeholders; ``phones`` also maps phone numbers."""

    def __init__(self, phones: bool = False) -> None:
        self.phones = phones
        self._placeholders: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder of ``value``; the first kind it was seen as names it."""
        known = self._placeholders.get(value)
        if known is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            known = self._placeholders[value] = f"<{kind}:{self._counts[kind]}>"
        return known

    def field(self, name: Any, value: Any) -> Any:
        """A value under ``name`` (a parameter, header or JSON key), redacted if the name says so."""
        if isinstance(name, str) and is_secret_name(name):
            return self._secret(name, value)
        return self.value(value)

    def _secret(self, name: str, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, bool) or value == "":
            return value
        if isinstance(value, dict):
            return self.mapping(value, depth + 1)
        if isinstance(value, list):
            return [self._secret(name, item, depth + 1) for item in value]
        text = str(value)
        if name.lower().replace("-", "").endswith("authorization"):
            scheme, space, credentials = text.strip().partition(" ")
            if space and credentials:
                kind = "basic" if scheme.lower() == "basic" else "bearer"
                return f"{scheme} {self.placeholder(kind, credentials.strip())}"
        return self.placeholder(secret_kind(name), text)

    def value(self, value: Any, depth: int = 0) -> Any:
        """Any value: secrets inside objects by their names; phone numbers when asked."""
        if depth > _MAX_DEPTH:
            return value
        if isinstance(value, dict):
            return self.mapping(value, depth + 1)
        if isinstance(value, list):
            return [self.value(item, depth + 1) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def mapping(self, mapping: dict[Any, Any], depth: int = 0) -> dict[Any, Any]:
        if depth > _MAX_DEPTH:
            return mapping
        return {
            key: self.field(key, item) if isinstance(key, str) else self.value(item, depth)
            for key, item in mapping.items()
        }

    def pairs(self, pairs: list[list[str]]) -> list[list[Any]]:
        """``[[name, value], ...]`` (a query or a form) with secret values replaced."""
        return [[name, self.field(name, value)] for name, value in pairs]

    def text(self, text: str) -> str:
        """Free text: phone numbers replaced when asked, and secrets it already named elsewhere."""
        if self.phones:
            text = PHONE.sub(lambda match: self.placeholder("phone", _digits(match.group(0))), text)
        for secret, placeholder in self._placeholders.items():
            if len(secret) >= 8 and secret in text:  # (short values would rewrite innocent text)
                text = text.replace(secret, placeholder)
        return text

    def body(self, description: dict[str, Any]) -> dict[str, Any]:
        """A body description (``bodies.describe``) with its secrets replaced."""
        if "json" in description:
            return {"json": self.value(description["json"])}
        if "form" in description:
            return {"form": self.pairs(description["form"])}
        if "text" in description:
            return {"text": self.text(description["text"])}
        if "multipart" in description:
            parts = [
                {**part, "value": self.field(part.get("name") or "", part["value"])} if "value" in part else part
                for part in description["multipart"]
            ]
            return {"multipart": parts}
        return description


def _digits(number: str) -> str:
    """One number written with or without dashes, or as +972 / 972, maps to one placeholder."""
    digits = re.sub(r"\D", "", number)
    return "0" + digits[3:] if digits.startswith("972") else digits
