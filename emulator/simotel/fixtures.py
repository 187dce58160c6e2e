"""Build Simotel state from the ``simotel`` section of a fixture file."""

from __future__ import annotations

from typing import Any

from faker import Faker

from emulator.simotel import generate, resources
from emulator.simotel.state import ApiAccount, SimotelSettings, SimotelState, WebhookSettings

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "allow_all_ips": {"type": "boolean"},
                "allowed_ips": {"type": "array", "items": {"type": "string"}},
                "strict": {"type": "boolean"},
                "webhook": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "url": {"type": "string"},
                        "method": {"enum": ["G4", "Rest4", "GET"]},
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "events": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
        "accounts": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["username", "password"],
                "properties": {
                    "username": {"type": "string", "minLength": 1},
                    "password": {"type": "string"},
                    "token": {"type": "string"},
                    "auth_mode": {"enum": ["basic", "key", "both"]},
                    "enabled": {"type": "boolean"},
                    "permissions": {"type": "array", "items": {"type": "string"}},
                    "strict": {"type": "boolean"},
                },
            },
        },
        "collections": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        },
        "generate": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "cdr": {"type": "integer", "minimum": 0, "maximum": 100000},
                "agent": {"type": "integer", "minimum": 0, "maximum": 100000},
                "voicemail_inbox": {"type": "integer", "minimum": 0, "maximum": 100000},
            },
        },
    },
}


def build(section: dict[str, Any], faker: Faker, anchor: float) -> SimotelState:
    """Create accounts, settings and declared records; report history is generated before ``anchor``."""
    settings = dict(section.get("settings", {}))
    webhook = WebhookSettings(**settings.pop("webhook", {}))
    state = SimotelState(
        accounts={spec["username"]: ApiAccount(**spec) for spec in section.get("accounts", [])},
        settings=SimotelSettings(**settings, webhook=webhook),
    )
    for name, records in section.get("collections", {}).items():
        for record in records:
            resources.seed(state, name, record, anchor)  # gives each record an ``_id`` and a ``date``
    generate.history(state, section.get("generate", {}), faker, anchor)
    return state
