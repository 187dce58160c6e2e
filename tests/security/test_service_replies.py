"""A web service's answer is bounded in time and size, however the service sends it."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from emulator.core.outbound import bounded_exchange
from emulator.testing.receiver import Receiver, Response


def _trickling_service(head: bytes) -> tuple[str, threading.Event]:
    """A service that sends ``head`` and then one byte every 0.1 s until told to stop."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, listener:
            connection.sendall(head)
            while not stop.wait(0.1):
                try:
                    connection.sendall(b"x")
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/ivr", stop


def test_a_body_sent_a_byte_at_a_time_ends_at_the_deadline():
    url, stop = _trickling_service(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n")
    started = time.monotonic()
    try:
        with httpx.Client() as client, pytest.raises(httpx.TimeoutException):
            bounded_exchange(client, "GET", url, timeout_s=0.5, max_bytes=64 * 1024)
    finally:
        stop.set()
    assert time.monotonic() - started < 2  # each byte came in time for the read timeout


def test_a_long_answer_is_read_only_up_to_the_cap():
    with Receiver(respond=lambda hit: Response(200, b"y" * 200_000)) as receiver, httpx.Client() as client:
        reply = bounded_exchange(client, "POST", receiver.url + "/s", timeout_s=5, max_bytes=1000, json={"a": 1})
    assert (reply.status, len(reply.body), reply.too_long) == (200, 1000, True)


def test_a_short_answer_comes_back_whole():
    with Receiver(respond=lambda hit: {"ok": "1"}) as receiver, httpx.Client() as client:
        reply = bounded_exchange(client, "GET", receiver.url + "/s", timeout_s=5, max_bytes=1000)
    assert (reply.status, reply.body, reply.too_long) == (200, b'{"ok": "1"}', False)
