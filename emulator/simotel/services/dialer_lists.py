"""Autodialer record collections (contacts, number groups, campaigns, campaign audio, trunk managers),
each declared once for the generic CRUD mechanism (reference §3.12). Campaign dialing itself lives in
``services/autodialer.py``; this module only stores campaigns and tells it when one changed."""

from __future__ import annotations

import csv
import io
from typing import Any

from emulator.simotel import query
from emulator.simotel.context import SimotelCall
from emulator.simotel.dates import from_input, jalali, mongo_date
from emulator.simotel.errors import InvalidField, OperationFailed
from emulator.simotel.resources import Resource
from emulator.simotel.services import autodialer, files
from emulator.simotel.services.pbx import NUMBER_EXISTS

CAMPAIGN_FIELDS = (
    "name", "trunk_manager_id", "interface_context", "interface_text", "numbers", "groups", "try_interval",
    "try", "start", "end", "announcement", "description", "count",
)  # fmt: skip


def _numbers(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", "\n").splitlines()]
    if not isinstance(value, list):
        raise InvalidField("numbers")
    return [str(number).strip() for number in value if str(number).strip()]


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def csv_numbers(content: bytes) -> list[str]:
    """The numbers of an uploaded CSV: the first cell of every row that holds digits."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig", errors="replace")))
    cells = (row[0].strip() for row in reader if row)
    return [cell for cell in cells if _ascii_digits(cell.lstrip("+"))]


def _group_prepare(call: SimotelCall, values: dict[str, Any], _old: dict[str, Any] | None) -> None:
    """``numbers`` as a list of strings (or read from an uploaded CSV named ``filename``); ``count``."""
    if "numbers" not in values and values.get("filename"):
        upload = files.find(call.state, str(values["filename"]))
        if upload is None:
            raise OperationFailed()
        values["numbers"] = csv_numbers(files.content(upload))
    if "numbers" in values:
        values["numbers"] = _numbers(values["numbers"])
        values["count"] = len(values["numbers"])
    elif _old is None:
        values.update(numbers=[], count=0)


def _group_view(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key, "") for key in ("_id", "name", "description", "count", "date")}


def _group_updated(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    moment = query.instant(record.get("date"))
    return {
        "name": record.get("name", ""),
        "numbers": record.get("numbers", []),
        "description": record.get("description", ""),
        "date": mongo_date(moment or 0),
        "count": record.get("count", 0),
    }


def _campaign_prepare(call: SimotelCall, values: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Gregorian ``start``/``end`` inputs stored in Jalali with ``isoStart``/``isoEnd``; new ones wait."""
    for name, iso in (("start", "isoStart"), ("end", "isoEnd")):
        if query.is_empty(values.get(name)):
            continue
        try:
            moment = from_input(str(values[name]))
        except ValueError as exc:
            raise InvalidField(name) from exc
        values[name], values[iso] = jalali(moment), mongo_date(moment)
    for name in ("numbers", "groups"):
        if name in values:
            values[name] = _numbers(values[name])
    if old is None:
        values.setdefault("numbers", [])
        values.setdefault("groups", [])
        values.update(status="waiting", repeat=0)


def _campaign_saved(call: SimotelCall, record: dict[str, Any]) -> None:
    autodialer.on_saved(call, record)


def _campaign_removed(call: SimotelCall, record: dict[str, Any]) -> None:
    autodialer.on_removed(call, str(record["_id"]))


def _announcement_view(call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    upload = files.find(call.state, str(record.get("filename", "")))
    file_data = None if upload is None else {"filename": upload["filename"], "size": upload["size"]}
    return {**record, "description": record.get("description", ""), "fileData": file_data}


CONTACTS = Resource(
    "autodialer/contacts", "autodialer_contacts", ("name", "number", "description", "group", "status"),
    required=("name", "number"), unique=("number",), duplicate=NUMBER_EXISTS,
    conditions=("name", "number", "description", "status"), paginated=True, default_sort={"name": 1},
    identities={"number": "number"}, null_id=True,
)  # fmt: skip
GROUPS = Resource(
    "autodialer/groups", "autodialer_groups", ("name", "numbers", "description", "filename"),
    required=("name",), unique=("name",), conditions=("name", "description"), paginated=True,
    identities={"name": "name"}, prepare=_group_prepare, view=_group_view, update_reply=_group_updated,
)  # fmt: skip
CAMPAIGNS = Resource(
    "autodialer/campaigns", "autodialer_campaigns", CAMPAIGN_FIELDS, required=("name", "trunk_manager_id"),
    unique=("name",), conditions=("name", "description", "status"), paginated=True,
    identities={"name": "name"}, prepare=_campaign_prepare, update_reply=lambda _call, _record: {"count": 0},
    on_added=_campaign_saved, on_updated=_campaign_saved, on_removed=_campaign_removed,
)  # fmt: skip
DIALER_ANNOUNCEMENTS = Resource(
    "autodialer/announcements", "autodialer_announcements", ("name", "filename", "description"),
    required=("name", "filename"), unique=("name",), conditions=("name",), identities={"name": "name"},
    view=_announcement_view,
)  # fmt: skip
TRUNK_MANAGERS = Resource(
    "autodialer/trunks", "autodialer_trunks", ("title", "status", "wait_cache_length", "capacity", "dial_interval"),
    conditions=("title",), actions=("search", "update"), identities={"name": "title", "title": "title"},
)  # fmt: skip

RESOURCES = (CONTACTS, GROUPS, CAMPAIGNS, DIALER_ANNOUNCEMENTS, TRUNK_MANAGERS)
