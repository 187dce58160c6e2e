"""How the outbox puts a built request on the wire: over the network with aiohttp, or through an
injected httpx transport (tests, in-process receivers).

The request itself is always built by httpx (URL, query, body and headers), so the URL the checks
in ``emulator.core.outbound.targets`` parsed is the URL that is sent, and both senders send the same bytes.
aiohttp sends it because a delivery costs several times less CPU in aiohttp than in httpx's async
client (~0.16 ms against ~0.65 ms on loopback), and deliveries run on the loop that serves the
APIs. It is imported on the first network delivery, so it adds nothing to the start-up time.

Failures raise ``SendFailed`` described in one vocabulary whichever client sent the request
(``ConnectError: ...``, ``ReadTimeout: ...``), with whether retrying can help.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from emulator.core.outbound.targets import OutboundUrlError, describe, port_of

if TYPE_CHECKING:
    import aiohttp

# A whole exchange may take this many timeouts: a receiver that trickles its answer byte by byte
# (every read in time) cannot hold a delivery, and its concurrency slot, for ever.
TOTAL_TIMEOUTS = 3
# A delivery's answer is read only to keep its connection reusable, and only when it is this small.
ANSWER_READ_CAP = 64 * 1024
# Set by aiohttp from the URL and the body; httpx's values are the same.
_AIOHTTP_SETS = frozenset({b"host", b"content-length", b"transfer-encoding"})


class SendFailed(Exception):
    """A request that got no HTTP answer: ``text`` describes why, ``retry`` tells whether trying again can help."""

    def __init__(self, text: str, *, retry: bool) -> None:
        super().__init__(text)
        self.text = text
        self.retry = retry


class Sender(Protocol):
    async def send(self, request: httpx.Request) -> int:
        """Send ``request``; its answer's status code, or ``SendFailed``."""
        ...

    async def aclose(self) -> None: ...


class TransportSender:
    """Sends through an httpx transport (``httpx.MockTransport``, an ASGI transport...)."""

    def __init__(self, transport: httpx.AsyncBaseTransport, timeout_s: float) -> None:
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout_s, follow_redirects=False)

    async def send(self, request: httpx.Request) -> int:
        try:
            response = await self._client.send(request)
        except (httpx.TransportError, httpx.TooManyRedirects, httpx.StreamError) as exc:
            retry = not isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError)
            raise SendFailed(describe(exc), retry=retry) from exc
        await response.aclose()
        return response.status_code

    async def aclose(self) -> None:
        await self._client.aclose()


class NetworkSender:
    """Sends over the network with one aiohttp session: at most ``max_connections`` connections,
    kept alive between deliveries; proxies from the environment are not used, and no cookies are
    kept. Connecting and each
    read may take ``timeout_s``, the whole exchange ``TOTAL_TIMEOUTS`` times that."""

    def __init__(self, timeout_s: float, max_connections: int) -> None:
        self._timeout_s = timeout_s
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            import aiohttp

            timeout = aiohttp.ClientTimeout(
                total=self._timeout_s * TOTAL_TIMEOUTS,
                connect=self._timeout_s,
                sock_connect=self._timeout_s,
                sock_read=self._timeout_s,
            )
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=timeout,
                auto_decompress=False,
                trust_env=False,
                # No cookies kept: a receiver's Set-Cookie must not ride along on later deliveries
                # (to it or to another receiver on its host), as the real platforms send none.
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def send(self, request: httpx.Request) -> int:
        import aiohttp

        url = _same_target(request.url)
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in request.headers.raw
            if name.lower() not in _AIOHTTP_SETS
        ]  # (names as written: the marker header keeps its capitals)
        try:
            async with self._client().request(
                request.method, url, data=request.content or None, headers=headers, allow_redirects=False
            ) as answer:
                if answer.content_length is not None and answer.content_length <= ANSWER_READ_CAP:
                    await answer.read()  # (a small answer read in full leaves the connection reusable)
                return answer.status
        except aiohttp.InvalidURL as exc:
            raise SendFailed(f"InvalidURL: {exc}", retry=False) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise SendFailed(_aiohttp_failure(exc), retry=True) from exc
        except ValueError as exc:  # a request aiohttp will not send (say, a header it refuses): final
            raise SendFailed(describe(exc), retry=False) from exc

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def _same_target(url: httpx.URL) -> Any:
    """``url`` as aiohttp's URL type, already encoded by httpx; refused unless both parsers agree on
    where it goes (scheme, host and port), so the target that was checked is the one connected to."""
    import yarl

    sent = yarl.URL(str(url), encoded=True)
    checked = (url.scheme, url.host.strip("[]").lower(), port_of(url))
    if (sent.scheme, (sent.host or "").strip("[]").lower(), sent.port) != checked:
        raise OutboundUrlError("is read differently by the sending client")
    return sent


def _aiohttp_failure(exc: BaseException) -> str:
    """An aiohttp failure named as the same failure is named for an httpx transport."""
    import aiohttp

    for kinds, name in (
        ((aiohttp.ConnectionTimeoutError,), "ConnectTimeout"),
        ((aiohttp.SocketTimeoutError, aiohttp.ServerTimeoutError, asyncio.TimeoutError), "ReadTimeout"),
        ((aiohttp.ClientConnectorError,), "ConnectError"),
        (
            (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientResponseError),
            "RemoteProtocolError",
        ),
        ((aiohttp.ClientOSError, OSError), "NetworkError"),
    ):
        if isinstance(exc, kinds):
            detail = str(getattr(exc, "os_error", None) or exc)
            return f"{name}: {detail}" if detail else name
    return describe(exc)
