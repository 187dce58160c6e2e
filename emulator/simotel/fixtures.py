"""Build Simotel state from the ``simotel`` section of a fixture file."""

from __future__ import annotations

from typing import Any

from faker import Faker

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
            "properties": {"cdr": {"type": "integer", "minimum": 0, "maximum": 100000}},
        },
    },
}


def build(section: dict[str, Any], faker: Faker, anchor: float) -> SimotelState:
    """Create accounts, settings and declared records; CDRs are generated before ``anchor``."""
    settings = dict(section.get("settings", {}))
    webhook = WebhookSettings(**settings.pop("webhook", {}))
    state = SimotelState(
        accounts={spec["username"]: ApiAccount(**spec) for spec in section.get("accounts", [])},
        settings=SimotelSettings(**settings, webhook=webhook),
    )
    for name, records in section.get("collections", {}).items():
        state.collections[name] = [dict(record) for record in records]
    cdrs = state.collections.setdefault("cdr", [])
    for _ in range(section.get("generate", {}).get("cdr", 0)):
        start = anchor - faker.pyfloat(min_value=0, max_value=30 * 86_400.0)
        billsec = faker.pyint(min_value=0, max_value=600)
        cdrs.append(
            {
                "_id": f"{state.next_object_id:024x}",
                "starttime": round(start, 3),
                "src": faker.numerify("09#########"),
                "dst": str(faker.pyint(min_value=100, max_value=999)),
                "src_name": faker.name(),
                "disposition": "ANSWERED" if billsec else faker.random_element(["NO ANSWER", "BUSY", "FAILED"]),
                "duration": billsec + faker.pyint(min_value=0, max_value=30),
                "billsec": billsec,
                "type": faker.random_element(["incoming", "outgoing", "internal"]),
            }
        )
        state.next_object_id += 1
    cdrs.sort(key=lambda record: record.get("starttime", 0))
    return state
