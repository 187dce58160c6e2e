"""The one phone-list expander of Yemot (reference §1.6), shared by SendSms, RunTzintuk, SendTTS...

``expand(system, phones, tzintuk_lists=None, ...)`` reads every documented form:

- colon list ``"0501234567:0527654321"`` (one number alone too);
- ``"tpl:X"``: the entries of distribution list ``X`` (``YemotSystem.distribution_lists``), else of
  the Campaign API template whose id is ``X``;
- ``"tzl:X"`` / ``"tzl:X,Y,Z"``: free-tzintuk lists, at most ``MAX_TZINTUK_LISTS`` per call, a
  number on several lists once; ``"tzl:"`` plus ``tzintuk_lists=[...]`` for names with commas;
- JSON arrays: ``["050...", ...]``, ``[{"phone", "callerId"}, ...]`` and groups
  ``[{"phones": [...], "callerId"}, ...]`` (a JSON text of these in a form field works too).

The result keeps the numbers to dial in order, each with its own caller ID if one was given,
and an ``errors`` map phone -> ``blocked`` (blocked on its list, or a blocked handset),
``double`` (already in this request) or ``notValid`` (``core.phones`` rejects it).
Callers check the per-number caller IDs (``caller_ids.resolve``) and bill ``len(targets)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import msgspec

from emulator.core.http import jsonsafe
from emulator.core.sim import phones as phone_rules
from emulator.yemot.errors import PhoneListError, TzintukListNotFound
from emulator.yemot.state import ListEntry, YemotSystem

MAX_TZINTUK_LISTS = 50
_PHONE = attrgetter("phone")
BLOCKED, DOUBLE, NOT_VALID = "blocked", "double", "notValid"


class Target(msgspec.Struct, frozen=True):
    """One number to dial: its own caller ID (JSON forms) and the tzintuk list it came from.

    (A Struct: built in C, one per dialled number.)
    """

    phone: str
    caller_id: str | None = None
    list_name: str | None = None


@dataclass
class Expansion:
    """What a ``phones`` value means: ``source`` is ``explicit``, ``tpl`` or ``tzl``."""

    source: str
    targets: list[Target] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    lists: list[str] = field(default_factory=list)
    dialled: set[str] = field(default_factory=set, repr=False)  # the phones of ``targets``, for O(1) repeats

    @property
    def free_lists(self) -> bool:
        """Whether the numbers come from free tzintuk lists (free for RunTzintuk)."""
        return self.source == "tzl"

    @property
    def phones(self) -> list[str]:
        return list(map(_PHONE, self.targets))


def expand(
    system: YemotSystem,
    phones: Any,
    tzintuk_lists: Any = None,
    *,
    allow_tzl: bool = True,
    blocked_handset: Callable[[str], bool] | None = None,
) -> Expansion:
    """Expand ``phones`` for ``system``; raise ``PhoneListError`` / ``TzintukListNotFound`` when unreadable.

    ``blocked_handset(number)`` (e.g. the telephony engine's plan) marks numbers ``blocked``.
    """
    raw = _parse(phones)
    if isinstance(raw, list):
        expansion = Expansion("explicit")
        for item in raw:
            for phone, caller_id in _json_item(item):
                _add(expansion, phone, caller_id, None, False, blocked_handset)
        return expansion
    text = raw.strip()
    if text.startswith("tzl:"):
        if not allow_tzl:
            raise PhoneListError("tzl: lists can not be used here")
        return _from_tzintuk_lists(system, text[4:], tzintuk_lists, blocked_handset)
    if text.startswith("tpl:"):
        return _from_template(system, text[4:].strip(), blocked_handset)
    expansion = Expansion("explicit")
    for phone in text.split(":"):
        if phone.strip():
            _add(expansion, phone, None, None, False, blocked_handset)
    return expansion


def _parse(phones: Any) -> str | list[Any]:
    if phones is None:
        raise PhoneListError("phones is required")
    if isinstance(phones, list):
        return phones
    if isinstance(phones, (int, float)) and not isinstance(phones, bool):
        return str(phones)
    if not isinstance(phones, str):
        raise PhoneListError("phones must be a colon list, tpl:X, tzl:X or a JSON array")
    text = phones.strip()
    if text.startswith("["):
        try:
            parsed = jsonsafe.loads(text)
        except ValueError as exc:
            raise PhoneListError("phones is not valid JSON") from exc
        if isinstance(parsed, list):
            return parsed
    if not text:
        raise PhoneListError("phones is required")
    return text


def _json_item(item: Any) -> list[tuple[Any, str | None]]:
    """The (phone, callerId) pairs of one JSON array item."""
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        return [(item, None)]
    if isinstance(item, dict):
        caller_id = item.get("callerId")
        caller_id = None if caller_id in (None, "") else str(caller_id)
        if "phones" in item and isinstance(item["phones"], list):
            return [(phone, caller_id) for phone in item["phones"]]
        if "phone" in item:
            return [(item["phone"], caller_id)]
    raise PhoneListError("each phones item must be a number, {phone, callerId} or {phones: [...], callerId}")


def _add(
    expansion: Expansion,
    phone: Any,
    caller_id: str | None,
    list_name: str | None,
    blocked: bool,
    blocked_handset: Callable[[str], bool] | None,
) -> None:
    number = phone_rules.normalize(phone)
    if not number:
        return
    if number in expansion.dialled or number in expansion.errors:
        if number not in expansion.errors:
            expansion.errors[number] = DOUBLE
        return
    if not phone_rules.is_valid(number, "yemot"):
        expansion.errors[number] = NOT_VALID
    elif blocked or (blocked_handset is not None and blocked_handset(number)):
        expansion.errors[number] = BLOCKED
    else:
        expansion.targets.append(Target(number, caller_id, list_name))
        expansion.dialled.add(number)


def _list_names(spec: str, names: Any) -> list[str]:
    if spec.strip():
        chosen = [name.strip() for name in spec.split(",") if name.strip()]
    elif isinstance(names, list):
        chosen = [str(name).strip() for name in names if str(name).strip()]
    elif isinstance(names, str) and names.strip():
        chosen = [name.strip() for name in names.split(",") if name.strip()]
    else:
        raise PhoneListError("tzl: needs list names (tzl:X,Y or tzintukLists)")
    if len(chosen) > MAX_TZINTUK_LISTS:
        raise PhoneListError(f"tzl: at most {MAX_TZINTUK_LISTS} lists per call")
    unique: list[str] = []
    for name in chosen:
        if name not in unique:
            unique.append(name)
    return unique


def _from_tzintuk_lists(
    system: YemotSystem, spec: str, names: Any, blocked_handset: Callable[[str], bool] | None
) -> Expansion:
    expansion = Expansion("tzl")
    for name in _list_names(spec, names):
        tz_list = system.tzintuk_lists.get(name)
        if tz_list is None:
            raise TzintukListNotFound(name)
        expansion.lists.append(name)
        for entry in tz_list.entries:
            if not entry.active:
                continue
            if phone_rules.normalize(entry.phone) in expansion.dialled:
                continue  # a number on several lists gets one call
            _add(expansion, entry.phone, None, name, entry.blocked, blocked_handset)
    return expansion


def _template_entries(system: YemotSystem, name: str) -> list[ListEntry] | None:
    """A fixture distribution list ``name``, else the entries of the Campaign API template with that id."""
    entries = system.distribution_lists.get(name)
    if entries is not None:
        return entries
    for template in system.campaign_book.templates:
        if str(template.template_id) == name:
            return [ListEntry(phone=e.phone, name=e.name, blocked=e.blocked) for e in template.entries]
    return None


def _from_template(system: YemotSystem, name: str, blocked_handset: Callable[[str], bool] | None) -> Expansion:
    entries = _template_entries(system, name)
    if entries is None:
        raise PhoneListError(f"tpl:{name} does not exist")
    expansion = Expansion("tpl", lists=[name])
    for entry in entries:
        _add(expansion, entry.phone, None, None, entry.blocked, blocked_handset)
    return expansion
