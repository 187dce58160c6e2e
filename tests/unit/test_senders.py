"""Both outbox senders put the same request on the wire and name failures the same way."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from emulator.core.outbound.outbox import Delivery, _request
from emulator.core.outbound.senders import ANSWER_READ_CAP, NetworkSender, SendFailed, TransportSender, _same_target
from emulator.core.outbound.targets import MARKER_HEADER, OutboundUrlError
from emulator.testing.receiver import Receiver, Response
from emulator.testing.slow import SlowPeer


def _delivery(url: str, **fields) -> Delivery:
    return Delivery(id=1, url=url, method="POST", created=0.0, source="test", key="k", **fields)


def _send(sender, request: httpx.Request) -> int:
    async def main() -> int:
        try:
            return await sender.send(request)
        finally:
            await sender.aclose()

    return asyncio.run(main())


@pytest.mark.parametrize(
    "fields",
    [
        {"json": {"שם": "דנה", "n": 1.5, "list": [1, None]}, "params": {"a": "1 2", "b": "ב"}},
        {"form": {"CallId": "x y", "phone": ["0501", "0502"]}, "auth": ("user", "pässword")},
    ],
)
def test_network_and_transport_senders_send_the_same_bytes(fields):
    seen: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with Receiver(status=204) as receiver:
        delivery = _delivery(receiver.url + "/hook?x=1", headers={"X-Sandbox": "sb1"}, **fields)
        assert _send(NetworkSender(timeout_s=5.0, max_connections=2), _request(delivery)) == 204
        assert _send(TransportSender(httpx.MockTransport(capture), timeout_s=5.0), _request(delivery)) == 204
        [hit] = receiver.wait_for(1)
    [mocked] = seen
    assert hit.method == mocked.method == "POST"
    assert hit.body == mocked.content
    assert hit.path == mocked.url.path
    assert hit.query == {name: mocked.url.params.get_list(name)[-1] for name in mocked.url.params}
    for name in ("content-type", "content-length", "authorization", "x-sandbox", MARKER_HEADER.lower()):
        assert hit.headers.get(name) == mocked.headers.get(name), name


def test_a_closed_port_is_a_connect_error_worth_retrying():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SendFailed) as failed:
        _send(NetworkSender(timeout_s=2.0, max_connections=2), _request(_delivery(f"http://127.0.0.1:{port}/h")))
    assert failed.value.text.startswith("ConnectError: ")
    assert failed.value.retry is True


def test_a_receiver_that_never_answers_is_a_read_timeout_worth_retrying():
    with SlowPeer() as peer, pytest.raises(SendFailed) as failed:
        _send(NetworkSender(timeout_s=0.3, max_connections=2), _request(_delivery(peer.url + "/h", json={})))
    assert failed.value.text.startswith("ReadTimeout")
    assert failed.value.retry is True


def test_a_receiver_that_trickles_its_answer_is_cut_off_after_three_timeouts():
    started = time.monotonic()
    # (a byte of a header every 0.1 s: always in time for the 0.3 s read timeout)
    with SlowPeer(head=b"HTTP/1.1 200 OK\r\n", drip=b"X") as peer, pytest.raises(SendFailed) as failed:
        _send(NetworkSender(timeout_s=0.3, max_connections=2), _request(_delivery(peer.url + "/h", json={})))
    assert failed.value.text.startswith("ReadTimeout") and failed.value.retry is True
    assert 0.8 < time.monotonic() - started < 3


def test_a_large_answer_is_not_read_but_its_status_counts():
    big = b"x" * (ANSWER_READ_CAP + 1)
    with Receiver(respond=lambda hit: Response(status=200, body=big)) as receiver:
        sender = NetworkSender(timeout_s=5.0, max_connections=2)
        assert _send(sender, _request(_delivery(receiver.url + "/h", json={"a": 1}))) == 200


class _ReadElsewhere(httpx.URL):
    """A URL whose text names another host than the one the checks read (two parsers disagreeing)."""

    def __str__(self) -> str:
        return "http://elsewhere.test/h"


def test_a_url_the_sending_client_reads_differently_is_refused():
    assert str(_same_target(httpx.URL("http://127.0.0.1:8080/h?a=%20"))) == "http://127.0.0.1:8080/h?a=%20"
    with pytest.raises(OutboundUrlError, match="read differently by the sending client"):
        _same_target(_ReadElsewhere("http://127.0.0.1/h"))


def test_transport_errors_keep_their_httpx_names():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(SendFailed) as failed:
        _send(TransportSender(httpx.MockTransport(refuse), timeout_s=1.0), _request(_delivery("http://r.test/h")))
    assert failed.value.text == "ConnectError: connection refused" and failed.value.retry is True


def test_a_receivers_cookie_is_not_sent_on_later_deliveries():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    cookies: list[str | None] = []

    class SetsCookies(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            cookies.append(self.headers.get("cookie"))
            self.send_response(204)
            self.send_header("set-cookie", "session=abc; Path=/")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SetsCookies)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://localhost:{server.server_address[1]}/hook"  # (cookies are never kept for an IP address)

    async def main() -> list[int]:
        sender = NetworkSender(timeout_s=5.0, max_connections=2)
        try:
            return [await sender.send(_request(_delivery(url, json={"n": n}))) for n in range(2)]
        finally:
            await sender.aclose()

    try:
        assert asyncio.run(main()) == [204, 204]
    finally:
        server.shutdown()
    assert cookies == [None, None]
