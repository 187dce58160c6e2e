"""Server logs: one line per API request (API, operation, tenant, outcome, duration), calls at debug."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import logging.config
import re
import time

import httpx
import pytest

from emulator.app import uvicorn_settings
from emulator.config import EmulatorConfig
from emulator.core.observe import logs
from emulator.core.observe.logs import (
    BatchingStreamHandler,
    JsonFormatter,
    Outcome,
    TextFormatter,
    logging_config,
    request_line,
)
from emulator.simotel import envelope as simotel_envelope
from emulator.yemot import envelope as yemot_envelope

ACCESS = "telephony_emulator.access"
DURATION = r"duration_ms=\d+(\.\d+)?"


def _lines(caplog: pytest.LogCaptureFixture, logger: str = ACCESS) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == logger]


def test_yemot_ok_and_error_requests_log_outcome_and_message(emulator, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS)
    emulator.yemot.get("GetSession", params={"token": emulator.yemot_token})
    emulator.yemot.post("SendSms", data={"token": emulator.yemot_token})
    ok, error = _lines(caplog)
    assert re.fullmatch(
        rf"api=yemot operation=GetSession tenant=0773137770 status=200 outcome=OK {DURATION}", ok.getMessage()
    )
    assert re.fullmatch(
        r"api=yemot operation=SendSms tenant=0773137770 status=200 outcome=ERROR "
        rf"message=\"missing required parameter 'message'\" {DURATION}",
        error.getMessage(),
    )
    assert ok.fields["duration_ms"] >= 0
    assert emulator.yemot_token not in caplog.text


def test_simotel_forbidden_request_logs_success_and_http_status(emulator, caplog):
    emulator.simotel_account("test", permissions=["/setting/ping/act"])
    caplog.set_level(logging.INFO, logger=ACCESS)
    emulator.simotel.put("pbx/users/search", json={})
    [line] = _lines(caplog)
    assert re.fullmatch(
        r"api=simotel operation=pbx/users/search tenant=test status=403 outcome=failure "
        rf'message="\\"/pbx/users/search\\";Access denied" {DURATION}',
        line.getMessage(),
    )
    assert "Aa123456" not in caplog.text


def test_nothing_is_formatted_when_info_is_off(emulator, caplog):
    caplog.set_level(logging.WARNING, logger=ACCESS)
    emulator.yemot.get("GetSession", params={"token": emulator.yemot_token})
    assert _lines(caplog) == []


def test_call_phase_changes_log_at_debug(emulator, caplog):
    caplog.set_level(logging.DEBUG, logger="telephony_emulator.calls")
    emulator.freeze("2026-03-01T08:00:00Z")
    emulator.runtime.telephony.place(
        api="yemot", tenant="0773137770", kind="tzintuk", caller_id="0773137770", to="0527000001"
    )
    emulator.advance(120)
    phases = [
        (record.fields["from_phase"], record.fields["phase"]) for record in _lines(caplog, "telephony_emulator.calls")
    ]
    assert phases[0] == ("queued", "ringing")
    assert phases[-1][1] == "ended"
    assert all(record.levelno == logging.DEBUG for record in _lines(caplog, "telephony_emulator.calls"))


def test_json_format_is_one_object_per_line_with_the_fields():
    record = logging.LogRecord(ACCESS, logging.INFO, __file__, 1, "api=yemot", None, None)
    record.fields = {"api": "yemot", "operation": "Login", "status": 200}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": "t"} == {
        "time": "t",
        "level": "info",
        "logger": ACCESS,
        "api": "yemot",
        "operation": "Login",
        "status": 200,
    }


def test_logging_config_silences_the_uvicorn_access_log_and_rejects_unknown_formats():
    config = logging_config("info", "json")
    assert config["loggers"]["uvicorn.access"] == {"handlers": [], "level": "CRITICAL", "propagate": False}
    with pytest.raises(ValueError, match="log format must be one of text, json"):
        logging_config("info", "xml")


def test_each_callback_delivery_attempt_logs_at_info_without_secrets(emulator_factory, caplog):
    answers = iter([500, 200])
    transport = httpx.MockTransport(lambda request: httpx.Response(next(answers)))
    emulator = emulator_factory(outbox_transport=transport, outbox_backoff_base_s=0.01)
    caplog.set_level(logging.INFO, logger="telephony_emulator.outbox")
    emulator.freeze("2026-03-01T10:00:00Z")
    emulator.runtime.telephony.place(
        api="yemot",
        tenant="0773137770",
        kind="tts",
        caller_id="0773137770",
        to="0501234905",
        campaign="LOG-1",
        callback_url="http://user:pw@127.0.0.1:9/hook?token=s3cret",
    )
    emulator.advance(0)
    emulator.wait_for_outbox()
    attempts = [record.fields for record in _lines(caplog, "telephony_emulator.outbox")]
    assert [(a["attempt"], a.get("status")) for a in attempts][:2] == [(1, 500), (2, 200)]
    assert {a["url"] for a in attempts} == {"http://user:***@127.0.0.1:9/hook?token=***et"}
    assert "s3cret" not in caplog.text and "pw@" not in caplog.text


class _CountingStream(io.StringIO):
    """A text stream that counts its writes."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord(ACCESS, level, __file__, 1, message, None, None)


