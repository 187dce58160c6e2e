"""What a recording read, put on the target before the replay: each API's own ``ParityHooks.prepare``
(Yemot writes the text files the recording read before writing them; see ``emulator/yemot/parity.py``).
"""

from __future__ import annotations

from typing import Any

import httpx

from emulator import apis
from emulator.parity.exchange import Exchange
from emulator.parity.playback import body_params


def params_of(exchange: Exchange) -> dict[str, Any]:
    """A recorded request's parameters, query and body together (the last of a repeated name)."""
    request = exchange.request
    return dict(list(request.get("query") or []) + body_params(request.get("body") or {}))


def placeholder_values(credentials: dict[str, Any]) -> dict[str, str]:
    """What each placeholder kind stands for on a target whose landing page lists ``credentials``
    (by API name): each API's first credential, through its ``ParityHooks.placeholders``."""
    values: dict[str, str] = {}
    for spec in apis.registered():
        listed = credentials.get(spec.name)
        if spec.parity is not None and isinstance(listed, list) and listed and isinstance(listed[0], dict):
            values.update(spec.parity.placeholders(listed[0]))
    return values


def prepare(client: httpx.Client, exchanges: list[Exchange], values: dict[str, str]) -> list[str]:
    """Put on the target what the recording read (every API's hook); what was written."""
    done: list[str] = []
    for spec in apis.registered():
        if spec.parity is not None:
            done += spec.parity.prepare(client, spec.prefix, exchanges, values, params_of)
    return done
