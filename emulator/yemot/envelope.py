"""The Yemot JSON envelope: ``responseStatus`` plus the version fields on every answer.

(A refusal's envelope is its error's own: ``YemotError.body()``.)
"""

from __future__ import annotations

from typing import Any

from emulator.core.http.pipeline import Reply
from emulator.core.http.streaming import Base64Body
from emulator.core.observe.logs import Outcome
from emulator.yemot.errors import API_VERSION, JSON, YAFAST_VERSION

BINARY = "application/octet-stream"


def ok(reply: Reply, data: dict[str, Any]) -> None:
    """``reply`` answers with ``data`` in the OK envelope."""
    reply.body = {"responseStatus": "OK", **data, "yemotAPIVersion": API_VERSION, "yAfastVersion": YAFAST_VERSION}
    reply.media_type = JSON


def binary(reply: Reply, data: bytes | Base64Body) -> None:
    """``reply`` answers with a file's bytes."""
    reply.body = data
    reply.media_type = BINARY


DOWNLOAD_ERROR_STATUS = 404


def is_download(method: str) -> bool:
    """Methods whose success is a file (``Download*``): their errors must not look like one.

    Clients save a 200 answer of these as the file, so every refusal - a missing file, a bad token,
    an unknown or unimplemented ``Download...`` method - answers HTTP 404 with the JSON envelope.
    """
    return method.startswith("Download")


def fault(status: int, body: Any) -> Reply:
    """The answer of an injected fault: its body, or an EXCEPTION envelope."""
    if body is None:
        body = {
            "responseStatus": "EXCEPTION",
            "message": "injected fault",
            "yemotAPIVersion": API_VERSION,
            "yAfastVersion": YAFAST_VERSION,
        }
    return Reply(status=status, body=body, media_type=JSON)


_OK = Outcome("OK")


def outcome(body: Any) -> Outcome | None:
    """What the access log says of an answer: its ``responseStatus``, and the message of anything but
    ``OK`` (None for an answer that is no envelope: a file)."""
    if not isinstance(body, dict):
        return None
    status = body.get("responseStatus")
    return _OK if status == "OK" else Outcome.of(status, body.get("message"), succeeded=False)
