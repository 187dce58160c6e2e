"""The Yemot JSON envelope: ``responseStatus`` plus the version fields on every answer."""

from __future__ import annotations

from typing import Any

from emulator.core.http.contracts import Operation
from emulator.core.http.pipeline import Reply
from emulator.core.http.streaming import Base64Body
from emulator.core.observe.logs import Outcome
from emulator.yemot.errors import YemotError

API_VERSION = 6
YAFAST_VERSION = "6.6.156"
JSON = "application/json; charset=utf-8"
BINARY = "application/octet-stream"


def ok(data: dict[str, Any], operation: Operation | None = None, **reply: Any) -> Reply:
    body = {"responseStatus": "OK", **data, "yemotAPIVersion": API_VERSION, "yAfastVersion": YAFAST_VERSION}
    return Reply(status=200, body=body, media_type=JSON, operation=operation, **reply)


def error(exc: YemotError, operation: Operation | None = None, allowed: Operation | None = None, **reply: Any) -> Reply:
    """The error envelope; a 405 names in ``Allow`` the verbs the contract declares for ``allowed``."""
    body = {**exc.body(), "yemotAPIVersion": API_VERSION}
    body.setdefault("yAfastVersion", YAFAST_VERSION)  # an error may carry its own (SIP: "any")
    if exc.http_status == 405:  # RFC 9110: a 405 names the verbs that work - the ones the contract declares
        verbs = [verb for verb in ("GET", "POST") if allowed is not None and verb.lower() in allowed.verbs]
        reply["headers"] = {"Allow": ", ".join(verbs or ("GET", "POST"))}
    return Reply(status=exc.http_status, body=body, media_type=JSON, operation=operation, **reply)


def binary(data: bytes | Base64Body, operation: Operation | None = None, **reply: Any) -> Reply:
    return Reply(status=200, body=data, media_type=BINARY, operation=operation, **reply)


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