def test_text_formatter_writes_what_the_standard_formatter_writes():
    fmt = logging_config("info", "text")["formatters"]["emulator"]["format"]
    for created in (1767261600.0, 1767261600.999, 1767261601.5):
        record = _record("api=yemot")
        record.created, record.msecs = created, (created % 1) * 1000
        assert TextFormatter(fmt).format(record) == logging.Formatter(fmt).format(record)


def test_batching_handler_writes_at_once_outside_an_event_loop():
    stream = _CountingStream()
    handler = BatchingStreamHandler(stream)
    handler.handle(_record("one"))
    handler.handle(_record("two"))
    assert (stream.getvalue(), stream.writes) == ("one\ntwo\n", 2)


def test_batching_handler_writes_a_loops_lines_together_within_the_interval():
    stream = _CountingStream()
    handler = BatchingStreamHandler(stream, interval=0.05)

    async def serve() -> list[str]:
        seen = []
        for number in range(5):
            handler.handle(_record(f"line {number}"))
        seen.append(stream.getvalue())
        await asyncio.sleep(0.2)
        seen.append(stream.getvalue())
        handler.handle(_record("later"))
        handler.handle(_record("a warning", logging.WARNING))  # written at once, after what waits
        seen.append(stream.getvalue())
        return seen

    before, after, warned = asyncio.run(serve())
    lines = "".join(f"line {number}\n" for number in range(5))
    assert (before, after) == ("", lines)
    assert warned == lines + "later\na warning\n"
    assert stream.writes == 2


def test_batching_handler_keeps_writing_when_a_new_event_loop_takes_over():
    stream = io.StringIO()
    handler = BatchingStreamHandler(stream, interval=0.01)

    async def log_once(text: str) -> None:
        handler.handle(_record(text))

    asyncio.run(log_once("first loop"))  # the loop ends before its timer fires
    assert stream.getvalue() == ""

    async def log_and_wait() -> None:
        handler.handle(_record("second loop"))
        await asyncio.sleep(0.1)

    asyncio.run(log_and_wait())
    assert stream.getvalue() == "first loop\nsecond loop\n"
    handler.close()


def test_batching_handler_writes_what_waits_when_flushed_and_drops_it_once_the_stream_is_closed():
    stream = io.StringIO()
    handler = BatchingStreamHandler(stream, interval=60)

    async def log(text: str) -> None:
        handler.handle(_record(text))

    asyncio.run(log("kept"))
    handler.flush()
    assert stream.getvalue() == "kept\n"
    asyncio.run(log("lost"))
    stream.close()
    handler.flush()  # no error: the destination is gone


