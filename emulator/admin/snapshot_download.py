"""``GET /__emulator__/snapshot``: the state streamed from a forked child, within the state budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import JSONResponse, Response, StreamingResponse

from emulator.core.persist import forked, state_budget

INSUFFICIENT_STORAGE = 507


def refused(budget: int) -> JSONResponse:
    """The answer for a state past the budget: a download no restore would accept is not sent."""
    return JSONResponse({"error": state_budget.too_large(budget), "budget": budget}, status_code=INSUFFICIENT_STORAGE)


async def snapshot_response(emulator: Any) -> Response:
    """The whole state as JSON. A forked child encodes an image of this instant, first counting its
    size (so the answer has a Content-Length, or is refused before a byte of it is sent), then
    streaming it in pieces; the server keeps answering meanwhile (in place where fork is missing)."""
    budget = emulator.config.max_snapshot_bytes
    if not (emulator.config.snapshot_in_child and forked.available()):
        return _in_place(emulator, budget)
    chunks = forked.stream_from_child(lambda write: state_budget.sized_snapshot(emulator, budget, write))
    try:
        size, first = await _size_line(chunks)
    except (forked.ChildFailed, StopAsyncIteration, OSError, ValueError):
        await chunks.aclose()
        return _in_place(emulator, budget)
    if size is None:
        await chunks.aclose()
        return refused(budget)

    async def body() -> AsyncIterator[bytes]:
        if first:
            yield first
        async for chunk in chunks:
            yield chunk

    return StreamingResponse(body(), media_type="application/json", headers={"content-length": str(size)})


def _in_place(emulator: Any, budget: int) -> Response:
    data = emulator.snapshot_bytes()
    if len(data) > budget:
        return refused(budget)
    return Response(data, media_type="application/json")


async def _size_line(chunks: AsyncIterator[bytes]) -> tuple[int | None, bytes]:
    """The child's first line (the size, or ``-``) and the bytes after it."""
    head = b""
    while b"\n" not in head:
        head += await anext(chunks)
        if len(head) > 64:
            raise ValueError("no size line")
    line, rest = head.split(b"\n", 1)
    return (None if line == b"-" else int(line)), rest
