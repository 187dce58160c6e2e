"""Synchronous exchanges with web services, bounded in time and size from the first byte to the last.

Simulated calls reach the user's web services (Yemot's API module, Simotel's dialplan components)
with one reused ``httpx.Client`` (``ServiceClient``) on the event loop's own thread, so an answer
that never ends would hold the whole server. ``bounded_exchange`` gives each exchange a deadline:

- every socket operation of the exchange (connect, TLS handshake, each write and read, the status
  line and headers included) waits at most until the deadline, through ``DeadlineBackend``, a
  wrapper around httpcore's network backend that the service client's transport uses;
- the body is read up to a cap, and the deadline is checked after each piece of it.

httpx's own timeout bounds each operation; the deadline bounds their sum, so a service that sends
its headers or body a byte at a time is cut off when the request's timeout has passed.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

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


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the running exchange's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend whose connections honour the running exchange's deadline (no
    deadline outside ``bounded_exchange``: then it is the plain backend)."""

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        bounded = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport() -> httpx.HTTPTransport:
    """httpx's default transport with its connections on ``DeadlineBackend``.

    httpx takes no network backend as an argument: it is set on the connection pool the transport
    made (``tests/security/test_service_replies.py`` fails if a new httpx moves it).
    """
    transport = httpx.HTTPTransport()
    pool = transport._pool
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version keeps no httpcore connection pool where expected")
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return transport


class ServiceClient:
    """The synchronous HTTP client simulated calls reach web services with (Yemot's API module,
    Simotel's dialplan components): one per emulator, made on first use and then reused.

    Making an ``httpx.Client`` costs about 25 ms of CPU (its TLS context), which every request to
    the service would otherwise hold the server for; reused, the client also keeps its connections
    to the service alive. Each request gives its own timeout; its connections honour the deadline
    of ``bounded_exchange`` (an injected transport, in tests, is used as it is).
    """

    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self._transport = transport
        self._client: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self._client is None:
            transport = self._transport if self._transport is not None else deadline_transport()
            # (no proxy from the environment, as for callback deliveries: the request goes where its URL says)
            self._client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
        return self._client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()


@dataclass
class ServiceReply:
    """A web service's answer as far as it was read: ``body`` holds at most the cap's bytes."""

    status: int
    body: bytes
    encoding: str | None
    too_long: bool = False


def bounded_exchange(
    client: httpx.Client, method: str, url: str, *, timeout_s: float, max_bytes: int, **options: Any
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
        with client.stream(method, url, timeout=timeout_s, **options) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    return ServiceReply(response.status_code, bytes(body[:max_bytes]), response.encoding, too_long=True)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"the answer was not complete within {timeout_s:g} s")
            return ServiceReply(response.status_code, bytes(body), response.encoding)
    finally:
        _deadline.reset(token)