@pytest.fixture
def served_logging():
    """Logging configured as ``serve`` configures it; the emulator's loggers as they were afterwards."""
    names = ("telephony_emulator", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {name: logging.getLogger(name) for name in names}
    state = {name: (log.handlers[:], log.filters[:], log.level, log.propagate) for name, log in saved.items()}

    def configure(fmt: str) -> io.StringIO:
        logging.config.dictConfig(uvicorn_settings(EmulatorConfig.from_env({}, log_format=fmt))["log_config"])
        stream = io.StringIO()
        logging.getLogger("telephony_emulator").handlers[0].setStream(stream)
        return stream

    yield configure
    for name, (handlers, filters, level, propagate) in state.items():
        log = saved[name]
        log.handlers, log.filters, log.level, log.propagate = handlers, filters, level, propagate


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_line_formatted_straight_into_the_handler_is_the_line_a_log_record_makes(served_logging, fmt):
    stream = served_logging(fmt)
    access = logging.getLogger(ACCESS)
    outcome = yemot_envelope.outcome({"responseStatus": "ERROR", "message": 'bad "phones"'})
    assert logs._direct_handler(access) is logging.getLogger("telephony_emulator").handlers[0]
    request_line("yemot", "SendSms", "0773137770", 200, outcome, time.perf_counter())
    access.addFilter(lambda record: True)  # a filter it does not know: the line goes through a log record
    try:
        assert logs._direct_handler(access) is None
        request_line("yemot", "SendSms", "0773137770", 200, outcome, time.perf_counter())
    finally:
        access.filters.clear()
    direct, recorded = stream.getvalue().splitlines()
    if fmt == "json":
        direct_doc, recorded_doc = json.loads(direct), json.loads(recorded)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", direct_doc["time"])
        assert {**direct_doc, "time": "t", "duration_ms": 0} == {**recorded_doc, "time": "t", "duration_ms": 0}
    else:
        stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
        expected = (
            rf"{stamp} INFO {ACCESS}: api=yemot operation=SendSms tenant=0773137770 status=200 outcome=ERROR "
            rf'message="bad \\"phones\\"" {DURATION}'
        )
        assert re.fullmatch(expected, direct) and re.fullmatch(expected, recorded)


def test_an_access_line_logged_in_a_loop_waits_for_its_batch(served_logging):
    stream = served_logging("text")
    handler = logging.getLogger("telephony_emulator").handlers[0]
    outcome = simotel_envelope.outcome({"success": 0, "message": "bad number"})

    async def serve_one() -> str:
        request_line("simotel", "pbx/users/add", "test", 200, outcome, time.perf_counter())
        return stream.getvalue()

    before_batch = asyncio.run(serve_one())
    assert before_batch == ""  # queued, not yet written
    handler.flush()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    expected = (
        rf"{stamp} INFO {ACCESS}: api=simotel operation=pbx/users/add tenant=test status=200 outcome=failure "
        rf'message="bad number" {DURATION}'
    )
    assert re.fullmatch(expected, stream.getvalue().rstrip("\n"))


@pytest.mark.parametrize(
    ("elapsed", "written"),
    [(0.0, "0.0"), (0.00004, "0.0"), (0.00006, "0.1"), (0.0123, "12.3"), (1.23456, "1234.6"), (75.0, "75000.0")],
)
def test_the_duration_is_written_in_tenths_of_a_millisecond(elapsed, written, monkeypatch, caplog):
    monkeypatch.setattr(logs.time, "perf_counter", lambda: 1000.0 + elapsed)
    with caplog.at_level(logging.INFO, logger=ACCESS):
        request_line("yemot", "GetCustomerData", "0773137770", 200, Outcome("OK"), 1000.0)
    (record,) = caplog.records
    assert record.getMessage().endswith(f" duration_ms={written}")
    assert record.fields["duration_ms"] == float(written)


@pytest.mark.parametrize(
    ("outcome_of", "body", "expected"),
    [
        (yemot_envelope.outcome, {"responseStatus": "OK", "message": "ignored"}, Outcome("OK")),
        (yemot_envelope.outcome, {"responseStatus": "ERROR", "message": "x" * 300}, Outcome("ERROR", "x" * 200)),
        (yemot_envelope.outcome, {"responseStatus": "EXCEPTION", "message": ""}, Outcome("EXCEPTION")),
        (yemot_envelope.outcome, {"message": 12}, Outcome(None, "12")),
        (yemot_envelope.outcome, b"a file", None),
        (simotel_envelope.outcome, {"success": 1, "message": "done"}, Outcome("success")),
        (simotel_envelope.outcome, {"success": 0, "message": "bad number"}, Outcome("failure", "bad number")),
        (simotel_envelope.outcome, {"success": "1", "message": {"a": 1}}, Outcome("failure", "{'a': 1}")),
        (simotel_envelope.outcome, b"", None),
    ],
)
def test_each_envelope_names_its_answers_outcome_for_the_access_line(outcome_of, body, expected):
    assert outcome_of(body) == expected


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_injected_faults_outcome_of_any_json_is_written_as_it_came(served_logging, fmt):
    """A fault's body may carry a list as its ``responseStatus``: no cache key, the same bytes."""
    stream = served_logging(fmt)
    for _ in range(2):
        request_line("yemot", "GetSession", None, 500, Outcome(["a", 1], "listy"), time.perf_counter())
    logging.getLogger("telephony_emulator").handlers[0].flush()
    first, second = stream.getvalue().splitlines()
    if fmt == "json":
        document = json.loads(first)
        assert (document["tenant"], document["outcome"], document["message"]) == ("-", ["a", 1], "listy")
    else:
        assert re.fullmatch(
            rf".* INFO {ACCESS}: api=yemot operation=GetSession tenant=- status=500 "
            rf"outcome=\"\['a', 1\]\" message=listy {DURATION}",
            first,
        )
    assert re.sub(DURATION, "", first) == re.sub(DURATION, "", second)


def test_an_injected_dropped_connection_is_no_application_error_in_the_log(served_logging):
    """A ``drop_connection`` fault raises to make the server cut the connection; uvicorn would log that
    as "Exception in ASGI application" with a traceback. The access line (status 0) already says it."""
    from emulator.core.http.pipeline import DroppedConnection

    stream = served_logging("text")
    server_log = logging.getLogger("uvicorn.error")
    try:
        raise DroppedConnection("connection dropped by an injected fault")
    except DroppedConnection as exc:
        server_log.error("Exception in ASGI application\n", exc_info=exc)
    try:
        raise RuntimeError("a real bug")
    except RuntimeError as exc:
        server_log.error("Exception in ASGI application\n", exc_info=exc)
    logging.getLogger("telephony_emulator").handlers[0].flush()
    text = stream.getvalue()
    assert "DroppedConnection" not in text and text.count("Exception in ASGI application") == 1
    assert "RuntimeError: a real bug" in text
