"""Awaited exchanges with web services, bounded in time and size from the first byte to the last.

Simulated calls reach the user's web services (Yemot's API module, Simotel's dialplan components)
with one reused ``httpx.AsyncClient`` (``ServiceClient``); each exchange is awaited on the event
loop, which serves every other request meanwhile (``emulator.core.sim.flights`` drives the steps that
wait for one). ``bounded_exchange`` gives each exchange a deadline:

- every socket operation of the exchange (connect, TLS handshake, each write and read, the status
  line and headers included) waits at most until the deadline, through ``DeadlineBackend``, a
  wrapper around httpcore's async network backend that the service client's transport uses;
- the body is read up to a cap (a compressed one inflated no further: ``core.inflate``), and the
  deadline is checked after each piece of it.

httpx's own timeout bounds each operation; the deadline bounds their sum, so a service that sends
its headers or body a byte at a time is cut off when the request's timeout has passed.
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
import time
import zlib
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from emulator.core.outbound.inflate import ACCEPTED_ENCODINGS, Inflater

# The deadline (time.monotonic()) of the exchange running on this thread or task, if any.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("exchange_deadline", default=None)


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left of the running exchange's deadline; ``expired`` is
    raised when nothing is left."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the exchange did not complete within its deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.AsyncNetworkStream):
    """A connection whose every read and write ends by the running exchange's deadline."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(await self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.AsyncNetworkBackend):
    """httpcore's async network backend whose connections honour the running exchange's deadline
    (no deadline outside ``bounded_exchange``: then it is the plain backend)."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(await self._backend.connect_tcp(host, port, bounded, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(await self._backend.connect_unix_socket(path, bounded, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def deadline_transport(ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncHTTPTransport:
    """httpx's default async transport with its connections on ``DeadlineBackend``.

    httpx takes no network backend as an argument: it is set on the connection pool the transport
    made (``tests/security/test_service_replies.py`` fails if a new httpx moves it).
    """
    transport = httpx.AsyncHTTPTransport(verify=ssl_context) if ssl_context else httpx.AsyncHTTPTransport()
    pool = transport._pool
    if not isinstance(pool, httpcore.AsyncConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version keeps no httpcore connection pool where expected")
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return transport


SHARDS = 16


class ServiceClient:
    """The HTTP clients simulated calls reach web services with (Yemot's API module, Simotel's
    dialplan components): ``SHARDS`` ``httpx.AsyncClient``s per emulator, made on first use and
    reused, a call always on the same one (``get(call_id)``).

    Making a client costs about 25 ms of CPU (its TLS context, here made once and shared), which
    every request to the service would otherwise cost; reused, a client also keeps its connections
    to the service alive. Several clients, not one: httpcore's pool matches every waiting request
    against every connection whenever one changes, so one pool with hundreds of exchanges in flight
    spends the loop's time there (200 calls waiting held the loop for seconds). Each request gives
    its own timeout; connections honour the deadline of ``bounded_exchange`` (an injected transport,
    in tests, is used as it is, by one client: an ``httpx.AsyncBaseTransport`` such as
    ``httpx.MockTransport``).
    """

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._transport = transport
        self._clients: dict[int, httpx.AsyncClient] = {}
        self._ssl: ssl.SSLContext | None = None

    def get(self, key: str = "") -> httpx.AsyncClient:
        shard = 0 if self._transport is not None else zlib.crc32(key.encode("utf-8", "replace")) % SHARDS
        client = self._clients.get(shard)
        if client is None:
            if self._transport is not None:
                transport: httpx.AsyncBaseTransport = self._transport
            else:
                if self._ssl is None:
                    self._ssl = httpx.create_ssl_context()
                transport = deadline_transport(self._ssl)
            # (no proxy from the environment, as for callback deliveries: the request goes where its URL says)
            client = httpx.AsyncClient(
                transport=transport,
                follow_redirects=False,
                trust_env=False,
                headers={"Accept-Encoding": ACCEPTED_ENCODINGS},  # (what core.inflate reads, whatever httpx could)
            )
            self._clients[shard] = client
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def close(self) -> None:
        """Drop the clients from synchronous code: closed on the running loop when there is one."""
        clients, self._clients = list(self._clients.values()), {}
        if not clients:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop any more: their connections go with the process
        for client in clients:
            task = loop.create_task(client.aclose())
            _closing.add(task)
            task.add_done_callback(_closing.discard)


_closing: set[asyncio.Task[None]] = set()


@dataclass
class ServiceReply:
    """A web service's answer as far as it was read: ``body`` holds at most the cap's bytes."""

    status: int
    body: bytes
    encoding: str | None
    too_long: bool = False


async def bounded_exchange(
    client: httpx.AsyncClient, method: str, url: str, *, timeout_s: float, max_bytes: int, **options: Any
) -> ServiceReply:
    """One request to a web service whose answer must be complete within ``timeout_s`` real seconds
    and is read up to ``max_bytes`` (``too_long`` then; the rest is never read).

    On a ``ServiceClient`` every socket operation ends by the deadline, headers included; on any
    other client the deadline is checked as the body arrives. Raises ``httpx.TimeoutException``
    past the deadline, or any other ``httpx.HTTPError`` of the exchange.
    """
    deadline = time.monotonic() + timeout_s
    token = _deadline.set(deadline)
    try:
        async with client.stream(method, url, timeout=timeout_s, **options) as response:
            # A body an injected transport gave whole is already read (and inflated) by httpx.
            whole = response.is_stream_consumed
            inflater = Inflater(None if whole else response.headers.get("content-encoding"))
            body = bytearray()
            async for chunk in response.aiter_bytes() if whole else response.aiter_raw():  # (core.inflate)
                body += inflater.feed(chunk, max_bytes - len(body))
                if len(body) > max_bytes:
                    return ServiceReply(response.status_code, bytes(body[:max_bytes]), response.encoding, too_long=True)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"the answer was not complete within {timeout_s:g} s")
            return ServiceReply(response.status_code, bytes(body), response.encoding)
    finally:
        _deadline.reset(token)
