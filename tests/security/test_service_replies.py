"""A web service's answer is bounded in time and size, however the service sends it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from emulator.core.outbound.exchange import ServiceClient, bounded_exchange
from emulator.testing.receiver import Receiver, Response
from emulator.testing.slow import SlowPeer


def _exchange(url: str, *, client: ServiceClient | None = None, method: str = "GET", **options: Any) -> Any:
    """One ``bounded_exchange`` on a fresh loop: through the service client's deadline transport,
    or a plain ``httpx.AsyncClient`` when ``client`` is None and ``plain=True``."""
    plain = options.pop("plain", False)

    async def run() -> Any:
        if plain:
            async with httpx.AsyncClient() as other:
                return await bounded_exchange(other, method, url, **options)
        service = client or ServiceClient()
        try:
            return await bounded_exchange(service.get(), method, url, **options)
        finally:
            if client is None:
                await service.aclose()

    return asyncio.run(run())


def test_a_body_sent_a_byte_at_a_time_ends_at_the_deadline():
    started = time.monotonic()
    with (
        SlowPeer(head=b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n", drip=b"x") as peer,
        pytest.raises(httpx.TimeoutException),
    ):
        _exchange(peer.url + "/ivr", plain=True, timeout_s=0.5, max_bytes=64 * 1024)
    assert time.monotonic() - started < 2  # each byte came in time for the read timeout


def test_headers_sent_a_byte_at_a_time_end_at_the_deadline():
    # Each byte comes well within the per-read timeout: only the deadline can end this exchange.
    started = time.monotonic()
    with (
        SlowPeer(head=b"HTTP/1.1 200 OK\r\n", drip=b"X", every=0.05) as peer,
        pytest.raises(httpx.TimeoutException),
    ):
        _exchange(peer.url + "/ivr", timeout_s=0.5, max_bytes=64 * 1024)
    assert time.monotonic() - started < 1.5


def test_a_service_that_never_answers_ends_at_the_deadline():
    started = time.monotonic()
    with SlowPeer() as peer, pytest.raises(httpx.ReadTimeout):
        _exchange(peer.url + "/ivr", timeout_s=0.3, max_bytes=1024)
    assert time.monotonic() - started < 1.3


def test_the_service_client_reuses_its_connection_and_ignores_proxy_settings(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    client = ServiceClient()

    async def three(url: str) -> list[Any]:
        try:
            return [
                await bounded_exchange(client.get(), "GET", url + f"/s{n}", timeout_s=5, max_bytes=100)
                for n in range(3)
            ]
        finally:
            await client.aclose()

    with Receiver(respond=lambda hit: {"ok": "1"}) as receiver:
        replies = asyncio.run(three(receiver.url))
        paths = [hit.path for hit in receiver.hits]
    assert [(reply.status, reply.body) for reply in replies] == [(200, b'{"ok": "1"}')] * 3
    assert paths == ["/s0", "/s1", "/s2"]


def test_a_long_answer_is_read_only_up_to_the_cap():
    with Receiver(respond=lambda hit: Response(200, b"y" * 200_000)) as receiver:
        reply = _exchange(receiver.url + "/s", method="POST", plain=True, timeout_s=5, max_bytes=1000, json={"a": 1})
    assert (reply.status, len(reply.body), reply.too_long) == (200, 1000, True)


def test_a_short_answer_comes_back_whole():
    with Receiver(respond=lambda hit: {"ok": "1"}) as receiver:
        reply = _exchange(receiver.url + "/s", plain=True, timeout_s=5, max_bytes=1000)
    assert (reply.status, reply.body, reply.too_long) == (200, b'{"ok": "1"}', False)
