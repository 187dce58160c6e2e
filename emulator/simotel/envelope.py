"""The Simotel envelope ``{success, message, data}`` and its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.core.http.contracts import Operation
from emulator.core.http.pipeline import Reply
from emulator.core.http.streaming import Base64Body
from emulator.core.observe.logs import Outcome
from emulator.simotel.errors import FileNotFound, SimotelError

JSON = "application/json"
DONE = "Requested operation is done successfully"


def ok(data: Any = None, message: str | None = "", operation: Operation | None = None, **reply: Any) -> Reply:
    return Reply(
        status=200,
        body={"success": 1, "message": message, "data": data},
        media_type=JSON,
        operation=operation,
        **reply,
    )


@dataclass(frozen=True)
class Binary:
    """What a download service returns as ``data``: the file's bytes, sent as the body as they are
    (a stored file's as a ``Base64Body``, in pieces)."""

    content: bytes | Base64Body
    media_type: str = "application/octet-stream"


def binary(file: Binary, operation: Operation | None = None, **reply: Any) -> Reply:
    return Reply(status=200, body=file.content, media_type=file.media_type, operation=operation, **reply)


def error(exc: SimotelError, operation: Operation | None = None, **reply: Any) -> Reply:
    if isinstance(exc, FileNotFound):  # downloads: Apache's plain 404, no envelope
        return Reply(status=404, body=b"", media_type="text/plain", operation=operation, **reply)
    if exc.status == 405:
        reply["headers"] = {"Allow": "GET, POST, PUT, DELETE"}  # RFC 9110: a 405 names the verbs that work
    return Reply(
        status=exc.status,
        body={"success": 0, "message": exc.message, "data": None},
        media_type=JSON,
        operation=operation,
        **reply,
    )


def fault(status: int, body: Any) -> Reply:
    """The answer of an injected fault: its body, or an envelope with ``success: 0``."""
    if body is None:
        body = {"success": 0, "message": "injected fault", "data": None}
    return Reply(status=status, body=body, media_type=JSON)


_SUCCESS = Outcome("success")


def outcome(body: Any) -> Outcome | None:
    """What the access log says of an answer: ``success`` (``success: 1``) or ``failure`` with its
    message (None for an answer that is no envelope: a file, Apache's plain 404)."""
    if not isinstance(body, dict):
        return None
    if body.get("success") == 1:
        return _SUCCESS
    return Outcome.of("failure", body.get("message"), succeeded=False)
