"""Server logs: one line per API request, calls and callback deliveries, as text or JSON.

The uvicorn access log is replaced by :func:`request_line` (API, operation, tenant, outcome,
duration). Callback deliveries log each attempt at INFO (``telephony_emulator.outbox``) and
scheduled calls each phase change at DEBUG (``telephony_emulator.calls``). Nothing secret is
logged: no tokens, passwords, query strings or bodies.

A line per request sits on every request's path, so it stays cheap: the record is made without
looking up the caller's source line, the time stamp is formatted once per second, and
:class:`BatchingStreamHandler` writes lines in batches instead of one write per line. Under
``serve``'s logging a request only queues its access line's facts; the lines of a batch are made
together when it is written, which costs a third of making each one amid its request.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

import msgspec

from emulator.core.observe.redact import RedactingFilter, redact_url

_ACCESS_NAME = "telephony_emulator.access"
ACCESS = logging.getLogger(_ACCESS_NAME)
OUTBOX = logging.getLogger("telephony_emulator.outbox")
FORMATS = ("text", "json")
LEVELS = ("critical", "error", "warning", "info", "debug")
_TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Outcome(msgspec.Struct, frozen=True, gc=False):
    """How an API's envelope names an answer in its access line: its outcome (Yemot's
    ``responseStatus``, Simotel's ``success`` or ``failure``) and, for a refusal, its message.

    Each API's envelope module makes it (``outcome(body)``); an answer that is no envelope (a file,
    a dropped connection) has none. (A frozen Struct: hashable, so equal outcomes share a cached line.)
    """

    outcome: Any
    message: str | None = None

    @classmethod
    def of(cls, outcome: Any, said: Any, *, succeeded: bool) -> Outcome:
        """``outcome`` with the answer's message (``said``, cut to 200 characters) unless it succeeded."""
        return cls(outcome, str(said)[:200] if said and not succeeded else None)


def request_line(
    api: str, operation: str | None, tenant: str | None, status: int, outcome: Outcome | None, started: float
) -> None:
    """Log one served API request; costs one level check when INFO is off.

    ``outcome``: what the API's envelope says of the answer (None for an answer without one). Under
    ``serve``'s logging only the line's facts are queued in the batching handler
    (``BatchingStreamHandler.queue_line``), which makes the line when it writes its batch.
    """
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    tenths = int((time.perf_counter() - started) * 10_000 + 0.5)  # the duration in tenths of a millisecond
    handler = _direct_handler(ACCESS)
    if handler is not None:
        formatter: TextFormatter = handler.formatter  # type: ignore[assignment]
        handler.queue_line(
            AccessFacts(formatter, api, operation or "-", tenant or "-", status, outcome, tenths, time.time())
        )  # (made when its batch is written)
        return
    line = _line_of(api, operation or "-", tenant or "-", status, outcome)
    text, fields = _access(line, tenths)
    _handle_info(ACCESS, text, fields())


Line = tuple[str, Callable[[], dict[str, Any]]]  # a log line's text, and its fields made on demand


class AccessFacts(msgspec.Struct, gc=False):
    """An access line to make when its batch is written: the formatter that makes it, the request's
    facts, its duration in tenths of a millisecond and the time it was logged."""

    formatter: TextFormatter
    api: str
    operation: str
    tenant: str
    status: int
    outcome: Outcome | None
    tenths: int
    created: float


def _line_of(api: str, operation: str, tenant: str, status: int, outcome: Outcome | None) -> _AccessLine:
    """The access line (but for its duration) of these facts: cached, unless an injected fault's body
    made its outcome a value that cannot be a cache key (a list, say)."""
    try:
        return _cached_access_line(api, operation, tenant, status, outcome)
    except TypeError:  # (unhashable)
        return _access_line(api, operation, tenant, status, outcome)


def _made(facts: AccessFacts) -> str:
    """The text of a queued access line, as its formatter writes it."""
    line = _line_of(facts.api, facts.operation, facts.tenant, facts.status, facts.outcome)
    text, fields = _access(line, facts.tenths)
    return facts.formatter.info_line(_ACCESS_NAME, text, fields, facts.created)


def _access(line: _AccessLine, tenths: int) -> Line:
    """An access line's text and (made on demand) fields."""
    duration = f"{tenths // 10}.{tenths % 10}"  # (as str(round(ms, 1)) writes it, without float formatting)
    return f"{line.text} duration_ms={duration}", lambda: {**line.fields, "duration_ms": tenths / 10}


class _AccessLine(NamedTuple):
    text: str  # without the duration
    fields: dict[str, Any]


