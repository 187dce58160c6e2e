"""A web service's compressed answer is inflated only as far as the reply cap: a bomb costs nothing.

The exchange reads the raw body and inflates it piece by piece, never past ``max_bytes`` + 1, so
a small gzip body that would inflate to many megabytes is a reply that is too long, not a spike
of memory in the server (with 100 exchanges in flight per tenant, that spike was per exchange).
"""

from __future__ import annotations

import asyncio
import gzip
import threading
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from emulator.core.outbound.exchange import ServiceClient, bounded_exchange

CAP = 64 * 1024


class _Service(ThreadingHTTPServer):
    """Answers every GET with ``body`` under ``Content-Encoding: encoding`` (a real socket: the
    exchange reads the raw body as the network delivers it)."""

    def __init__(self, body: bytes, encoding: str | None) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/plain; charset=utf-8")
                if encoding is not None:
                    self.send_header("content-encoding", encoding)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def _exchange(body: bytes, encoding: str | None) -> object:
    service = _Service(body, encoding)
    thread = threading.Thread(target=service.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{service.server_address[1]}/ivr"

    async def run() -> object:
        async with httpx.AsyncClient() as client:
            return await bounded_exchange(client, "GET", url, timeout_s=5, max_bytes=CAP)

    try:
        return asyncio.run(run())
    finally:
        service.shutdown()
        service.server_close()


def _deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


REPLY = "id_list_message=t-שלום&go_to_folder=hangup".encode()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(REPLY, mtime=0)),
        ("x-gzip", gzip.compress(REPLY, mtime=0)),
        ("deflate", zlib.compress(REPLY)),
        ("deflate", _deflate_raw(REPLY)),  # (servers that send raw deflate under this name)
        ("identity", REPLY),
        (None, REPLY),
        ("GZIP", gzip.compress(REPLY, mtime=0)),
    ],
)
def test_a_compressed_reply_is_read_whole(encoding, body):
    reply = _exchange(body, encoding)
    assert (reply.status, reply.body, reply.too_long) == (200, REPLY, False)


def test_a_reply_that_inflates_past_the_cap_is_too_long_and_never_inflated_whole():
    bomb = gzip.compress(b"0" * (32 * 1024 * 1024), 9)  # 32 KiB that inflate to 32 MiB
    tracemalloc.start()
    try:
        reply = _exchange(bomb, "gzip")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (reply.too_long, len(reply.body)) == (True, CAP)
    assert peak < 4 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MiB allocated to read a 64 KiB reply"


def test_a_reply_of_exactly_the_cap_is_not_too_long():
    reply = _exchange(gzip.compress(b"x" * CAP), "gzip")
    assert (reply.too_long, len(reply.body)) == (False, CAP)


@pytest.mark.parametrize(("encoding", "body"), [("gzip", b"not gzip at all"), ("deflate", b"\xff\xfe broken")])
def test_a_body_that_does_not_inflate_is_a_decoding_error(encoding, body):
    with pytest.raises(httpx.DecodingError):
        _exchange(body, encoding)


def test_service_exchanges_ask_only_for_the_codings_they_inflate():
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("accept-encoding"))
        return httpx.Response(200, text="noop")

    async def run() -> None:
        service = ServiceClient(httpx.MockTransport(answer))
        try:
            await bounded_exchange(service.get(), "GET", "http://svc.test/ivr", timeout_s=5, max_bytes=CAP)
        finally:
            await service.aclose()

    asyncio.run(run())
    assert seen == ["gzip, deflate"]
