"""Build Simotel state from the ``simotel`` section of a fixture file."""

from __future__ import annotations

from typing import Any

from faker import Faker

from emulator.simotel import generate, resources
from emulator.simotel.catalog import RESOURCES
from emulator.simotel.dialplan import model as dialplan_model
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
        "dialplans": {"type": "object", "additionalProperties": {"type": "object"}},
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


def dialplan_problems(section: dict[str, Any]) -> list[tuple[list[Any], str]]:
    """``(path, problem)`` for each dialplan of the section that cannot be used, and for each
    collection named by a service path (``pbx/users``) instead of its record kind (``users``)."""
    problems = []
    for name in section.get("collections", {}):
        if "/" in name:
            resource = RESOURCES.get(name.strip("/"))
            hint = f": did you mean '{resource.collection}'?" if resource is not None else ""
            problems.append(
                (["simotel", "collections", name], f"collections are named by record kind, not service path{hint}")
            )
    for name, plan in section.get("dialplans", {}).items():
        try:
            dialplan_model.parse(name, plan)
        except dialplan_model.DialplanError as exc:
            problems.append((["simotel", "dialplans", name], str(exc)))
    return problems


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
    for name, plan in section.get("dialplans", {}).items():
        state.dialplans[name] = dialplan_model.parse(name, plan)  # DialplanError names the problem
    generate.history(state, section.get("generate", {}), faker, anchor)
    return state
