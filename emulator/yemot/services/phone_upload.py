"""UploadPhoneList: a delimited text list merged into (or replacing, or removed from) a template's entries.

Each line is ``phone<d>name...<d>moreinfo...``: the first column is the number (spaces and dashes
dropped; a 7-digit number gets ``defaultPrefix``), the next ``nameColumns`` columns make the
name and the rest the ``moreinfo``, each joined with a space. Numbers the network would refuse
are rejected ``INVALID``, a number already seen in the same upload ``DUPLICATE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot.context import YemotCall
from emulator.yemot.services import templates

MAX_LINES = 100_000
_NOISE = re.compile(r"[\s\-]")


@dataclass
class Row:
    line: int
    phone: str
    name: str | None
    moreinfo: str | None


def _delimiter(raw: Any) -> str | None:
    text = "," if raw in (None, "") else str(raw)
    if text.upper() == "TAB":
        return "\t"
    return text if len(text) == 1 else None


def _join(columns: list[str]) -> str | None:
    text = " ".join(part.strip() for part in columns if part.strip())
    return text or None


def parse(data: str, delimiter: str, name_columns: int, prefix: str | None) -> list[Row]:
    """The non-empty lines of ``data`` as rows (numbers not yet checked)."""
    rows = []
    for number, line in enumerate(data.splitlines()[:MAX_LINES], start=1):
        if not line.strip():
            continue
        columns = line.split(delimiter)
        phone = _NOISE.sub("", columns[0])
        if prefix and len(phone) == 7 and phone.isdigit():
            phone = prefix + phone
        rows.append(Row(number, phone, _join(columns[1 : 1 + name_columns]), _join(columns[1 + name_columns :])))
    return rows


def _bad_format(template_id: int) -> dict[str, Any]:
    return {
        "message": "bad_format",
        "templateId": template_id,
        "totalParsed": 0,
        "totalInserted": 0,
        "totalUpdated": 0,
        "totalRemoved": 0,
        "rejectedRecords": [],
    }


def _rejected(row: Row, blocked: bool, state: str) -> dict[str, Any]:
    return {
        "phone": row.phone,
        "name": row.name,
        "moreinfo": row.moreinfo,
        "blocked": blocked,
        "errorState": state,
        "originalRowNumber": row.line,
    }


def upload_phone_list(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    template = templates.find(system, call.params["templateId"])
    params = call.params
    delimiter = _delimiter(params.get("delimiter"))
    name_columns = params.get("nameColumns")
    name_columns = 1 if name_columns in (None, "") else int(name_columns)
    prefix = params.get("defaultPrefix") or None
    data = params["data"]
    if isinstance(data, list):
        data = "\n".join(str(line) for line in data)
    if delimiter is None or not isinstance(data, str):
        return _bad_format(template.template_id)
    rows = parse(data, delimiter, name_columns, prefix)
    if not rows:
        return _bad_format(template.template_id)
    blocked = bool(params.get("blocked"))
    mode = str(params.get("updateType") or "UPDATE").upper()
    rejected: list[dict[str, Any]] = []
    accepted: list[Row] = []
    seen: set[str] = set()
    for row in rows:
        if not phone_rules.is_valid(row.phone, "yemot"):
            rejected.append(_rejected(row, blocked, "INVALID"))
        elif row.phone in seen:
            rejected.append(_rejected(row, blocked, "DUPLICATE"))
        else:
            seen.add(row.phone)
            accepted.append(row)
    inserted = updated = removed = 0
    if mode == "REMOVE":
        before = len(template.entries)
        template.entries = [entry for entry in template.entries if entry.phone not in seen]
        removed = before - len(template.entries)
    else:
        if mode == "NEW":
            removed = len(template.entries)
            template.entries = []
        by_phone = {entry.phone: entry for entry in template.entries}
        for row in accepted:
            entry = by_phone.get(row.phone)
            if entry is None:
                templates.add_entry(template, row.phone, row.name, row.moreinfo, blocked)
                inserted += 1
            else:
                entry.name, entry.moreinfo, entry.blocked = row.name, row.moreinfo, blocked
                updated += 1
    return {
        "message": "ok",
        "templateId": template.template_id,
        "totalParsed": len(rows),
        "totalInserted": inserted,
        "totalUpdated": updated,
        "totalRemoved": removed,
        "rejectedRecords": rejected,
    }
