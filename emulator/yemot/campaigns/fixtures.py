"""The ``templates`` of a Yemot system in a fixture: Campaign API templates with their entries."""

from __future__ import annotations

from typing import Any

from emulator.yemot.campaigns.state import Template, TemplateEntry
from emulator.yemot.state import YemotSystem

TEMPLATE_ENTRY = {
    "description": "A number, or {phone, name, moreinfo, blocked}.",
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["phone"],
            "properties": {
                "phone": {"type": "string"},
                "name": {"type": "string"},
                "moreinfo": {"type": "string"},
                "blocked": {"type": "boolean"},
            },
        },
    ],
}

TEMPLATE = {
    "type": "object",
    "additionalProperties": False,
    "description": "A campaign template; the first one (or the one marked customer_default) is the default.",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "description": {"type": "string"},
        "customer_default": {"type": "boolean"},
        "caller_id": {"type": "string"},
        "incoming_policy": {"enum": ["OPEN", "BLACKLIST", "WHITELIST", "BLOCKED"]},
        "max_active_channels": {"type": "integer", "minimum": 1},
        "max_bridged_channels": {"type": "integer", "minimum": 0},
        "originate_timeout": {"type": "number", "minimum": 1},
        "vm_detect": {"type": "boolean"},
        "filter_enabled": {"type": "boolean"},
        "max_dial_attempts": {"type": "integer", "minimum": 1},
        "redial_wait": {"type": "number", "minimum": 0},
        "redial_policy": {"enum": ["NONE", "CONGESTIONS", "FAILED"]},
        "yemot_context": {"enum": ["SIMPLE", "REPEAT", "MESSAGE", "VOICEMAIL", "BRIDGE", "OTHER"]},
        "bridge_to": {"type": "string"},
        "play_private_msg": {"type": "boolean"},
        "remove_request": {"enum": ["SILENT", "WITH_MESSAGE"]},
        "entries": {"type": "array", "items": TEMPLATE_ENTRY},
    },
}


def build(system: YemotSystem, specs: list[dict[str, Any]]) -> None:
    """Fixture templates with their entries; without ``id`` they are numbered like CreateTemplate's."""
    book = system.campaign_book
    for spec in specs:
        ident = spec.get("id", book.next_template_id)
        book.next_template_id = max(book.next_template_id, ident + 1)
        settings = {key: value for key, value in spec.items() if key not in ("id", "entries")}
        template = Template(template_id=ident, caller_id=system.number, **settings)
        for item in spec.get("entries", []):
            fields = {"phone": item} if isinstance(item, str) else item
            template.entries.append(TemplateEntry(rowid=template.next_rowid, **fields))
            template.next_rowid += 1
        book.templates.append(template)
    if book.templates and not any(template.customer_default for template in book.templates):
        book.templates[0].customer_default = True
