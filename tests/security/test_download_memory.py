"""Downloads stream the stored file a piece at a time: no whole copy per download (issue: eight
concurrent downloads of a 60 MiB file added 555 MB of transient memory)."""

from __future__ import annotations

import asyncio
import base64
import os
import tracemalloc

from emulator.app import create_app
from emulator.config import EmulatorConfig
from emulator.core.http.streaming import PIECE, Base64Body, streamable
from emulator.yemot import ivrtree

SIZE = 16 * 1024 * 1024
TOKEN = b"0773137770:1234"


def _app_with_file(data: bytes):
    app = create_app(EmulatorConfig.from_env({}, strict=True))
    system = app.state.emulator.world.yemot.systems["0773137770"]
    system.tree.quota_bytes = 10 * SIZE
    ivrtree.put(system, ivrtree.canonical("ivr2:9/big.wav"), data, now=0.0)
    return app


async def _download(app, received: list[int]) -> tuple[int, dict[str, bytes]]:
    """One GET DownloadFile through the ASGI app; the body's pieces are counted, not kept."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/ym/api/DownloadFile", "raw_path": b"/ym/api/DownloadFile", "root_path": "",
             "query_string": b"token=" + TOKEN + b"&path=ivr2:9/big.wav", "headers": [(b"host", b"emulator.test")],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8080)}  # fmt: skip
    start: dict = {}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        else:
            received.append(len(message["body"]))
            await asyncio.sleep(0)  # (other downloads go on meanwhile, as with slow sockets)

    await app(scope, receive, send)
    return start["status"], dict(start["headers"])


def test_a_download_is_sent_in_pieces_with_the_exact_length():
    data = os.urandom(SIZE)
    app = _app_with_file(data)
    received: list[int] = []
    status, headers = asyncio.run(_download(app, received))
    assert status == 200 and headers[b"content-type"] == b"application/octet-stream"
    assert headers[b"content-length"] == str(SIZE).encode()
    assert sum(received) == SIZE and max(received) <= PIECE and len(received) > SIZE // PIECE


def test_the_pieces_are_the_stored_bytes():
    data = os.urandom(3 * PIECE + 17)
    body = streamable(base64.b64encode(data).decode("ascii"))
    assert isinstance(body, Base64Body) and len(body) == len(data)
    assert b"".join(body.pieces()) == data
    for size in (0, 1, 2, 3, PIECE - 1, PIECE, PIECE + 1):  # every padding and piece boundary
        assert b"".join(Base64Body(base64.b64encode(data[:size]).decode()).pieces()) == data[:size]
    assert streamable("aGVsbG8=\n") == b"hello"  # (not b64encode's form: decoded whole, leniently)


def test_eight_concurrent_downloads_hold_a_few_pieces_not_eight_files():
    app = _app_with_file(os.urandom(SIZE))
    asyncio.run(_download(app, []))  # (first request: caches, lazily built tables)

    async def eight() -> list[list[int]]:
        pieces: list[list[int]] = [[] for _ in range(8)]
        await asyncio.gather(*(_download(app, received) for received in pieces))
        return pieces

    tracemalloc.start()
    try:
        pieces = asyncio.run(eight())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(sum(received) == SIZE for received in pieces)
    assert peak < SIZE // 2, f"peak {peak / 2**20:.1f} MiB for eight downloads of {SIZE / 2**20:.0f} MiB"
