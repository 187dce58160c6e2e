"""ApiRequest.body reads the ASGI channel as Starlette's Request.body does."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import ClientDisconnect, Request

from emulator.core.http.requests import ApiRequest

SCOPE = {
    "type": "http",
    "method": "POST",
    "path": "/",
    "query_string": b"",
    "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
}


def _channel(*messages):
    queue = list(messages)

    async def receive():
        return queue.pop(0)

    return receive


def _read(request_type, *messages, then=None):
    async def main():
        request = request_type(SCOPE, _channel(*messages))
        body = await request.body()
        return body, await then(request) if then else None

    return asyncio.run(main())


@pytest.mark.parametrize(
    "messages",
    [
        [{"type": "http.request", "body": b"a=1&b=2"}],
        [{"type": "http.request", "body": b"a=", "more_body": True}, {"type": "http.request", "body": b"1&b=2"}],
        [{"type": "http.request", "body": b"", "more_body": True}, {"type": "http.request", "body": b"a=1&b=2"}],
        [{"type": "http.request"}],
    ],
)
def test_body_and_what_reads_it_again_match_starlette(messages):
    async def again(request):
        return await request.body(), dict(await request.form())

    assert _read(ApiRequest, *messages, then=again) == _read(Request, *messages, then=again)


def test_a_disconnect_before_the_body_ends_raises_client_disconnect_and_is_remembered():
    async def main():
        request = ApiRequest(
            SCOPE, _channel({"type": "http.request", "body": b"a", "more_body": True}, {"type": "http.disconnect"})
        )
        with pytest.raises(ClientDisconnect):
            await request.body()
        return await request.is_disconnected()

    assert asyncio.run(main()) is True


def test_a_consumed_stream_is_not_read_twice():
    async def main():
        request = ApiRequest(SCOPE, _channel({"type": "http.request", "body": b"x"}))
        async for _ in request.stream():
            pass
        with pytest.raises(RuntimeError, match="Stream consumed"):
            await request.body()

    asyncio.run(main())


def test_an_api_request_starts_with_the_attributes_a_starlette_request_has():
    receive = _channel()
    api, plain = ApiRequest(SCOPE, receive), Request(SCOPE, receive)
    assert vars(api) == vars(plain)
