"""One exchange with the user's web service: send the API module's request, read a bounded reply.

The call waits for the answer in simulated time: the exchange takes no emulator time unless it
times out (then ``api_timeout`` seconds pass for the caller). The exchange is awaited: the server
serves other requests (the service's own REST calls included) while it is in the air. Redirects are not followed, so a
service can never bounce the emulator onto its own control plane.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from emulator.core.outbound.exchange import bounded_exchange
from emulator.core.outbound.targets import Listeners, describe, outbound_headers
from emulator.yemot.ivr.grammar import MAX_REPLY_BYTES
from emulator.yemot.ivr.requests import ApiLinkError, OutgoingRequest, check_api_link_target


@dataclass
class Exchange:
    """What came back: a status and body, or an ``error`` saying why nothing usable did."""

    status: int | None = None
    text: str | None = None
    error: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


async def send(
    request: OutgoingRequest,
    *,
    timeout_s: float,
    client: httpx.AsyncClient,
    listeners: Listeners | None = None,
) -> Exchange:
    """Send ``request`` and wait for its reply (at most ``timeout_s`` real seconds).

    The URL passes the shared outbound guard first (``listeners``: where this emulator listens), and
    the request carries the outbound marker, which the control plane refuses.
    """
    try:
        await check_api_link_target(request.url, listeners)
    except ApiLinkError as exc:
        return Exchange(error=str(exc))
    try:
        response = await bounded_exchange(
            client,
            request.method,
            request.url,
            timeout_s=timeout_s,
            max_bytes=MAX_REPLY_BYTES,
            content=request.body,
            headers=outbound_headers(request.headers),
        )
    except httpx.TimeoutException:
        return Exchange(error=f"no answer within {timeout_s:g} s", timed_out=True)
    except httpx.HTTPError as exc:
        return Exchange(error=describe(exc))
    if response.too_long:
        return Exchange(status=response.status, error=f"reply longer than {MAX_REPLY_BYTES} bytes")
    text = response.body.decode(response.encoding or "utf-8", errors="replace")
    exchange = Exchange(status=response.status, text=text)
    if not exchange.ok:
        exchange.error = f"HTTP {response.status}"
    elif not text.strip():
        exchange.error = "empty reply"
    return exchange
