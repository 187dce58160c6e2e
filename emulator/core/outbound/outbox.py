"""Outbound HTTP deliveries to user-given callback URLs, with retries and a full attempt record.

Deliveries never block the request that caused them: ``enqueue`` only records the delivery and
wakes a background task. Deliveries that share an ordering key (a campaign, a webhook target)
go out strictly one after another, in the order they were enqueued.

Each request is built by httpx and sent by a ``Sender`` (``emulator.core.outbound.senders``): aiohttp over
the network, or an injected httpx transport. Resources are bounded: one sender per outbox (and
event loop) with a connection limit, at most ``max_concurrency`` requests in flight, at most
``max_pending`` deliveries waiting (further ones are recorded as failed at once) and at most
``retention`` finished deliveries kept (the oldest are pruned). Every delivery ends ``delivered``
or ``failed`` with its attempts recorded, whatever the sender raises. URLs are checked by
``emulator.core.outbound.targets`` when enqueued (the request that gives one has already run
``check_service_target``, which resolves names) and again with ``check_service_target`` before
every send; every request carries the outbound marker header.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import httpx

from emulator.core.observe.logs import delivery_attempt
from emulator.core.observe.redact import redact_mapping, redact_url
from emulator.core.outbound.senders import NetworkSender, Sender, SendFailed, TransportSender
from emulator.core.outbound.targets import (
    Listeners,
    OutboundUrlError,
    check_outbound_url,
    check_service_target,
    describe,
    outbound_headers,
    parsed_url,
)
from emulator.core.sim.clock import Clock

CONTROL_PREFIX = "/__emulator__"
CallbackUrlError = OutboundUrlError
"""The error ``enqueue`` raises for a URL the emulator will not call (an ``OutboundUrlError``)."""


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
        data["url"] = redact_url(self.url)
        data["headers"] = redact_mapping(self.headers)
        data["params"] = redact_mapping(self.params) if self.params else self.params
        data["auth"] = None if self.auth is None else {"username": self.auth[0], "password": "***"}
        return data


def validate_callback_url(url: str, listeners: Listeners | None = None) -> str:
    """``check_outbound_url``: the synchronous part of ``check_service_target``, for code that cannot await."""
    return check_outbound_url(url, listeners)


@dataclass
class OutboxPolicy:
    timeout_s: float = 5.0
    max_attempts: int = 5
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 8.0
    max_connections: int = 20
    max_concurrency: int = 16
    max_pending: int = 5_000
    retention: int = 1_000


class Outbox:
    """Queue of outbound deliveries, sent by background tasks on the running event loop."""

    def __init__(
        self,
        clock: Clock,
        *,
        policy: OutboxPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        listeners: Listeners | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self._headers = dict(headers or {})  # sent with every delivery (e.g. the sandbox it came from)
        self.policy = policy or OutboxPolicy()
        self.listeners = listeners if listeners is not None else Listeners()
        self._transport = transport
        self._deliveries: deque[Delivery] = deque()
        self._queues: dict[str, deque[Delivery]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._next_id = 1
        self._sender: Sender | None = None
        self._sender_loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None

    def check_url(self, url: Any) -> str:
        """Validate a callback URL now (``OutboundUrlError`` if refused), knowing where this server listens."""
        return check_outbound_url(url, self.listeners)

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
        """Record a delivery and start sending it; ``OutboundUrlError`` if the URL is refused."""
        self.check_url(url)
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
        if self.pending >= self.policy.max_pending:
            delivery.state = "failed"
            delivery.attempts.append(
                Attempt(number=0, at=delivery.created, error=f"outbox full: {self.policy.max_pending} pending")
            )
        else:
            self._queues.setdefault(delivery.key, deque()).append(delivery)
            self._wake(delivery.key)
        self._prune()
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
        return sum(len(queue) for queue in self._queues.values())

    async def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every delivery has finished; False if the timeout came first."""
        deadline = time.monotonic() + timeout
        while self._workers:
            if time.monotonic() > deadline:
                return False
            await asyncio.wait(list(self._workers.values()), timeout=deadline - time.monotonic())
        return True

    async def aclose(self) -> None:
        """Close the sender and its connections (when the server stops)."""
        sender, self._sender, self._sender_loop = self._sender, None, None
        if sender is not None:
            await sender.aclose()

    def _prune(self) -> None:
        """Drop the oldest finished deliveries beyond ``retention``; pending ones are always kept.

        Runs after every delivery, so it looks only at the oldest end (where the finished ones
        are), not at the whole list."""
        deliveries = self._deliveries
        excess = len(deliveries) - self.pending - self.policy.retention
        if excess <= 0:
            return
        still_pending: list[Delivery] = []
        while excess > 0 and deliveries:
            oldest = deliveries.popleft()
            if oldest.state == "pending":
                still_pending.append(oldest)
            else:
                excess -= 1
        deliveries.extendleft(reversed(still_pending))

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

    def _shared_sender(self) -> tuple[Sender, asyncio.Semaphore]:
        """One sender (and one concurrency limit) per event loop the outbox runs on."""
        loop = asyncio.get_running_loop()
        if self._sender is None or self._sender_loop is not loop or self._slots is None:
            policy = self.policy
            self._sender = (
                NetworkSender(policy.timeout_s, policy.max_connections)
                if self._transport is None
                else TransportSender(self._transport, policy.timeout_s)
            )
            self._sender_loop = loop
            self._slots = asyncio.Semaphore(policy.max_concurrency)
        return self._sender, self._slots

    async def _work(self, key: str) -> None:
        queue = self._queues.get(key)
        while queue:
            delivery = queue[0]
            try:
                await self._deliver(delivery)
            finally:
                if delivery.state == "pending":
                    delivery.state = "failed"
                if queue and queue[0] is delivery:
                    queue.popleft()
        if self._queues.get(key) is queue:
            self._queues.pop(key, None)
        self._prune()

    async def _deliver(self, delivery: Delivery) -> None:
        policy = self.policy
        for number in range(1, policy.max_attempts + 1):
            attempt = Attempt(number=number, at=self.clock.now())
            delivery.attempts.append(attempt)
            started = time.perf_counter()
            retry = await self._attempt(delivery, attempt)
            attempt.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            delivery_attempt(delivery.id, delivery.url, number, attempt.status, attempt.error, attempt.duration_ms)
            if retry is None:
                delivery.state = "delivered"
                return
            if not retry:
                break
            if number < policy.max_attempts:
                await asyncio.sleep(min(policy.backoff_cap_s, policy.backoff_base_s * 2 ** (number - 1)))
        delivery.state = "failed"

    async def _attempt(self, delivery: Delivery, attempt: Attempt) -> bool | None:
        """Send once: None when delivered, True to retry, False when retrying cannot help."""
        try:
            await check_service_target(delivery.url, self.listeners)
            request = _request(delivery)
            sender, slots = self._shared_sender()
            async with slots:
                status = await sender.send(request)
        except OutboundUrlError as exc:
            attempt.error = f"refused: URL {exc.reason}"
            return False
        except SendFailed as exc:
            attempt.error = exc.text
            return exc.retry
        except Exception as exc:  # an invalid URL or anything else the client raises: final
            attempt.error = describe(exc)
            return False
        attempt.status = status
        return True if status >= 500 else None


def _request(delivery: Delivery) -> httpx.Request:
    """The delivery as the HTTP request to send: URL, query, body and headers, built by httpx.

    ``params`` join the URL's own query: httpx's ``params=`` would replace it."""
    url = parsed_url(delivery.url)
    if delivery.params:  # added to the URL's own query (a token in a webhook URL stays)
        url = url.copy_merge_params(delivery.params)
    request = httpx.Request(
        delivery.method,
        url,
        json=delivery.json,
        data=delivery.form,
        headers=outbound_headers(delivery.headers),
    )
    if delivery.auth is not None:
        request = next(httpx.BasicAuth(*delivery.auth).sync_auth_flow(request))
    return request
