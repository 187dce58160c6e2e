"""Outbound HTTP deliveries to user-given callback URLs, with retries and a full attempt record.

Deliveries never block the request that caused them: ``enqueue`` only records the delivery and
wakes a background task. Deliveries that share an ordering key (a campaign, a webhook target)
go out strictly one after another, in the order they were enqueued.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from emulator.core.clock import Clock

CONTROL_PREFIX = "/__emulator__"


class CallbackUrlError(ValueError):
    """A callback URL the emulator will not call."""


@dataclass
class Attempt:
    number: int
    at: float
    status: int | None = None
    error: str | None = None
    duration_ms: float = 0.0


@dataclass
class Delivery:
    id: int
    url: str
    method: str
    created: float
    source: str
    key: str
    json: Any = None
    form: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    state: Literal["pending", "delivered", "failed"] = "pending"
    attempts: list[Attempt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["auth"] = None if self.auth is None else {"username": self.auth[0], "password": "***"}
        return data


def validate_callback_url(url: str) -> str:
    """Accept only absolute http(s) URLs that do not point at the control plane."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackUrlError(f"callback URL must be an absolute http(s) URL: {url!r}")
    if parts.path.startswith(CONTROL_PREFIX):
        raise CallbackUrlError("callback URL must not point at the emulator control plane")
    return url


@dataclass
class OutboxPolicy:
    timeout_s: float = 5.0
    max_attempts: int = 5
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 8.0


class Outbox:
    """Queue of outbound deliveries, sent by background tasks on the running event loop."""

    def __init__(
        self,
        clock: Clock,
        *,
        policy: OutboxPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self._headers = dict(headers or {})  # sent with every delivery (e.g. the sandbox it came from)
        self.policy = policy or OutboxPolicy()
        self._transport = transport
        self._deliveries: list[Delivery] = []
        self._queues: dict[str, deque[Delivery]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._next_id = 1

    def enqueue(
        self,
        url: str,
        *,
        source: str,
        key: str | None = None,
        method: str = "POST",
        json: Any = None,
        form: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Delivery:
        validate_callback_url(url)
        delivery = Delivery(
            id=self._next_id,
            url=url,
            method=method,
            created=self.clock.now(),
            source=source,
            key=key or url,
            json=json,
            form=form,
            params=params,
            headers={**self._headers, **(headers or {})},
            auth=auth,
        )
        self._next_id += 1
        self._deliveries.append(delivery)
        self._queues.setdefault(delivery.key, deque()).append(delivery)
        self._wake(delivery.key)
        return delivery

    def list(self) -> list[Delivery]:
        return list(self._deliveries)

    def clear(self) -> None:
        for task in self._workers.values():
            task.cancel()
        self._workers.clear()
        self._queues.clear()
        self._deliveries.clear()

    @property
    def pending(self) -> int:
        return sum(1 for delivery in self._deliveries if delivery.state == "pending")

    async def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every delivery has finished; False if the timeout came first."""
        deadline = time.monotonic() + timeout
        while self._workers:
            if time.monotonic() > deadline:
                return False
            await asyncio.wait(list(self._workers.values()), timeout=deadline - time.monotonic())
        return True

    def _wake(self, key: str) -> None:
        if key in self._workers:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: the next enqueue or ``resume`` on a loop starts the worker
        task = loop.create_task(self._work(key))
        self._workers[key] = task
        task.add_done_callback(lambda _t, k=key: self._workers.pop(k, None))

    def resume(self) -> None:
        """Start workers for queues that were filled while no event loop was running."""
        for key, queue in list(self._queues.items()):
            if queue:
                self._wake(key)

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        async with httpx.AsyncClient(transport=self._transport, timeout=self.policy.timeout_s) as client:
            while queue:
                await self._deliver(client, queue[0])
                queue.popleft()
        self._queues.pop(key, None)

    async def _deliver(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        policy = self.policy
        for number in range(1, policy.max_attempts + 1):
            attempt = Attempt(number=number, at=self.clock.now())
            delivery.attempts.append(attempt)
            started = time.perf_counter()
            try:
                response = await client.request(
                    delivery.method,
                    delivery.url,
                    json=delivery.json,
                    data=delivery.form,
                    params=delivery.params,
                    headers=delivery.headers,
                    auth=delivery.auth,
                )
                attempt.status = response.status_code
                retry = response.status_code >= 500
            except httpx.HTTPError as exc:
                attempt.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                retry = True
            attempt.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            if not retry:
                delivery.state = "delivered"
                return
            if number < policy.max_attempts:
                await asyncio.sleep(min(policy.backoff_cap_s, policy.backoff_base_s * 2 ** (number - 1)))
        delivery.state = "failed"
