"""Simulated SMS: accepted at once, delivery report on the clock, segments counted."""

from __future__ import annotations

import pytest

from emulator.core.sim.messages import segments


def _send(tel, to, text="hello"):
    return tel.runtime.telephony.send_sms(api="yemot", tenant="0773137770", sender="0773137770", to=to, text=text).id


def _message(tel, message_id):
    return next(m for m in tel.messages() if m["id"] == message_id)


def test_send_sms_report_moves_from_esme_rok_to_delivrd_after_5s(tel):
    message_id = _send(tel, "0501234567")

    assert _message(tel, message_id)["status"] == "ESME_ROK"
    tel.advance(4.9)
    assert _message(tel, message_id)["status"] == "ESME_ROK"
    tel.advance(0.1)
    message = _message(tel, message_id)
    assert (message["status"], message["final"]) == ("DELIVRD", True)
    assert message["history"] == [
        {"status": "ESME_ROK", "at": "2026-03-01T10:00:00Z"},
        {"status": "DELIVRD", "at": "2026-03-01T10:00:05Z"},
    ]


@pytest.mark.parametrize(
    ("number", "report", "after"),
    [
        ("0501234901", "EXPIRED", 30),
        ("0501234902", "DELIVRD", 5),
        ("0501234903", "REJECTD", 0),
        ("0501234904", "DELIVRD", 5),
        ("0501234905", "UNDELIV", 0),
        ("12345", "REJECTD", 0),
    ],
)
def test_send_sms_to_magic_number_gets_its_report(tel, number, report, after):
    message_id = _send(tel, number)

    if after:
        tel.advance(after - 0.5)
        assert _message(tel, message_id)["status"] == "ESME_ROK"
        tel.advance(0.5)
    assert _message(tel, message_id)["status"] == report


def test_send_sms_report_listener_gets_final_status(tel):
    seen = []
    tel.runtime.telephony.on_message("yemot", lambda message, status: seen.append((message.to, status)))
    _send(tel, "0501234567")
    _send(tel, "0501234905")

    tel.advance(5)
    assert seen == [("0501234905", "UNDELIV"), ("0501234567", "DELIVRD")]


def test_send_sms_to_overridden_number_follows_its_rule(tel):
    tel.set_phone("0501234567", outcome="failed")
    message_id = _send(tel, "0501234567")

    assert _message(tel, message_id)["status"] == "UNDELIV"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("ש" * 70, 1),
        ("ש" * 71, 2),
        ("ש" * 134, 2),
        ("ש" * 135, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("", 1),
    ],
)
def test_segments_count_gsm7_and_unicode_parts(text, parts):
    assert segments(text) == parts
