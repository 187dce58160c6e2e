"""The one check for every URL the emulator calls: httpx parsing, control-plane paths, this server itself."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

from emulator.core.outbound import (
    Listeners,
    OutboundUrlError,
    check_outbound_url,
    check_service_target,
    is_outbound_request,
    names_control_plane,
    normalised_path,
    outbound_headers,
)


def _listening(port: int = 8080) -> Listeners:
    listeners = Listeners()
    listeners.add("127.0.0.1", port)
    return listeners


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("//__emulator__/reset", "/__emulator__/reset"),
        ("/%5F%5Femulator__/reset", "/__emulator__/reset"),
        ("/%255F%255Femulator__/reset", "/__emulator__/reset"),
        ("/ym/api/../../__emulator__/reset", "/__emulator__/reset"),
        ("/./a/./b/", "/a/b"),
        ("\\__emulator__", "/__emulator__"),
        ("", "/"),
    ],
)
def test_paths_are_normalised_like_a_server_routes_them(raw, normal):
    assert normalised_path(raw) == normal
    assert names_control_plane(raw) == ("__emulator__" in normal)


def test_valid_urls_are_returned_unchanged():
    url = "https://hooks.example.test:8443/yemot?x=1"
    assert check_outbound_url(url, _listening()) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:abc/", "is not a valid URL (Invalid port: 'abc')"),
        ("http://127.0.0.1:0/", "has an invalid port 0"),
        ("ftp://example.test/", "must be an absolute http(s) URL"),
        ("http://example.test/%5F%5Femulator__/x", "must not point at the emulator control plane (/__emulator__)"),
        ("http://localhost:8080/x", "must not point at this emulator itself (localhost:8080)"),
        ("http://127.1:8080/x", "must not point at this emulator itself (127.1:8080)"),
    ],
)
def test_refusals_say_what_was_refused(url, reason):
    with pytest.raises(OutboundUrlError) as refused:
        check_outbound_url(url, _listening())
    assert refused.value.reason == reason


def test_other_ports_of_this_machine_are_allowed():
    assert check_outbound_url("http://127.0.0.1:9999/x", _listening())


def test_listeners_recognise_loopback_wildcard_and_local_addresses():
    listeners = _listening()
    for address in ("127.0.0.1", "127.5.5.5", "::1", "0.0.0.0", "::ffff:127.0.0.1"):
        assert listeners.is_self(ipaddress.ip_address(address), 8080), address
    assert not listeners.is_self(ipaddress.ip_address("192.0.2.1"), 8080)  # TEST-NET-1: never local
    assert not listeners.is_self(ipaddress.ip_address("127.0.0.1"), 8081)


def test_listeners_learn_from_asgi_scopes_with_real_addresses_only():
    listeners = Listeners()
    listeners.note_scope({"server": ("emulator.test", 80)})
    assert listeners.ports == set()
    listeners.note_scope({"server": ("127.0.0.1", 4321)})
    assert listeners.ports == {4321}


def test_names_that_resolve_to_this_server_are_refused_before_sending(monkeypatch):
    async def resolve(self, host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", resolve)
    with pytest.raises(OutboundUrlError) as refused:
        asyncio.run(check_service_target("http://rebind.example.test:8080/x", _listening()))
    assert refused.value.reason == "must not point at this emulator itself (rebind.example.test is 127.0.0.1)"
    asyncio.run(check_service_target("http://rebind.example.test:9999/x", _listening()))


def test_the_outbound_marker_is_added_and_recognised():
    headers = outbound_headers({"X-Other": "1"})
    assert headers["X-Other"] == "1"
    assert is_outbound_request({key.lower(): value for key, value in headers.items()})
    assert not is_outbound_request({"x-other": "1"})
