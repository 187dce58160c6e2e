"""Simotel event webhooks (reference §4): one ``emit`` that every state change calls.

The settings live in ``SimotelState.settings.webhook``: ``url``, ``method`` (``G4`` = JSON POST to
the URL, ``Rest4`` = JSON POST to the URL with ``/<EventName>`` appended, ``GET`` = fields as query
parameters), optional ``username``/``password`` (Basic auth towards the receiver) and ``events``
(the enabled event names; ``"*"`` enables all). Deliveries go through the outbox, ordered per
webhook target, so a request never waits for the receiver.

Usage from any service or resource: ``events.emit(call, "ExtenAdded", {"exten": "101", "state": "Unavailable"})``
where ``call`` is the ``SimotelCall`` (or the ``Emulator`` itself, e.g. in a scheduler handler).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from emulator.core.http.contracts import ContractViolation
from emulator.core.outbound.outbox import CallbackUrlError
from emulator.simotel.dates import event_stamp

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator
    from emulator.core.outbound.outbox import Delivery
    from emulator.simotel.context import SimotelCall

EVENT_NAMES = (
    "NewState",
    "Transfer",
    "IncomingCall",
    "OutgoingCall",
    "ExtenAdded",
    "ExtenRemoved",
    "IncomingFax",
    "OutgoingFax",
    "CdrQueue",
    "VoiceMail",
    "VoiceMailEmail",
    "Survey",
    "Cdr",
    "TrunkNewState",
    "TrunkAdded",
    "TrunkRemoved",
    "AutoDialerReport",
    "ReservedCallInFront",
    "Ping",
)
NAMED_BY_EVENT = ("Survey",)  # the sample names the event in ``event``, without ``event_name``
SOURCE = "simotel.webhook"


def runtime_of(source: SimotelCall | Emulator) -> Emulator:
    """The emulator behind a service call, or the emulator itself."""
    return getattr(source, "emulator", source)  # type: ignore[return-value]


def enabled(source: SimotelCall | Emulator, name: str) -> bool:
    """Whether ``name`` would be delivered now (a URL is set and the event is switched on)."""
    webhook = runtime_of(source).world.simotel.settings.webhook
    return bool(webhook.url) and (name in webhook.events or "*" in webhook.events)


def emit(source: SimotelCall | Emulator, name: str, payload: dict[str, Any]) -> Delivery | None:
    """Queue event ``name`` with ``payload`` for the configured webhook; None when it is not enabled."""
    if not enabled(source, name):
        return None
    emulator = runtime_of(source)
    webhook = emulator.world.simotel.settings.webhook
    body = {"event": name, **payload} if name in NAMED_BY_EVENT else {"event_name": name, **payload}
    if emulator.config.strict:
        check(emulator, name, body)
    auth = (webhook.username, webhook.password) if webhook.username else None
    options: dict[str, Any] = {"source": SOURCE, "key": f"{SOURCE}:{webhook.url}", "auth": auth}
    try:
        if webhook.method == "GET":
            return emulator.outbox.enqueue(webhook.url, method="GET", params=_query(body), **options)
        url = webhook.url.rstrip("/") + "/" + name if webhook.method == "Rest4" else webhook.url
        return emulator.outbox.enqueue(url, method="POST", json=body, **options)
    except CallbackUrlError:
        return None  # a URL the emulator refuses to call (not http(s), or the control plane)


def check(emulator: Emulator, name: str, body: dict[str, Any]) -> None:
    """Strict mode: raise ContractViolation unless ``body`` matches the contract's webhook ``name``."""
    contract = emulator.contracts["simotel"]
    webhook = contract.document.get("webhooks", {}).get(name)
    if webhook is None:
        raise ContractViolation(f"webhook {name}", 0, [f"event {name} is not in the contract's webhooks"])
    schema = contract.resolve(webhook["post"]["requestBody"])["content"]["application/json"]["schema"]
    problems = [f"{'/'.join(map(str, error.instance_path)) or '(body)'}: {error.message}"
                for error in contract.validator(contract.resolve(schema)).iter_errors(body)]  # fmt: skip
    if problems:
        raise ContractViolation(f"webhook {name}", 0, problems)


def stamp(source: SimotelCall | Emulator) -> str:
    """Now as an event timestamp (Gregorian, microseconds, Tehran time)."""
    return event_stamp(runtime_of(source).clock.now())


def _query(body: dict[str, Any]) -> dict[str, str]:
    """Flat query parameters: scalars as text, nested values as compact JSON, null as empty."""
    out = {}
    for key, value in body.items():
        if value is None:
            out[key] = ""
        elif isinstance(value, dict | list):
            out[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        else:
            out[key] = str(value)
    return out