def _access_line(api: str, operation: str, tenant: str, status: int, outcome: Outcome | None) -> _AccessLine:
    """An access line but for its duration."""
    fields: dict[str, Any] = {"api": api, "operation": operation, "tenant": tenant, "status": status}
    if outcome is not None:
        fields["outcome"] = outcome.outcome
        if outcome.message is not None:
            fields["message"] = outcome.message
    text = " ".join(f"{name}={_quote(value)}" for name, value in fields.items())
    return _AccessLine(text, fields)


# The same few lines per client, operation and outcome: each made once.
_cached_access_line = lru_cache(maxsize=1024)(_access_line)


def _log(logger: logging.Logger, make: Callable[..., Line], args: tuple[Any, ...]) -> None:
    """An INFO line of ``logger`` whose text and fields ``make(*args)`` gives; the call site is not
    looked up (the lines name their origin).

    When the line's only destination is one of this module's handlers with its own formatting (as
    ``serve`` configures it), the line is formatted straight into that handler's queue: the same
    bytes, without a log record. Any other logging setup (caplog, extra handlers or filters) gets
    its record.
    """
    text, fields = make(*args)
    handler = _direct_handler(logger)
    if handler is not None:
        formatter: TextFormatter = handler.formatter  # type: ignore[assignment]
        handler.queue_line(formatter.info_line(logger.name, text, fields, time.time()) + handler.terminator)
        return
    _handle_info(logger, text, fields())


def _direct_handler(logger: logging.Logger) -> BatchingStreamHandler | None:
    """The handler that alone writes ``logger``'s INFO lines, if this module knows all it would do."""
    if logger.handlers or logger.filters or not logger.propagate:
        return None
    parent = logger.parent
    if parent is None or parent.propagate or parent.filters or len(parent.handlers) != 1:
        return None
    handler = parent.handlers[0]
    if type(handler) is not BatchingStreamHandler or handler.level > logging.INFO:
        return None
    for check in handler.filters:
        if type(check) is not RedactingFilter:
            return None  # (a RedactingFilter leaves these lines as they are: no arguments, no URLs)
    # Only this module's formatters make INFO lines directly (``info_line``) exactly as ``format`` would.
    formatter = handler.formatter
    if type(formatter) is JsonFormatter or (type(formatter) is TextFormatter and formatter.format_text == _TEXT):
        return handler
    return None


def _handle_info(logger: logging.Logger, text: str, fields: dict[str, Any]) -> None:
    """Hand ``logger`` an INFO record of ``text`` carrying ``fields``; the call site is not looked up
    (the lines name their origin)."""
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, text, None, None, extra={"fields": fields})
    logger.handle(record)


def delivery_attempt(
    delivery_id: int, url: str, number: int, status: int | None, error: str | None, duration_ms: float
) -> None:
    """Log one callback delivery attempt (INFO); secrets in the URL's query and user info are redacted."""
    if not OUTBOX.isEnabledFor(logging.INFO):
        return
    _log(OUTBOX, _delivery, (delivery_id, url, number, status, error, duration_ms))


def _delivery(
    delivery_id: int, url: str, number: int, status: int | None, error: str | None, duration_ms: float
) -> Line:
    """A delivery attempt's line: text and fields."""
    fields: dict[str, Any] = {"delivery": delivery_id, "url": redact_url(url), "attempt": number}
    fields["status" if status is not None else "error"] = status if status is not None else error
    fields["duration_ms"] = duration_ms
    return " ".join(f"{key}={_quote(value)}" for key, value in fields.items()), lambda: fields


_text_json = msgspec.json.Encoder(enc_hook=str)


# Characters that could end or forge a log line, or hide text on a terminal: controls (C0, DEL,
# C1) and the Unicode line and paragraph separators.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NEEDS_QUOTES = re.compile('[\x00-\x20"\x7f-\x9f\u2028\u2029]')


