"""Bytes produced in a forked child: the image of one instant, streamed while the parent goes on."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from emulator.core.persist import forked

pytestmark = pytest.mark.skipif(not forked.available(), reason="os.fork is not available on this platform")


async def _collect(produce) -> bytes:
    return b"".join([chunk async for chunk in forked.produce_in_child(produce)])


def test_the_child_s_bytes_arrive_whole_in_several_chunks():
    data = bytes(range(256)) * 20_000  # 5 MB

    async def run() -> list[bytes]:
        return [chunk async for chunk in forked.produce_in_child(lambda: data)]

    chunks = asyncio.run(run())
    assert b"".join(chunks) == data
    assert len(chunks) > 1 and max(map(len, chunks)) <= forked.CHUNK


def test_the_child_sees_the_state_of_the_instant_it_was_forked():
    state = {"rows": [1, 2, 3]}

    def slow_encode() -> bytes:
        time.sleep(0.2)
        return json.dumps(state).encode()

    async def run() -> bytes:
        pending = asyncio.ensure_future(_collect(slow_encode))
        await asyncio.sleep(0.05)
        state["rows"].append(4)  # the parent changes its state while the child encodes
        return await pending

    assert json.loads(asyncio.run(run())) == {"rows": [1, 2, 3]}
    assert state["rows"] == [1, 2, 3, 4]


def test_the_parent_keeps_running_while_the_child_works():
    def slow() -> bytes:
        time.sleep(0.4)
        return b"done"

    async def run() -> tuple[bytes, int]:
        ticks = 0
        pending = asyncio.ensure_future(_collect(slow))
        while not pending.done():
            ticks += 1
            await asyncio.sleep(0.01)
        return await pending, ticks

    data, ticks = asyncio.run(run())
    assert data == b"done"
    assert ticks >= 20  # about 40 in 0.4 s: the loop was never blocked for long


def test_a_child_that_fails_is_reported():
    def broken() -> bytes:
        raise RuntimeError("cannot encode")

    with pytest.raises(forked.ChildFailed, match="exited with status 1"):
        asyncio.run(_collect(broken))


def test_the_snapshot_endpoint_streams_from_a_child_the_same_bytes_as_in_place(emulator_factory, monkeypatch):
    children = []
    real = forked.stream_from_child

    def spy(emit):
        children.append(emit)
        return real(emit)

    monkeypatch.setattr(forked, "stream_from_child", spy)
    in_child = emulator_factory(snapshot_in_child=True)
    in_place = emulator_factory(snapshot_in_child=False)
    for emulator in (in_child, in_place):
        emulator.yemot.post("SendSms", data={"token": emulator.yemot_token, "phones": "0527777001", "message": "x"})
    streamed = in_child.admin.get("snapshot")
    assert len(children) == 1
    whole = in_place.admin.get("snapshot")
    assert len(children) == 1
    assert streamed.status_code == whole.status_code == 200
    assert streamed.headers["content-type"] == whole.headers["content-type"] == "application/json"
    assert streamed.content == in_child.runtime.snapshot_bytes()
    assert streamed.headers["content-length"] == str(len(streamed.content))  # counted by the child first
    assert whole.content == in_place.runtime.snapshot_bytes()


def test_a_child_whose_reader_goes_away_is_ended():
    def endless() -> bytes:
        time.sleep(60)
        return b"never"

    async def run() -> float:
        chunks = forked.produce_in_child(lambda: b"x" * (forked.CHUNK * 4) + endless())
        started = time.perf_counter()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(anext(chunks), timeout=0.2)
        await chunks.aclose()
        return time.perf_counter() - started

    assert asyncio.run(run()) < 5  # the child was killed, not waited for
