"""A web service's answer is bounded in time and size, however the service sends it."""

from __future__ import annotations

import time

import httpx
import pytest

from emulator.core.outbound import bounded_exchange
from emulator.testing.receiver import Receiver, Response
from emulator.testing.slow import SlowPeer


def test_a_body_sent_a_byte_at_a_time_ends_at_the_deadline():
    started = time.monotonic()
    with (
        SlowPeer(head=b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n", drip=b"x") as peer,
        httpx.Client() as client,
        pytest.raises(httpx.TimeoutException),
    ):
        bounded_exchange(client, "GET", peer.url + "/ivr", timeout_s=0.5, max_bytes=64 * 1024)
    assert time.monotonic() - started < 2  # each byte came in time for the read timeout


def test_a_long_answer_is_read_only_up_to_the_cap():
    with Receiver(respond=lambda hit: Response(200, b"y" * 200_000)) as receiver, httpx.Client() as client:
        reply = bounded_exchange(client, "POST", receiver.url + "/s", timeout_s=5, max_bytes=1000, json={"a": 1})
    assert (reply.status, len(reply.body), reply.too_long) == (200, 1000, True)


def test_a_short_answer_comes_back_whole():
    with Receiver(respond=lambda hit: {"ok": "1"}) as receiver, httpx.Client() as client:
        reply = bounded_exchange(client, "GET", receiver.url + "/s", timeout_s=5, max_bytes=1000)
    assert (reply.status, reply.body, reply.too_long) == (200, b'{"ok": "1"}', False)