def _escape_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\u000a``): one line stays one line."""
    return _CONTROLS.sub(_escape_control, text) if _CONTROLS.search(text) else text


def _quote(value: Any) -> str:
    """A field's value as written in a text line: bare, or JSON-quoted when it holds spaces, quotes
    or control characters (which JSON quoting escapes, C1 and separators included)."""
    text = value if isinstance(value, str) else str(value)
    if text and not _NEEDS_QUOTES.search(text):
        return text
    quoted = _text_json.encode(text).decode()
    return _CONTROLS.sub(_escape_control, quoted) if _CONTROLS.search(quoted) else quoted


_MILLIS = tuple(f",{n:03d}" for n in range(1000))  # the time stamp's millisecond part, made once


class TextFormatter(logging.Formatter):
    """``logging.Formatter`` whose time stamp (``2026-01-01 10:00:00,123``) is formatted once a second."""

    stamp_format = logging.Formatter.default_time_format
    _second = -1
    _stamp = ""

    def __init__(self, fmt: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(fmt, *args, **kwargs)
        self.format_text = fmt  # (the line format it was made with: ``_direct_handler`` compares it)

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The record's line with its control characters escaped (a traceback follows on its own lines)."""
        return escape_controls(super().formatMessage(record).rstrip())

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return self._time_text(record.created, record.msecs)

    def _second_text(self, created: float) -> str:
        """``created``'s second as ``stamp_format`` text, formatted once per second."""
        second = int(created)
        if second != self._second:
            self._stamp = time.strftime(self.stamp_format, self.converter(second))
            self._second = second
        return self._stamp

    def _time_text(self, created: float, msecs: float) -> str:
        return self._second_text(created) + _MILLIS[int(msecs) % 1000]

    def info_line(self, name: str, text: str, fields: Callable[[], dict[str, Any]], created: float) -> str:
        """What ``format`` makes of an INFO record of logger ``name`` (with the default ``_TEXT`` format)."""
        second = int(created)
        stamp = self._stamp if second == self._second else self._second_text(created)
        return f"{stamp}{_MILLIS[int((created - second) * 1000)]} INFO {name}: {text}"


class JsonFormatter(TextFormatter):
    """One JSON object per line: time, level, logger, message and the record's ``fields``."""

    stamp_format = "%Y-%m-%dT%H:%M:%S"

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": self._second_text(record.created),
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
        return escape_controls(_text_json.encode(document).decode())  # (JSON leaves C1 and separators bare)

    def info_line(self, name: str, text: str, fields: Callable[[], dict[str, Any]], created: float) -> str:
        """What ``format`` makes of an INFO record of logger ``name`` carrying ``fields()``."""
        document = {"time": self._second_text(created), "level": "info", "logger": name, **fields()}
        return escape_controls(_text_json.encode(document).decode())


class BatchingStreamHandler(logging.StreamHandler):
    """A stream handler that writes its lines in batches rather than one write per line.

    Lines logged inside a running event loop are written together at most ``interval`` seconds
    later (or as soon as ``batch`` are waiting); warnings and errors, lines logged outside a loop,
    and anything waiting when the handler is flushed or closed are written at once.
    """

    def __init__(self, stream: Any = None, interval: float = 0.05, batch: int = 256) -> None:
        super().__init__(stream)
        self.interval = interval
        self.batch = batch
        self._waiting: list[str | AccessFacts] = []
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._queue(line + self.terminator, record.levelno)

    def queue_line(self, line: str | AccessFacts) -> None:
        """Queue an INFO line made elsewhere (with its terminator), or an access line's facts (made
        when the batch is written, all together), to be written with its batch."""
        with self.lock:  # type: ignore[union-attr]
            waiting = self._waiting
            waiting.append(line)
            if len(waiting) < self.batch and self._timer is not None:
                try:
                    if self._timer_loop is asyncio.get_running_loop():
                        return  # (the usual case: the batch's timer is set)
                except RuntimeError:
                    pass
            self._queue(line, logging.INFO, queued=True)

    def _queue(self, line: str | AccessFacts, level: int, *, queued: bool = False) -> None:
        if not queued:
            self._waiting.append(line)
        if level >= logging.WARNING or len(self._waiting) >= self.batch:
            self._write()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._write()
            return
        if self._timer is None or self._timer_loop is not loop:  # (a loop that ended took its timer along)
            self._timer_loop = loop
            self._timer = loop.call_later(self.interval, self.flush)

    def flush(self) -> None:
        self.acquire()
        try:
            self._write()
        finally:
            self.release()

    def _write(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting, self._waiting = self._waiting, []
        terminator = self.terminator
        text = "".join([line if type(line) is str else _made(line) + terminator for line in waiting])
        if not text or self.stream is None or getattr(self.stream, "closed", False):
            return  # nothing waits, or nowhere to write any more (the stream was closed under us)
        try:
            self.stream.write(text)
            if hasattr(self.stream, "flush"):
                self.stream.flush()
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": "log write failed", "levelno": logging.ERROR}))


def logging_config(level: str = "info", fmt: str = "text") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document for the emulator and uvicorn's own loggers."""
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    formatter = {"()": JsonFormatter} if fmt == "json" else {"()": TextFormatter, "format": _TEXT}
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"emulator": formatter},
        "handlers": {
            "stderr": {
                "class": f"{__name__}.BatchingStreamHandler",
                "formatter": "emulator",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "telephony_emulator": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
        # Libraries' own warnings (the multipart parser's, on a malformed upload) in the same format,
        # control characters escaped, rather than as bare lines that break a JSON log stream.
        "root": {"handlers": ["stderr"], "level": upper if upper in ("ERROR", "CRITICAL") else "WARNING"},
    }
