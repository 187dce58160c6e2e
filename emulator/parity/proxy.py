"""The recording proxy: forwards every request unchanged to a target and records the exchange.

An ASGI app. A request's body is read (up to ``max_body`` bytes; more is refused with 413 and not
forwarded), sent to ``target`` + the request's own path and query with the client's headers but
the hop-by-hop ones (``Connection``, ``Transfer-Encoding``...) and ``Host`` (the target's), and
nothing added but ``Host`` and ``Content-Length``. The answer streams back as it comes, headers
and (possibly compressed) bytes unchanged; up to ``max_body`` bytes of it are kept for the record.
Then the exchange is redacted and written to its file in a worker thread. Exchanges are numbered
as requests arrive. On shutdown every write still under way is awaited.

The same proxy records webhooks: pointed at the user's service (``direction="webhook"``), it is the
URL the platform calls (an API module's ``api_link``, a Simotel webhook or SmartAPI URL).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from emulator.parity import bodies
from emulator.parity.exchange import Exchange, api_of, next_index, write_exchange
from emulator.parity.redaction import Redactor

HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"proxy-connection", b"te",
     b"trailer", b"transfer-encoding", b"upgrade", b"host"}
)  # fmt: skip
REQUEST_HEADERS = ("content-type", "accept", "authorization", "x-apikey", "cookie")
RESPONSE_HEADERS = ("content-type", "content-disposition", "location", "set-cookie")
MAX_BODY = 32 * 1024 * 1024


class RecordingProxy:
    """``RecordingProxy(target, folder)``: the ASGI app of ``telephony-emulator record``."""

    def __init__(
        self,
        target: str,
        folder: Path,
        *,
        api: str | None = None,
        direction: str = "api",
        redact_phones: bool = False,
        max_body: int = MAX_BODY,
        timeout: float = 60.0,
    ) -> None:
        self.target = httpx.URL(target.rstrip("/"))
        self.folder = folder
        self.api = api
        self.direction = direction
        self.redactor = Redactor(phones=redact_phones)
        self.max_body = max_body
        self.timeout = timeout
        self.written: list[Path] = []
        self._next = next_index(folder)
        self._writes: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._lock = threading.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._proxy(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def aclose(self) -> None:
        """Finish every write under way and close the client to the target."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _session(self) -> httpx.AsyncClient:
        if self._client is None:
            # no default headers, no redirects followed, no cookies kept: the client's own behaviour decides
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, trust_env=False)
        return self._client

    async def _proxy(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        index, self._next = self._next, self._next + 1
        body = await _read_body(receive, self.max_body)
        if body is None:
            await _plain(send, 413, f"record: request body over {self.max_body} bytes; not forwarded")
            return
        headers = [(name, value) for name, value in scope["headers"] if name.lower() not in HOP_BY_HOP]
        raw_target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            raw_target += b"?" + scope["query_string"]
        prefix = self.target.raw_path.split(b"?")[0].rstrip(b"/")
        url = self.target.copy_with(raw_path=prefix + raw_target)
        request = httpx.Request(scope["method"], url, headers=headers, content=body)
        try:
            answer = await self._session().send(request, stream=True)
        except httpx.HTTPError as exc:
            await _plain(send, 502, f"record: the target did not answer ({type(exc).__name__})")
            return
        kept = bytearray()
        complete = True
        try:
            out_headers = [(n, v) for n, v in answer.headers.raw if n.lower() not in HOP_BY_HOP]
            await send({"type": "http.response.start", "status": answer.status_code, "headers": out_headers})
            try:
                async for chunk in answer.aiter_raw():
                    if len(kept) + len(chunk) <= self.max_body:
                        kept += chunk
                    else:
                        complete = False
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except httpx.HTTPError:  # the target broke off its answer: the client gets it cut off too
                complete = False
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await answer.aclose()
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        facts = _Facts(index, scope, body, answer.status_code, answer.headers, bytes(kept), complete, started)
        task = asyncio.create_task(asyncio.to_thread(self._write, facts))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        await task

    def _write(self, facts: _Facts) -> None:
        """Describe, redact and write one exchange (in a worker thread, one at a time: the
        placeholder map is shared by the session)."""
        with self._lock:
            self._write_now(facts)

    def _write_now(self, facts: _Facts) -> None:
        path = facts.scope["path"]
        request_headers = _headers(facts.scope["headers"], REQUEST_HEADERS)
        exchange = Exchange(
            index=facts.index,
            request={},
            response={},
            api=self.api or api_of(path),
            direction=self.direction,
            source=f"recorded {facts.started} from {self.target.scheme}://{self.target.host}",
        )
        exchange.request = {"path": path}
        stem = exchange.stem
        request_body, request_files = bodies.describe(
            request_headers.get("content-type"), facts.body, f"{stem}.request"
        )
        response_data = _decoded(facts.response_headers.get("content-encoding"), facts.response_body, self.max_body)
        if facts.complete and response_data is not None:
            response_body, response_files = bodies.describe(
                facts.response_headers.get("content-type"), response_data, f"{stem}.response"
            )
        else:
            response_body, response_files = {"truncated": True, "size": len(facts.response_body)}, {}
        query = bodies.parse_qsl_text(facts.scope.get("query_string", b""))
        redact = self.redactor
        exchange.request = {
            "method": facts.scope["method"],
            "path": path,
            "query": redact.pairs(query),
            "headers": redact.mapping(request_headers),
            "body": redact.body(request_body),
        }
        exchange.response = {
            "status": facts.status,
            "headers": redact.mapping(_headers(facts.response_headers.multi_items(), RESPONSE_HEADERS)),
            "body": redact.body(response_body),
        }
        self.written.append(write_exchange(exchange, self.folder, {**request_files, **response_files}))


@dataclass
class _Facts:
    """What one exchange left to write."""

    index: int
    scope: dict[str, Any]
    body: bytes
    status: int
    response_headers: httpx.Headers
    response_body: bytes
    complete: bool
    started: str


def _headers(raw: Any, names: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in raw:
        name = name.decode("latin-1") if isinstance(name, bytes) else name
        value = value.decode("latin-1") if isinstance(value, bytes) else value
        if name.lower() in names:
            out[name.lower()] = value
    return out


def _decoded(encoding: str | None, data: bytes, limit: int) -> bytes | None:
    """The answer's bytes without their ``Content-Encoding`` (gzip, deflate), at most ``limit``."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in {"identity", ""}:
        return data
    if encoding not in {"gzip", "deflate", "x-gzip"}:
        return None
    with contextlib.suppress(zlib.error):
        inflater = zlib.decompressobj(47)  # gzip or zlib, by the header
        out = inflater.decompress(data, limit)
        return out if not inflater.unconsumed_tail else None
    with contextlib.suppress(zlib.error):
        return zlib.decompressobj(-15).decompress(data, limit)  # raw deflate
    return None


async def _read_body(receive: Any, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _plain(send: Any, status: int, text: str) -> None:
    payload = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
