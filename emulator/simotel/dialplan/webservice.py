"""One request from a dialplan API component to the user's web service, and what came back.

The PBX waits 1 second for the answer (reference B1). The request is awaited while the call's step
waits for it (``emulator.core.sim.flights``); the server serves other requests meanwhile, and the walk
stays deterministic on the emulator clock. The verb follows the webhook "API Method": ``GET`` sends
the fields as query parameters, ``G4``/``Rest4`` POST them as JSON to the component's own address
(no event-name suffix, no Basic auth: both are documented for events only). Addresses are checked like
every callback URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from emulator.core.outbound.exchange import bounded_exchange
from emulator.core.outbound.targets import Listeners, OutboundUrlError, check_service_target, describe, outbound_headers

WAIT_S = 1.0
MAX_REPLY_BYTES = 64 * 1024


@dataclass
class Answer:
    """What the web service answered: ``reply`` is the JSON object, or None with ``error`` saying why."""

    status: int | None
    text: str
    reply: dict[str, Any] | None
    error: str | None
    code: str = "reply"  # of the failure: url, timeout, network, status, reply


async def ask(
    url: str,
    fields: dict[str, str],
    method: str,
    client: httpx.AsyncClient,
    listeners: Listeners | None = None,
) -> Answer:
    """Send ``fields`` to ``url`` and wait up to 1 second for a JSON object.

    The URL passes the shared outbound guard (never the control plane, never this emulator itself
    on any of ``listeners``) and the request carries the outbound marker header.
    """
    try:
        await check_service_target(url, listeners)
    except OutboundUrlError as exc:
        return Answer(None, "", None, str(exc), "url")
    options: dict[str, Any] = {"params": fields} if method == "GET" else {"json": fields}
    try:
        verb = "GET" if method == "GET" else "POST"
        response = await bounded_exchange(
            client, verb, url, timeout_s=WAIT_S, max_bytes=MAX_REPLY_BYTES, headers=outbound_headers(), **options
        )
    except httpx.TimeoutException:
        return Answer(None, "", None, f"no answer within {WAIT_S:g} second", "timeout")
    except httpx.HTTPError as exc:
        return Answer(None, "", None, describe(exc), "network")
    text = response.body.decode("utf-8", "replace")  # (the first MAX_REPLY_BYTES: a longer one is not JSON)
    if response.status != 200:
        return Answer(response.status, text, None, f"HTTP {response.status}", "status")
    try:
        reply = json.loads(text)
    except ValueError:
        return Answer(response.status, text, None, "the reply is not JSON")
    if not isinstance(reply, dict):
        return Answer(response.status, text, None, "the reply is not a JSON object")
    return Answer(response.status, text, reply, None)


def is_ok(reply: dict[str, Any]) -> bool:
    """``ok`` as the wiki writes it (``"1"``) or as the PHP client sends it (``1``, ``true``)."""
    value = reply.get("ok")
    return value is True or (not isinstance(value, bool) and str(value).strip() == "1")
