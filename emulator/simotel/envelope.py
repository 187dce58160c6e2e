"""The Simotel envelope ``{success, message, data}`` and its HTTP status.

(A refusal's envelope and status are its error's own: ``SimotelError.body()`` and ``status``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.core.http.pipeline import Reply
from emulator.core.http.streaming import Base64Body
from emulator.core.observe.logs import Outcome

JSON = "application/json"
DONE = "Requested operation is done successfully"


def ok(reply: Reply, data: Any = None, message: str | None = "") -> None:
    """``reply`` answers with ``data`` and ``message`` in the success envelope."""
    reply.body = {"success": 1, "message": message, "data": data}
    reply.media_type = JSON


@dataclass(frozen=True)
class Binary:
    """What a download service returns as ``data``: the file's bytes, sent as the body as they are
    (a stored file's as a ``Base64Body``, in pieces)."""

    content: bytes | Base64Body
    media_type: str = "application/octet-stream"


def binary(reply: Reply, file: Binary) -> None:
    """``reply`` answers with the file's bytes."""
    reply.body = file.content
    reply.media_type = file.media_type


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
