"""Defects 1, 4 and 5: callbacks never reach the emulator itself, bad URLs are refused, deliveries always end."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from conftest import TOKEN, Wire

from emulator.core.outbound.targets import MARKER_HEADER
from emulator.testing.receiver import Receiver

CONTROL_SPELLINGS = [
    "http://127.0.0.1:{port}//__emulator__/reset",
    "http://127.0.0.1:{port}/%5F%5Femulator__/reset",
    "http://127.0.0.1:{port}/ym/api/../../__emulator__/reset",
    "http://localhost:{port}/./__emulator__/reset",
    "http://127.0.0.1:{port}/%255F%255Femulator__/reset",
    "http://127.0.0.1:{port}/ym/api/..%2F..%2F__emulator__/reset",
    "http://127.0.0.1:{port}/\\__emulator__/reset",
    "http://example.test/__EMULATOR__/reset",
    "http://127.0.0.1:{port}/sb/abc/__emulator__/reset",
]
SELF_SPELLINGS = [
    "http://127.0.0.1:{port}/ym/api/GetSession",
    "http://localhost:{port}/hook",
    "http://LOCALHOST.:{port}/hook",
    "http://127.1:{port}/hook",
    "http://2130706433:{port}/hook",
    "http://0x7f.0.0.1:{port}/hook",
    "http://[::ffff:127.0.0.1]:{port}/hook",
    "http://0.0.0.0:{port}/hook",
    "http://127.9.9.9:{port}/hook",
]
BAD_URLS = [
    "http://127.0.0.1:abc/",
    "http://127.0.0.1:9/a\r\nb",
    "http://127.0.0.1:9/a\nX-Injected: 1",
    "http://127.0.0.1:9/a\x00b",
    "http://[::1",
    "http://[zz]/",
    "http://127.0.0.1:99999/",
    "http://127.0.0.1:0/",
    "http://exa mple.test/",
    "ftp://example.test/x",
    "//example.test/x",
    "javascript:alert(1)",
]


def _send_tts(wire: Wire, url: str) -> dict:
    return wire.yemot_call("SendTTS", phones="0527777001", ttsMessage="hi", callbackUrl=url)


def _world_is_untouched(wire: Wire, calls_before: int) -> None:
    assert len(wire.control.calls()) == calls_before
    assert wire.control.outbox() == []


@pytest.mark.parametrize("spelling", CONTROL_SPELLINGS)
def test_callback_urls_naming_the_control_plane_are_refused_however_spelled(wire: Wire, spelling: str):
    wire.yemot_call("SendSms", phones="0527777001", message="evidence")
    body = _send_tts(wire, spelling.format(port=wire.port))
    assert body["responseStatus"] == "ERROR"
    assert body["message"] == "callbackUrl must not point at the emulator control plane (/__emulator__)"
    wire.control.advance(0)
    assert [entry["operation"] for entry in wire.control.journal()] == ["SendSms", "SendTTS"]
    _world_is_untouched(wire, 0)


@pytest.mark.parametrize("spelling", SELF_SPELLINGS)
def test_callback_urls_reaching_this_server_are_refused(wire: Wire, spelling: str):
    body = _send_tts(wire, spelling.format(port=wire.port))
    assert body["responseStatus"] == "ERROR"
    assert body["message"].startswith("callbackUrl must not point at this emulator itself (")
    _world_is_untouched(wire, 0)


def test_control_plane_refuses_requests_carrying_the_outbound_marker(wire: Wire):
    wire.yemot_call("SendSms", phones="0527777001", message="evidence")
    response = wire.admin.post("reset", headers={MARKER_HEADER: "anything"})
    assert response.status_code == 403
    assert response.json()["error"] == (
        f"control plane refuses requests sent by the emulator's own outbox ({MARKER_HEADER} header): "
        "POST /__emulator__/reset"
    )
    assert len(wire.control.journal()) == 1


def test_deliveries_carry_the_marker_and_reach_a_real_receiver(wire: Wire):
    with Receiver() as receiver:
        body = _send_tts(wire, f"{receiver.url}/tts")
        assert body["responseStatus"] == "OK"
        wire.control.freeze()
        wire.control.advance(120)
        hits = receiver.wait_for(3)
        deliveries = wire.control.wait_for_outbox()
    assert hits and all(MARKER_HEADER.lower() in hit.headers for hit in hits)
    assert {delivery["state"] for delivery in deliveries} == {"delivered"}


@pytest.mark.parametrize("url", BAD_URLS)
def test_urls_the_sender_cannot_use_are_refused_in_each_api_shape(wire: Wire, url: str):
    tts = _send_tts(wire, url)
    assert tts["responseStatus"] == "ERROR" and tts["message"].startswith("callbackUrl "), tts
    fax = wire.yemot.post(
        "SendFax",
        data={"token": TOKEN, "pdfFile": "UPLOAD", "phone": "0527777001", "deliveryUrl": url},
        files={"fileToUpload": ("fax.pdf", b"%PDF-1.4", "application/pdf")},
    ).json()
    assert fax["responseStatus"] == "ERROR" and fax["message"].startswith("deliveryUrl "), fax
    hook = wire.admin.put("simotel/settings", json={"webhook": {"url": url, "events": ["*"]}})
    assert hook.status_code == 400 and hook.json()["error"].startswith("webhook url "), hook.text
    _world_is_untouched(wire, 0)


def test_a_delivery_to_a_dead_port_ends_failed_with_its_attempts(wire_factory):
    wire = wire_factory(outbox_backoff_base_s=0.001)
    with Receiver() as receiver:
        dead = receiver.url  # the port is closed once the receiver stops
    assert _send_tts(wire, f"{dead}/tts")["responseStatus"] == "OK"
    wire.control.freeze()
    wire.control.advance(120)
    deliveries = wire.control.wait_for_outbox()
    assert deliveries and {delivery["state"] for delivery in deliveries} == {"failed"}
    assert all(len(delivery["attempts"]) == 5 for delivery in deliveries)
    assert all(attempt["error"].startswith("ConnectError") for d in deliveries for attempt in d["attempts"])


def test_deliveries_end_whatever_the_transport_raises(emulator_factory):
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("transport bug")

    emulator = emulator_factory(outbox_transport=httpx.MockTransport(explode), outbox_backoff_base_s=0.001)
    emulator.yemot.get(
        "SendTTS",
        params={"token": TOKEN, "phones": "0527777001", "ttsMessage": "x", "callbackUrl": "http://r.test/h"},
    )
    emulator.freeze()
    emulator.advance(120)
    deliveries = emulator.wait_for_outbox()
    assert deliveries and {delivery["state"] for delivery in deliveries} == {"failed"}
    assert all(d["attempts"] == [{**d["attempts"][0], "error": "RuntimeError: transport bug"}] for d in deliveries)


def test_outbox_uses_one_sender_and_keeps_only_the_configured_retention(emulator_factory, monkeypatch):
    import emulator.core.outbound.outbox as outbox_module

    created: list[object] = []
    real = outbox_module.TransportSender

    def counting(*args, **kwargs):
        created.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox_module, "TransportSender", counting)
    emulator = emulator_factory(
        outbox_transport=httpx.MockTransport(lambda request: httpx.Response(200)), outbox_retention=4
    )
    emulator.freeze()
    for campaign in range(6):
        emulator.yemot.get(
            "SendTTS",
            params={
                "token": TOKEN,
                "phones": f"052777700{campaign}",
                "ttsMessage": "x",
                "callbackUrl": "http://r.test/h",
            },
        )
    emulator.advance(120)
    deadline = time.monotonic() + 10
    while emulator.runtime.outbox.pending and time.monotonic() < deadline:
        time.sleep(0.02)
    deliveries = emulator.outbox()
    assert len(created) == 1, "one shared sender for every campaign"
    assert len(deliveries) == 4 and {d["state"] for d in deliveries} == {"delivered"}
    assert [d["id"] for d in deliveries] == sorted(d["id"] for d in deliveries)


def test_network_sender_keeps_its_connections_within_the_policy_limit():
    from emulator.core.outbound.senders import NetworkSender

    async def main():
        sender = NetworkSender(timeout_s=5.0, max_connections=20)
        session = sender._client()
        try:
            return session.connector.limit, session.trust_env
        finally:
            await sender.aclose()

    assert asyncio.run(main()) == (20, False)
