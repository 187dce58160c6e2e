"""Yemot API keys: permanent tokens of the form ``WU1BUElL.apik_<id>.<secret>``.

``WU1BUElL`` is base64 of ``YMAPIK``; ``<id>`` and ``<secret>`` are base64url of 16 and 32 random
bytes (22 and 43 characters), the shape of every key seen in public apps. A key is made in the
admin site's firewall screen and shown once; the system keeps only its id and a SHA-256 digest.
A key is sent alone as the token (``token=`` or the whole ``Authorization`` header) and opens no
session, like ``number:password``; a revoked or unknown key is an invalid token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from typing import Any

from emulator.yemot.state import ApiKey, YemotState, YemotSystem

PREFIX = "WU1BUElL.apik_"  # base64("YMAPIK") + "."
SHAPE = re.compile(r"WU1BUElL\.apik_([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,128})")
MAX_NOTE = 200
MAX_KEYS = 100  # per system


class ApiKeyError(ValueError):
    """A key that cannot be made or loaded (bad shape, a duplicate, too many)."""


def looks_like_key(token: str) -> bool:
    return token.startswith(PREFIX)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _urlsafe(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def find(state: YemotState, token: str) -> tuple[YemotSystem, ApiKey] | None:
    """The system and live (unrevoked) key ``token`` is, or None."""
    match = SHAPE.fullmatch(token)
    if match is None:
        return None
    wanted = digest(token)
    for system in state.systems.values():
        for key in system.api_keys:
            if key.id == match.group(1):
                live = key.revoked is None and hmac.compare_digest(key.digest, wanted)
                return (system, key) if live else None
    return None


def add(state: YemotState, system: YemotSystem, key: str, *, note: str, now: float) -> ApiKey:
    """Give ``system`` the key ``key`` (its whole text); ``ApiKeyError`` if malformed or taken."""
    match = SHAPE.fullmatch(key)
    if match is None:
        raise ApiKeyError("an API key looks like WU1BUElL.apik_<id>.<secret> (base64url characters)")
    if len(note) > MAX_NOTE:
        raise ApiKeyError(f"note is longer than {MAX_NOTE} characters")
    if len(system.api_keys) >= MAX_KEYS:
        raise ApiKeyError(f"system {system.number} already has {MAX_KEYS} API keys")
    if any(k.id == match.group(1) for s in state.systems.values() for k in s.api_keys):
        raise ApiKeyError(f"API key id {match.group(1)!r} is taken")
    made = ApiKey(id=match.group(1), digest=digest(key), note=note, created=now)
    system.api_keys.append(made)
    return made


def create(state: YemotState, system: YemotSystem, *, note: str, now: float) -> tuple[ApiKey, str]:
    """A new key for ``system``: its record and its text, which is never shown again.

    Made from the operating system's randomness, not the seed: a key is a credential, and a served
    emulator's seed is often public (a test reads the key from the answer, never recomputes it)."""
    key = PREFIX + _urlsafe(secrets.token_bytes(16)) + "." + _urlsafe(secrets.token_bytes(32))
    return add(state, system, key, note=note, now=now), key


def revoke(system: YemotSystem, key_id: str, now: float) -> ApiKey | None:
    """Revoke ``system``'s key ``key_id`` (it keeps its row); None if it has no such key."""
    for key in system.api_keys:
        if key.id == key_id:
            if key.revoked is None:
                key.revoked = now
            return key
    return None


def from_fixture(state: YemotState, system: YemotSystem, items: list[Any], anchor: float) -> None:
    """Load a fixture's ``api_keys``: each a key's text, or ``{key, note}``."""
    for item in items:
        key, note = (item, "") if isinstance(item, str) else (item["key"], item.get("note", ""))
        add(state, system, key, note=note, now=anchor)


def fixture_problems(section: dict[str, Any]) -> Iterator[tuple[list[Any], str]]:
    """(path, problem) for each fixture API key whose id another key of the fixture already has
    (the schema has checked every key's shape)."""
    seen: set[str] = set()
    for s_index, system in enumerate(section.get("systems", [])):
        for k_index, item in enumerate(system.get("api_keys", [])):
            match = SHAPE.fullmatch(item if isinstance(item, str) else item["key"])
            if match is not None and match.group(1) in seen:
                yield ["yemot", "systems", s_index, "api_keys", k_index], f"API key id {match.group(1)!r} is taken"
            elif match is not None:
                seen.add(match.group(1))


FIXTURE_SCHEMA = {
    "type": "array",
    "maxItems": MAX_KEYS,
    "description": "API keys of the system, in full (`WU1BUElL.apik_<id>.<secret>`), or `{key, note}`.",
    "items": {
        "oneOf": [
            {"type": "string", "pattern": f"^{SHAPE.pattern}$"},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["key"],
                "properties": {
                    "key": {"type": "string", "pattern": f"^{SHAPE.pattern}$"},
                    "note": {"type": "string", "maxLength": MAX_NOTE},
                },
            },
        ]
    },
}
