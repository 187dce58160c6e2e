"""Build Yemot state from the ``yemot`` section of a fixture file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from faker import Faker

from emulator.core.media import audio
from emulator.yemot import api_keys, fixture_services, ivrtree
from emulator.yemot.campaigns import fixtures as campaign_fixtures
from emulator.yemot.paths import BadPath, normalize_path
from emulator.yemot.queue_state import Queue, QueueEntry, QueueMember
from emulator.yemot.state import (
    CallerId,
    IncomingCallRow,
    ListEntry,
    SecondaryDid,
    SmsOutRow,
    TzintukList,
    TzintukLogRow,
    YemotState,
    YemotSystem,
)

_FILE = {
    "type": "object",
    "additionalProperties": False,
    "description": "One of text (UTF-8), base64, file (relative to the fixture file) or size (zero bytes).",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "text": {"type": "string"},
        "base64": {"type": "string", "contentEncoding": "base64"},
        "file": {"type": "string", "minLength": 1},
        "size": {"type": "integer", "minimum": 0, "maximum": 64 * 1024 * 1024},
    },
}

_QUEUE = {
    "type": "object",
    "additionalProperties": False,
    "description": "A queue extension keyed by its path ('.' or '/1/2'); times are seconds before the first read.",
    "properties": {
        "strategy": {"type": "string"},
        "max": {"type": "integer", "minimum": 0},
        "abandoned": {"type": "integer", "minimum": 0},
        "completed": {"type": "integer", "minimum": 0},
        "talk_time": {"type": "integer", "minimum": 0},
        "hold_time": {"type": "integer", "minimum": 0},
        "members": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["agent"],
                "properties": {
                    "agent": {"type": "string"},
                    "status": {"enum": ["1", "2"]},
                    "calls_taken": {"type": "integer", "minimum": 0},
                    "last_call_s_ago": {"type": ["integer", "null"], "minimum": 0},
                    "paused": {"type": "boolean"},
                    "penalty": {"type": "string"},
                },
            },
        },
        "entries": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["phone", "call_id"],
                "properties": {
                    "phone": {"type": "string"},
                    "waiting_s": {"type": "integer", "minimum": 0},
                    "call_id": {"type": "string"},
                },
            },
        },
    },
}

_LIST_ENTRY = {
    "description": "A number, or {phone, name, active, blocked}.",
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["phone"],
            "properties": {
                "phone": {"type": "string"},
                "name": {"type": "string"},
                "active": {"type": "boolean"},
                "blocked": {"type": "boolean"},
            },
        },
    ],
}

_TZINTUK_LIST = {
    "type": "object",
    "additionalProperties": False,
    "description": "A free-tzintuk list keyed by its name; each seeded entry logs AddToListTzintuk.",
    "properties": {"folder": {"type": "string"}, "entries": {"type": "array", "items": _LIST_ENTRY}},
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "systems": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "password"],
                "properties": {
                    "number": {"type": "string", "pattern": "^0\\d{8,9}$"},
                    "password": {"type": "string", "minLength": 1},
                    "units": {"type": "number", "minimum": 0},
                    "units_expire_date": {"type": "string", "format": "date"},
                    "sms_units": {"type": "number", "minimum": 0},
                    "name": {"type": "string"},
                    "email": {"type": "string"},
                    "organization": {"type": "string"},
                    "contact_name": {"type": "string"},
                    "phones": {"type": "string"},
                    "invoice_name": {"type": "string"},
                    "invoice_address": {"type": "string"},
                    "fax": {"type": "string"},
                    "access_password": {"type": ["string", "null"]},
                    "record_password": {"type": ["string", "null"]},
                    "system_site": {"type": "string"},
                    "ivr_type": {"type": "string"},
                    "create_phone": {"type": "string"},
                    "sip_account_limit": {"type": "integer", "minimum": 0},
                    "sip_supported": {"type": "boolean"},
                    "validation_call_threshold": {"type": "integer", "minimum": 1},
                    "secondary_dids": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "did", "usage"],
                            "properties": {
                                "id": {"type": "integer"},
                                "did": {"type": "string"},
                                "usage": {"type": "string"},
                            },
                        },
                    },
                    "caller_ids": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["caller_id", "days_valid"],
                            "properties": {
                                "caller_id": {"type": "string"},
                                "days_valid": {"type": "integer"},
                            },
                        },
                    },
                    "files": {"type": "object", "additionalProperties": _FILE},
                    "files_quota_bytes": {"type": "integer", "minimum": 0},
                    "queues": {"type": "object", "additionalProperties": _QUEUE},
                    "callback_queues": {"type": "array", "items": fixture_services.CALLBACK_QUEUE},
                    "mfa": fixture_services.MFA,
                    "api_keys": api_keys.FIXTURE_SCHEMA,
                    "generate": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "sms_out_log": {"type": "integer", "minimum": 0, "maximum": 100000},
                            "incoming_calls": {"type": "integer", "minimum": 0, "maximum": 100000},
                        },
                    },
                    "tzintuk_lists": {"type": "object", "additionalProperties": _TZINTUK_LIST},
                    "distribution_lists": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": _LIST_ENTRY},
                    },
                    "templates": {"type": "array", "items": campaign_fixtures.TEMPLATE},
                    "extra": {"type": "object"},
                },
            },
        }
    },
}

_DAY = 86_400.0


def build(section: dict[str, Any], faker: Faker, anchor: float) -> YemotState:
    """Create every declared system; generated rows fall in the 30 days before ``anchor``."""
    state = YemotState()
    for spec in section.get("systems", []):
        system = YemotSystem(
            **{key: value for key, value in spec.items() if key not in _STRUCTURED},
            secondary_dids=[SecondaryDid(**did) for did in spec.get("secondary_dids", [])],
            caller_ids=[
                CallerId(caller_id=c["caller_id"], expires=anchor + c["days_valid"] * _DAY)
                for c in spec.get("caller_ids", [])
            ],
            queues={normalize_path(path): _queue(body) for path, body in spec.get("queues", {}).items()},
            tzintuk_lists={
                name: _tzintuk_list(name, body, anchor) for name, body in spec.get("tzintuk_lists", {}).items()
            },
            distribution_lists={
                name: [_entry(item) for item in items] for name, items in spec.get("distribution_lists", {}).items()
            },
            callback_queues=[
                fixture_services.callback_queue(body, anchor, spec["number"])
                for body in spec.get("callback_queues", [])
            ],
            mfa=fixture_services.mfa(spec.get("mfa", {})),
        )
        _tree(system, spec, anchor)
        api_keys.from_fixture(state, system, spec.get("api_keys", []), anchor)
        campaign_fixtures.build(system, spec.get("templates", []))
        _generate(system, spec.get("generate", {}), faker, anchor)
        state.systems[system.number] = system
    return state


_STRUCTURED = {
    "api_keys",
    "callback_queues",
    "mfa",
    "secondary_dids",
    "caller_ids",
    "files",
    "files_quota_bytes",
    "generate",
    "queues",
    "tzintuk_lists",
    "distribution_lists",
    "templates",
}


def _entry(item: str | dict[str, Any]) -> ListEntry:
    return ListEntry(phone=item) if isinstance(item, str) else ListEntry(**item)


def _tzintuk_list(name: str, body: dict[str, Any], anchor: float) -> TzintukList:
    folder = body.get("folder", "1")
    entries = [_entry(item) for item in body.get("entries", [])]
    log = [
        TzintukLogRow(
            time=anchor, folder=folder, phone=entry.phone, type_operation="AddToListTzintuk", phone_action=entry.phone
        )
        for entry in entries
    ]
    return TzintukList(name=name, folder=folder, entries=entries, log=log)


def _queue(body: dict[str, Any]) -> Queue:
    members = [
        QueueMember(
            agent=m["agent"],
            status=m.get("status", "1"),
            calls_taken=m.get("calls_taken", 0),
            last_call_s_ago=m.get("last_call_s_ago"),
            paused=m.get("paused", False),
            penalty=m.get("penalty", "0"),
        )
        for m in body.get("members", [])
    ]
    entries = [
        QueueEntry(phone=e["phone"], call_id=e["call_id"], waiting_s=e.get("waiting_s", 0))
        for e in body.get("entries", [])
    ]
    totals = ("strategy", "max", "abandoned", "completed", "talk_time", "hold_time")
    scalars = {key: body[key] for key in totals if key in body}
    return Queue(**scalars, members=members, entries=entries)


def _tree(system: YemotSystem, spec: dict[str, Any], anchor: float) -> None:
    if "files_quota_bytes" in spec:
        system.tree.quota_bytes = spec["files_quota_bytes"]
    for path, body in spec.get("files", {}).items():
        data = file_bytes(body)
        ivrtree.put(system, normalize_path(path), data, now=anchor, source="fixture", duration=audio.wav_duration(data))


def file_bytes(body: dict[str, Any]) -> bytes:
    """The bytes a fixture ``files`` entry declares (``file`` references are inlined by ``resolve_files``)."""
    if "base64" in body:
        return base64.b64decode(body["base64"])
    if "text" in body:
        return body["text"].encode("utf-8")
    if "file" in body:
        raise ValueError("file references must be resolved against the fixture's folder first")
    return b"\0" * body.get("size", 0)


MAX_FIXTURE_FILE = 64 * 1024 * 1024


def resolve_files(section: dict[str, Any], directory: Path | None) -> list[tuple[list[Any], str]]:
    """Replace every ``{file: rel}`` of the section by ``{base64: ...}`` read below ``directory``.

    Checks ``base64`` entries too. Returns the problems as (field path, message); none means done.
    """
    problems: list[tuple[list[Any], str]] = []
    for index, spec in enumerate(section.get("systems", [])):
        for path, body in spec.get("files", {}).items():
            where = ["yemot", "systems", index, "files", path]
            try:
                normalize_path(path)
            except BadPath:
                problems.append((where, "not a valid IVR tree path"))
                continue
            if "base64" in body:
                try:
                    base64.b64decode(body["base64"], validate=True)
                except ValueError:
                    problems.append(([*where, "base64"], "not valid base64"))
            elif "file" in body:
                problem = _inline(body, directory)
                if problem:
                    problems.append(([*where, "file"], problem))
    return problems


def _inline(body: dict[str, Any], directory: Path | None) -> str | None:
    if directory is None:
        return "file references need a fixture loaded from a file (use base64 here)"
    relative = Path(body["file"])
    if relative.is_absolute() or ".." in relative.parts:
        return "must be a path relative to the fixture file, inside its folder"
    target = (directory / relative).resolve()
    if not target.is_relative_to(directory.resolve()):
        return "must stay inside the fixture file's folder"
    try:
        if target.stat().st_size > MAX_FIXTURE_FILE:
            return f"larger than {MAX_FIXTURE_FILE} bytes"
        data = target.read_bytes()
    except OSError as exc:
        return exc.strerror or str(exc)
    body.clear()
    body["base64"] = base64.b64encode(data).decode("ascii")
    return None


def _generate(system: YemotSystem, counts: dict[str, int], faker: Faker, anchor: float) -> None:
    def when() -> float:
        return round(anchor - faker.pyfloat(min_value=0, max_value=30 * _DAY), 3)

    for _ in range(counts.get("sms_out_log", 0)):
        text = faker.sentence(nb_words=8)
        system.sms_out_log.append(
            SmsOutRow(
                time=when(),
                caller_id=system.number,
                to="05" + faker.numerify("########"),
                message=text,
                billing=0.1 * -(-len(text) // 70),
                run_by="API",
                delivery_report=faker.random_element(["DELIVRD", "DELIVRD", "DELIVRD", "EXPIRED"]),
            )
        )
    system.sms_out_log.sort(key=lambda row: row.time)
    for _ in range(counts.get("incoming_calls", 0)):
        system.incoming_calls.append(
            IncomingCallRow(
                time=when(),
                did=system.number,
                caller="05" + faker.numerify("########"),
                seconds=faker.pyint(min_value=5, max_value=900),
                kind=faker.random_element(["direct", "direct", "direct", "transferIn", "transferOut"]),
            )
        )
    system.incoming_calls.sort(key=lambda row: row.time)
