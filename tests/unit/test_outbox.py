"""The outbox delivers in order per key, retries 5xx and connection errors, and records attempts."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from emulator.core.outbound.outbox import CallbackUrlError, Outbox, OutboxPolicy, validate_callback_url
from emulator.core.sim.clock import EmulatorClock

FAST = OutboxPolicy(timeout_s=1.0, max_attempts=5, backoff_base_s=0.001, backoff_cap_s=0.002)


def _outbox(handler) -> Outbox:
    return Outbox(EmulatorClock(frozen_at=1000.0), policy=FAST, transport=httpx.MockTransport(handler))


def _run(outbox: Outbox, *jobs) -> None:
    async def main():
        for job in jobs:
            job()
        assert await outbox.drain(timeout=5)

    asyncio.run(main())


def test_delivery_is_retried_after_two_500s_and_then_recorded_as_delivered():
    answers = iter([500, 500, 200])
    outbox = _outbox(lambda request: httpx.Response(next(answers)))
    _run(outbox, lambda: outbox.enqueue("http://receiver.test/hook", source="test", json={"a": 1}))
    [delivery] = outbox.list()
    assert delivery.state == "delivered"
    assert [attempt.status for attempt in delivery.attempts] == [500, 500, 200]


def test_delivery_that_never_connects_fails_after_five_attempts():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    outbox = _outbox(refuse)
    _run(outbox, lambda: outbox.enqueue("http://receiver.test/hook", source="test", json={}))
    [delivery] = outbox.list()
    assert delivery.state == "failed"
    assert len(delivery.attempts) == 5
    assert all(attempt.error.startswith("ConnectError") for attempt in delivery.attempts)


def test_4xx_is_final_and_not_retried():
    outbox = _outbox(lambda request: httpx.Response(404))
    _run(outbox, lambda: outbox.enqueue("http://receiver.test/hook", source="test", json={}))
    assert [a.status for a in outbox.list()[0].attempts] == [404]


def test_deliveries_with_the_same_key_arrive_in_enqueue_order_even_with_retries():
    seen: list[int] = []
    failures = {1: 2}

    def handler(request):
        number = int(request.url.params["n"])
        if failures.get(number):
            failures[number] -= 1
            return httpx.Response(503)
        seen.append(number)
        return httpx.Response(200)

    outbox = _outbox(handler)
    _run(
        outbox,
        *[
            lambda n=n: outbox.enqueue("http://r.test/h", source="t", key="campaign-1", params={"n": n})
            for n in range(1, 6)
        ],
    )
    assert seen == [1, 2, 3, 4, 5]


def test_form_and_json_bodies_are_sent_as_given():
    bodies: list[tuple[str, bytes]] = []

    def handler(request):
        bodies.append((request.headers["content-type"], request.content))
        return httpx.Response(200)

    outbox = _outbox(handler)
    _run(
        outbox,
        lambda: outbox.enqueue("http://r.test/a", source="t", key="k", json={"x": 1}),
        lambda: outbox.enqueue("http://r.test/b", source="t", key="k", form={"y": "2"}),
    )
    assert bodies == [("application/json", b'{"x":1}'), ("application/x-www-form-urlencoded", b"y=2")]


@pytest.mark.parametrize(
    "url",
    ["ftp://host/x", "file:///etc/passwd", "/relative", "", "http://", "http://127.0.0.1:8080/__emulator__/reset"],
)
def test_unsafe_callback_urls_are_refused(url):
    with pytest.raises(CallbackUrlError):
        validate_callback_url(url)


def test_enqueue_without_an_event_loop_records_and_waits():
    outbox = _outbox(lambda request: httpx.Response(200))
    outbox.enqueue("http://r.test/h", source="t", json={})
    assert outbox.pending == 1

    async def later():
        outbox.resume()
        assert await outbox.drain(timeout=5)

    asyncio.run(later())
    assert outbox.list()[0].state == "delivered"


def test_concurrency_is_bounded_across_ordering_keys():
    in_flight = {"now": 0, "most": 0}

    async def handler(request):
        in_flight["now"] += 1
        in_flight["most"] = max(in_flight["most"], in_flight["now"])
        await asyncio.sleep(0.02)
        in_flight["now"] -= 1
        return httpx.Response(200)

    policy = OutboxPolicy(timeout_s=1.0, max_concurrency=3)
    outbox = Outbox(EmulatorClock(frozen_at=1000.0), policy=policy, transport=httpx.MockTransport(handler))
    _run(outbox, *[lambda n=n: outbox.enqueue(f"http://r.test/{n}", source="t", key=f"k{n}") for n in range(12)])
    assert in_flight["most"] == 3
    assert {delivery.state for delivery in outbox.list()} == {"delivered"}


def test_waiting_deliveries_are_bounded_and_the_excess_fails_at_once():
    outbox = Outbox(EmulatorClock(frozen_at=1000.0), policy=OutboxPolicy(max_pending=2))
    for n in range(4):
        outbox.enqueue(f"http://r.test/{n}", source="t", key="k")
    states = [(delivery.state, [a.error for a in delivery.attempts]) for delivery in outbox.list()]
    assert states == [("pending", [])] * 2 + [("failed", ["outbox full: 2 pending"])] * 2
    assert outbox.pending == 2


def test_finished_deliveries_beyond_retention_are_pruned_oldest_first():
    outbox = Outbox(
        EmulatorClock(frozen_at=1000.0),
        policy=OutboxPolicy(retention=3),
        transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    )
    _run(outbox, *[lambda n=n: outbox.enqueue(f"http://r.test/{n}", source="t", key="k") for n in range(7)])
    outbox.enqueue("http://r.test/last", source="t", key="k")
    assert [delivery.url for delivery in outbox.list()] == [
        "http://r.test/4",
        "http://r.test/5",
        "http://r.test/6",
        "http://r.test/last",
    ]


def test_pruning_keeps_an_older_pending_delivery_in_its_place():
    outbox = Outbox(
        EmulatorClock(frozen_at=1000.0),
        policy=OutboxPolicy(retention=2),
        transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    )
    outbox.enqueue("http://r.test/waiting", source="t", key="a")  # no loop yet: it waits, pending
    _run(outbox, *[lambda n=n: outbox.enqueue(f"http://r.test/{n}", source="t", key="b") for n in range(5)])
    assert [(delivery.url, delivery.state) for delivery in outbox.list()] == [
        ("http://r.test/waiting", "pending"),
        ("http://r.test/3", "delivered"),
        ("http://r.test/4", "delivered"),
    ]
