"""``serve --playback DIR``: recorded answers served in front of the emulator.

An ASGI wrapper. A request whose method, path and parameters (query, form, multipart fields, the
top level of a JSON object) match a recorded API exchange gets that exchange's recorded answer;
everything else goes on to the emulator, its body handed on unchanged. Parameters holding secrets
(tokens, passwords: recorded as placeholders) and those the rules call volatile (ids, times) are
left out of the match. Several exchanges of one request are answered in recorded order, the last
one again once they are used up.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from emulator.core.observe.redact import is_secret_name
from emulator.parity import bodies
from emulator.parity.exchange import Exchange, load_recording
from emulator.parity.redaction import PLACEHOLDER
from emulator.parity.rules import Rules, load_rules

MAX_MATCHED_BODY = 1024 * 1024  # larger bodies are not matched, only passed on

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def request_key(method: str, path: str, params: list[list[Any]], rules: Rules) -> Key:
    """What a request is matched by: method, path, and its stable parameters, sorted."""
    kept = sorted(
        (str(name), json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else value)
        for name, value in params
        if not is_secret_name(name)
        and not rules.volatile(str(name), value)
        and not (isinstance(value, str) and PLACEHOLDER.search(value))
    )
    return method.upper(), path, tuple(kept)


def body_params(description: dict[str, Any]) -> list[list[Any]]:
    """The named parameters of a body description."""
    if "form" in description:
        return description["form"]
    if isinstance(description.get("json"), dict):
        return [[name, value] for name, value in description["json"].items()]
    if "multipart" in description:
        return [[part.get("name") or "", part["value"]] for part in description["multipart"] if "value" in part]
    return []


class Playback:
    """The emulator app behind recorded answers; ``state`` is the emulator app's."""

    def __init__(self, app: Any, folder: Path, rules: Rules | None = None) -> None:
        self.app = app
        self.rules = rules or load_rules(recording=folder)
        self.answers: dict[Key, list[Exchange]] = defaultdict(list)
        self._served: dict[Key, int] = defaultdict(int)
        for exchange in load_recording(folder):
            if exchange.direction != "api":
                continue
            request = exchange.request
            params = list(request.get("query") or []) + body_params(request.get("body") or {})
            key = request_key(str(request.get("method", "GET")), request["path"], params, self.rules)
            self.answers[key].append(exchange)

    @property
    def state(self) -> Any:
        return self.app.state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.answers:
            await self.app(scope, receive, send)
            return
        messages, body = await _read(receive)
        exchange = None if body is None else self._match(scope, body)
        if exchange is not None:
            await _answer(send, exchange)
            return

        async def replayed() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replayed, send)

    def _match(self, scope: dict[str, Any], body: bytes) -> Exchange | None:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        described, _ = bodies.describe(headers.get("content-type"), body, "live")
        params = bodies.parse_qsl_text(scope.get("query_string", b"")) + body_params(described)
        key = request_key(scope["method"], scope["path"], params, self.rules)
        recorded = self.answers.get(key)
        if not recorded:
            return None
        turn = self._served[key]
        self._served[key] = turn + 1
        return recorded[min(turn, len(recorded) - 1)]


async def _read(receive: Any) -> tuple[list[dict[str, Any]], bytes | None]:
    """The request's messages as received (to hand on) and its body, or None past the match limit."""
    messages: list[dict[str, Any]] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_MATCHED_BODY:
            return messages, None
        if not message.get("more_body"):
            return messages, b"".join(m.get("body", b"") for m in messages)


async def _answer(send: Any, exchange: Exchange) -> None:
    response = exchange.response
    recorded_type = (response.get("headers") or {}).get("content-type")
    content, _ = bodies.build(response.get("body") or {}, lambda name: (exchange.folder / name).read_bytes())
    headers = [(b"content-length", str(len(content)).encode()), (b"x-emulator-playback", exchange.stem.encode())]
    if recorded_type:
        headers.append((b"content-type", recorded_type.encode("latin-1")))
    await send({"type": "http.response.start", "status": response["status"], "headers": headers})
    await send({"type": "http.response.body", "body": content})
