"""The one check for every URL the emulator calls: httpx parsing, control-plane paths, this server itself."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

import emulator.core.outbound.targets as outbound
from emulator.core.outbound.targets import (
    Listeners,
    OutboundUrlError,
    check_outbound_url,
    check_service_target,
    is_outbound_request,
    names_control_plane,
    normalised_path,
    outbound_headers,
    system_resolver,
)
from emulator.yemot.ivr.requests import ApiLinkError, check_api_link_target


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


def _resolving(table: dict[str, list[str]], port: int = 8080) -> tuple[Listeners, list[str]]:
    """Listeners on 127.0.0.1:``port`` and 192.0.2.55:``port`` whose names resolve through ``table``."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    listeners = _listening(port)
    listeners.add("192.0.2.55", port)  # a listen address that is not this machine's loopback
    listeners.resolver = resolve
    return listeners, asked


@pytest.mark.parametrize(
    ("addresses", "shown"),
    [
        (["127.0.0.1"], "127.0.0.1"),
        (["127.3.2.1"], "127.3.2.1"),
        (["::1"], "::1"),
        (["::ffff:127.0.0.1"], "127.0.0.1"),
        (["0.0.0.0"], "0.0.0.0"),
        (["192.0.2.55"], "192.0.2.55"),  # the server's own listen address
        (["192.0.2.10", "::1"], "::1"),  # any of its addresses
        (["fe80::1%eth0", "127.0.0.1"], "127.0.0.1"),
    ],
)
def test_a_name_resolving_to_this_server_is_refused(addresses, shown):
    listeners, _ = _resolving({"svc.test": addresses})
    with pytest.raises(OutboundUrlError) as refused:
        asyncio.run(check_service_target("http://svc.test:8080/x", listeners))
    assert refused.value.reason == f"must not point at this emulator itself (svc.test is {shown})"


def test_names_elsewhere_unresolvable_or_on_other_ports_are_accepted_and_other_ports_not_resolved():
    listeners, asked = _resolving({"svc.test": ["192.0.2.10"], "self.test": ["127.0.0.1"]})
    for url in ("http://svc.test:8080/x", "http://gone.test:8080/x", "http://self.test:9999/x", "https://self.test/x"):
        assert asyncio.run(check_service_target(url, listeners)) == url
    assert asked == ["svc.test", "gone.test"]


def test_a_name_that_takes_too_long_to_resolve_is_accepted(monkeypatch):
    async def slow(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return ["127.0.0.1"]

    monkeypatch.setattr(outbound, "RESOLVE_TIMEOUT_S", 0.01)
    listeners = _listening()
    listeners.resolver = slow
    assert asyncio.run(check_service_target("http://slow.test:8080/x", listeners)) == "http://slow.test:8080/x"


def test_the_synchronous_refusals_come_first_and_literal_hosts_are_not_resolved():
    listeners, asked = _resolving({})
    for url, reason in [
        ("http://LOCALHOST.:8080/x", "must not point at this emulator itself (localhost.:8080)"),
        ("http://a.localhost.:8080/x", "must not point at this emulator itself (a.localhost.:8080)"),
        ("http://[::1]:8080/x", "must not point at this emulator itself (::1:8080)"),
        ("http://svc.test:8080/__emulator__/reset", "must not point at the emulator control plane (/__emulator__)"),
    ]:
        with pytest.raises(OutboundUrlError) as refused:
            asyncio.run(check_service_target(url, listeners))
        assert refused.value.reason == reason, url
    assert asked == []


def test_the_system_resolver_reads_the_hosts_file():
    assert "127.0.0.1" in asyncio.run(system_resolver("localhost", 80))


def test_an_api_link_is_checked_with_its_name_resolved_just_before_the_request():
    listeners, _ = _resolving({"ivr.test": ["127.0.0.1"]})
    with pytest.raises(ApiLinkError) as refused:
        asyncio.run(check_api_link_target("http://ivr.test:8080/ivr?ApiCallId=1", listeners))
    assert str(refused.value) == "api_link must not point at this emulator itself (ivr.test is 127.0.0.1)"
    with pytest.raises(ApiLinkError, match="^api_link must be an absolute http"):
        asyncio.run(check_api_link_target("mailto:x@y", listeners))
    assert str(asyncio.run(check_api_link_target("http://ivr.test:9000/ivr", listeners))) == "http://ivr.test:9000/ivr"


def test_the_outbound_marker_is_added_and_recognised():
    headers = outbound_headers({"X-Other": "1"})
    assert headers["X-Other"] == "1"
    assert is_outbound_request({key.lower(): value for key, value in headers.items()})
    assert not is_outbound_request({"x-other": "1"})
