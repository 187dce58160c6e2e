"""Server logs: one line per API request, calls and callback deliveries, as text or JSON.

The uvicorn access log is replaced by :func:`request_line` (API, operation, tenant, outcome,
duration). Callback deliveries log each attempt at INFO (``telephony_emulator.outbox``) and
scheduled calls each phase change at DEBUG (``telephony_emulator.calls``). Nothing secret is
logged: no tokens, passwords, query strings or bodies.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from emulator.core.redact import redact_url

ACCESS = logging.getLogger("telephony_emulator.access")
OUTBOX = logging.getLogger("telephony_emulator.outbox")
FORMATS = ("text", "json")
LEVELS = ("critical", "error", "warning", "info", "debug")
_TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def request_line(api: str, operation: str | None, tenant: str | None, status: int, body: Any, started: float) -> None:
    """Log one served API request; costs one level check when INFO is off."""
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    fields: dict[str, Any] = {"api": api, "operation": operation or "-", "tenant": tenant or "-", "status": status}
    if isinstance(body, dict):
        if api == "yemot":
            fields["outcome"] = body.get("responseStatus")
        else:
            fields["outcome"] = "success" if body.get("success") == 1 else "failure"
        message = body.get("message")
        if message and fields["outcome"] not in ("OK", "success"):
            fields["message"] = str(message)[:200]
    fields["duration_ms"] = duration_ms
    text = " ".join(f"{key}={_quote(value)}" for key, value in fields.items())
    ACCESS.info(text, extra={"fields": fields})


def delivery_attempt(
    delivery_id: int, url: str, number: int, status: int | None, error: str | None, duration_ms: float
) -> None:
    """Log one callback delivery attempt (INFO); secrets in the URL's query and user info are redacted."""
    if not OUTBOX.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Any] = {"delivery": delivery_id, "url": redact_url(url), "attempt": number}
    fields["status" if status is not None else "error"] = status if status is not None else error
    fields["duration_ms"] = duration_ms
    OUTBOX.info(" ".join(f"{key}={_quote(value)}" for key, value in fields.items()), extra={"fields": fields})


def _quote(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (" " in text or '"' in text or not text) else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            document.update(fields)
        else:
            document["message"] = record.getMessage()
        if record.exc_info:
            document["error"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def logging_config(level: str = "info", fmt: str = "text") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document for the emulator and uvicorn's own loggers."""
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    formatter = {"()": JsonFormatter} if fmt == "json" else {"format": _TEXT}
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"emulator": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "emulator", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "telephony_emulator": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
