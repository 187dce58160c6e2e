"""A recording sent again, in order, to an emulator, each answer compared with the recorded one.

The target is a running emulator (``--against URL``) or one started for the replay from a fixture.
What the recording implies is set up first: the text files it read are written to the target
(``preparation.py``); the first placeholder of each credential kind stands for the target's
default credential (the first Yemot system's token and password, the first Simotel account's
Basic credentials and API key, read from the target's landing page); placeholders a recorded
answer introduced (a ``Login`` token) take the target's live values. Webhook exchanges (the
platform calling the user's service) are listed but not replayed: the emulator does not answer them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from emulator.parity import bodies
from emulator.parity.exchange import Exchange, RecordingError, load_recording
from emulator.parity.matcher import Bindings, Difference, compare
from emulator.parity.preparation import placeholder_values, prepare
from emulator.parity.rules import Rules

SENT_HEADERS = ("content-type", "accept", "authorization", "x-apikey", "cookie")
MAX_SIDE_FILE = 64 * 1024 * 1024


@dataclass
class Outcome:
    """One exchange's replay: its differences, or why it was not compared."""

    exchange: Exchange
    differences: list[Difference] = field(default_factory=list)
    live: dict[str, Any] | None = None
    skipped: str | None = None

    @property
    def failing(self) -> list[Difference]:
        return [difference for difference in self.differences if difference.failing]

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "skipped"
        return "differs" if self.failing else "same"


def credentials_of(client: httpx.Client) -> dict[str, str]:
    """The target's default credentials by placeholder kind (its landing page, as JSON)."""
    try:
        landing = client.get("/", headers={"Accept": "application/json"}).json()
    except (httpx.HTTPError, ValueError):
        return {}
    found = (landing or {}).get("credentials") or {} if isinstance(landing, dict) else {}
    return placeholder_values(found) if isinstance(found, dict) else {}


def replay(folder: Path, base_url: str, rules: Rules, *, timeout: float = 30.0) -> list[Outcome]:
    """Replay every exchange of ``folder`` against ``base_url``; one outcome per exchange."""
    exchanges = list(load_recording(folder))
    if not exchanges:
        raise RecordingError(f"{folder}: no exchange files (NNNN-*.json)")
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, trust_env=False) as client:
        bindings = Bindings(credentials_of(client))
        prepare(client, exchanges, bindings.defaults)
        return [_one(client, exchange, rules, bindings) for exchange in exchanges]


def _one(client: httpx.Client, exchange: Exchange, rules: Rules, bindings: Bindings) -> Outcome:
    if exchange.direction == "webhook":
        return Outcome(exchange, skipped="webhook: the platform's request to the user's service")
    if "truncated" in (exchange.request.get("body") or {}):
        return Outcome(exchange, skipped="the request body was too large to record")
    try:
        request = _request(client, exchange, bindings)
    except (RecordingError, OSError) as exc:
        return Outcome(exchange, skipped=f"cannot rebuild the request: {exc}")
    try:
        answer = client.send(request)
    except httpx.HTTPError as exc:
        live = {"status": 0, "body": {"text": f"no answer: {type(exc).__name__}"}}
        return Outcome(exchange, [Difference("status", "status", exchange.response.get("status"), 0)], live)
    body, _ = bodies.describe(answer.headers.get("content-type"), answer.content, exchange.stem)
    live = {"status": answer.status_code, "headers": {"content-type": answer.headers.get("content-type")}, "body": body}
    return Outcome(exchange, compare(exchange.api, exchange.response, live, rules, bindings), live)


def _request(client: httpx.Client, exchange: Exchange, bindings: Bindings) -> httpx.Request:
    recorded = exchange.request
    query = [tuple(pair) for pair in bindings.fill(recorded.get("query") or []) if len(pair) == 2]
    headers = {name: bindings.fill(value) for name, value in (recorded.get("headers") or {}).items()}
    headers = {name: value for name, value in headers.items() if name in SENT_HEADERS and isinstance(value, str)}
    content, content_type = bodies.build(bindings.fill(recorded.get("body") or {}), lambda name: _side(exchange, name))
    if content_type:
        headers["content-type"] = content_type
    method = str(recorded.get("method") or "GET").upper()
    return client.build_request(
        method, recorded["path"], params=query or None, headers=headers, content=content or None
    )


def _side(exchange: Exchange, name: str) -> bytes:
    if exchange.folder is None or "/" in name or "\\" in name or name.startswith("."):
        raise RecordingError(f"side file {name!r} is not a plain file name")
    path = exchange.folder / name
    if path.stat().st_size > MAX_SIDE_FILE:
        raise RecordingError(f"side file {name} is larger than {MAX_SIDE_FILE} bytes")
    return path.read_bytes()


@contextlib.contextmanager
def embedded_emulator(fixtures: Path | None = None) -> Iterator[str]:
    """A fresh emulator on a free loopback port for the replay; yields its base URL."""
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import serve_in_thread

    options = {"fixtures": fixtures} if fixtures else {}
    config = EmulatorConfig.from_env({}, log_level="warning", **options)
    with serve_in_thread(config, log_level="error") as urls:
        yield urls.base
