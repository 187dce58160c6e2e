"""Fixture parts for a system's services: call-back queues (QueueCallBack) and MFA settings."""

from __future__ import annotations

from typing import Any

from emulator.yemot.state import CallbackQueue, CallbackRow, Mfa, MfaMethod

CALLBACK_QUEUE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "queue_path"],
    "description": "A queue's call-back service; `rows` wait to be called back (`s_ago`: seconds before the anchor).",
    "properties": {
        "id": {"type": "integer"},
        "path": {"type": "string"},
        "queue_path": {"type": "string"},
        "caller_id": {"type": "string"},
        "callback_times": {"type": "string"},
        "max_waiting_time": {"type": "integer", "minimum": 0},
        "max_waiting_customers": {"type": "integer", "minimum": 0},
        "open": {"type": "boolean"},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "calling_number"],
                "properties": {
                    "id": {"type": "integer"},
                    "calling_number": {"type": "string"},
                    "s_ago": {"type": "integer", "minimum": 0},
                    "status": {"type": "string"},
                    "attempts": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}

MFA = {
    "type": "object",
    "additionalProperties": False,
    "description": "`required`: Login sessions answer MFA_REQUIRED until they pass; `methods`: where codes go.",
    "properties": {
        "required": {"type": "boolean"},
        "methods": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "value"],
                "properties": {
                    "type": {"enum": ["PHONE", "EMAIL"]},
                    "value": {"type": "string"},
                    "note": {"type": "string"},
                },
            },
        },
    },
}


def callback_queue(body: dict[str, Any], anchor: float, main_number: str) -> CallbackQueue:
    rows = [
        CallbackRow(
            id=row["id"],
            calling_number=row["calling_number"],
            time=anchor - row.get("s_ago", 0),
            status=row.get("status", "WAITING"),
            attempts=row.get("attempts", 0),
        )
        for row in body.get("rows", [])
    ]
    scalars = ("callback_times", "max_waiting_time", "max_waiting_customers", "open")
    return CallbackQueue(
        id=body["id"],
        path=body.get("path", body["queue_path"]),
        queue_path=body["queue_path"],
        caller_id=body.get("caller_id", main_number),
        rows=rows,
        **{key: body[key] for key in scalars if key in body},
    )


def mfa(body: dict[str, Any]) -> Mfa:
    settings = Mfa(required=body.get("required", False))
    for spec in body.get("methods", []):
        settings.methods.append(
            MfaMethod(id=settings.next_id, kind=spec["type"], value=spec["value"], note=spec.get("note", ""))
        )
        settings.next_id += 1
    return settings
