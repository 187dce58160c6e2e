"""The ``phones`` of RunCampaign and the ``value`` of CampaignAction add/block/hangup.

Accepted: a colon list ``05...:05...``; a JSON object ``{"<phone>": {"name", "moreinfo", "text",
"blocked"}}`` (a phone may map to a plain string, taken as its name); that object as JSON text in
a form field; a JSON array of numbers. Numbers are checked by ``core.phones``; each phone is kept
once, in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot.errors import PhoneListError

MAX_PHONES = 100_000
NOT_VALID, DOUBLE = "notValid", "double"


@dataclass
class PhoneSpec:
    phone: str
    name: str | None = None
    moreinfo: str | None = None
    text: str | None = None
    blocked: bool = False


@dataclass
class Parsed:
    specs: list[PhoneSpec]
    errors: dict[str, str]


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise PhoneListError("phones is not valid JSON") from exc
    return value


def _items(value: Any) -> list[tuple[Any, Any]]:
    value = _decode(value)
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        return [(item, None) for item in value]
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return [(part, None) for part in str(value).split(":") if part.strip()]
    raise PhoneListError("phones must be a colon list or a JSON object of phones")


def parse(value: Any) -> Parsed:
    """The phones of ``value`` with their details; invalid and repeated numbers go to ``errors``."""
    items = _items(value)
    if len(items) > MAX_PHONES:
        raise PhoneListError(f"at most {MAX_PHONES} phones per request")
    specs: list[PhoneSpec] = []
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for raw, details in items:
        phone = phone_rules.normalize(raw)
        if not phone:
            continue
        if phone in seen:
            errors[phone] = DOUBLE
            continue
        seen.add(phone)
        if not phone_rules.is_valid(phone, "yemot"):
            errors[phone] = NOT_VALID
            continue
        spec = PhoneSpec(phone)
        if isinstance(details, dict):
            spec.name, spec.moreinfo = _text(details.get("name")), _text(details.get("moreinfo"))
            spec.text = _text(details.get("text"))
            spec.blocked = details.get("blocked") in (True, 1, "1", "true")
        elif isinstance(details, str):
            spec.name = _text(details)
        specs.append(spec)
    return Parsed(specs, errors)


def echo(value: Any) -> Any:
    """The ``value`` as CampaignAction answers it: text as sent, an object with every detail key."""
    decoded = _decode(value) if isinstance(value, str) else value
    if not isinstance(decoded, dict):
        return value
    full: dict[str, Any] = {}
    for phone, details in decoded.items():
        if isinstance(details, dict):
            full[str(phone)] = {
                "name": _text(details.get("name")),
                "moreinfo": _text(details.get("moreinfo")),
                "blocked": details.get("blocked") in (True, 1, "1", "true"),
                "text": _text(details.get("text")),
            }
        else:
            full[str(phone)] = str(details)
    return full
