"""Which URLs the emulator may call, and how its own outbound requests are recognised.

Every URL the emulator will send a request to (Yemot ``callbackUrl`` / ``deliveryUrl``, the
Simotel event webhook, an IVR ``api_link``, a dialplan component's ``url``) goes through one
function, ``check_service_target``, when it is stored and again just before each send (a name may
resolve differently later). Its first, synchronous part is ``check_outbound_url``, which code that
cannot await (a service behind an awaited pre-check, a fixture) runs alone. Three independent
defences keep a request from reaching the emulator itself:

1. the URL is parsed with httpx, the client that sends it, so what is checked is what is sent;
   a URL httpx cannot send, a port outside 1-65535 or a host with illegal characters is refused;
2. the path is normalised (percent-decoding, ``.``/``..`` segments, repeated and back slashes)
   and any path naming the control plane (``__emulator__``) is refused, whatever the host;
3. the host is resolved (literal IPs and ``localhost`` at once, names with ``Listeners.resolver``,
   the event loop's ``getaddrinfo`` bounded by ``RESOLVE_TIMEOUT_S``) and every address it resolves
   to is compared with every address and port the server listens on (``Listeners``). A name that
   does not resolve (or not in time) is accepted: the send then fails with its own network error;

and, independently, every outbound request carries ``MARKER_HEADER`` and the control plane
refuses any request that carries it (``is_outbound_request``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import posixpath
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import httpx

CONTROL_SEGMENT = "__emulator__"
MARKER_HEADER = "X-Emulator-Delivery"
MARKER = secrets.token_hex(16)
"""Random per process; sent as ``MARKER_HEADER`` on every outbound request of this process."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-._:[]")
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
RESOLVE_TIMEOUT_S = 2.0
"""How long a name may take to resolve before the check gives up on it (and accepts it)."""

Resolver = Callable[[str, int], Awaitable[Iterable[str]]]
"""``(host, port) -> addresses`` (as text); raises ``OSError`` for a name that does not resolve."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, from the event loop's ``getaddrinfo`` (run in a worker)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class OutboundUrlError(ValueError):
    """A URL the emulator will not call; ``reason`` completes a sentence naming the parameter."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class Listeners:
    """Every (address, port) this emulator's server accepts connections on.

    Filled from the configured bind address when serving and from the local address of each
    request that arrives (``note_scope``), so a server bound to ``0.0.0.0`` or behind several
    sockets is still recognised.
    """

    ports: set[int] = field(default_factory=set)
    addresses: set[_IPAddress] = field(default_factory=set)
    noted: set[Any] = field(default_factory=set, repr=False)  # local ends already seen (``note_scope``)
    resolver: Resolver = field(default=system_resolver, repr=False, compare=False)  # injectable in tests

    def add(self, host: str | None, port: int | None) -> None:
        """Record a listening socket; a host that is not an IP literal is resolved locally only."""
        if not port:
            return
        self.ports.add(int(port))
        address = _literal_address(host or "")
        if address is not None:
            self.addresses.add(address)

    def note_scope(self, scope: Mapping[str, Any]) -> None:
        """Record the local end of an ASGI connection (``scope["server"]``) when it is a real socket."""
        server = scope.get("server")
        if not server or len(server) < 2 or server[1] is None:
            return
        key = server if isinstance(server, tuple) else tuple(server)
        if key in self.noted:
            return
        if len(self.noted) < 64:  # the few local ends a server has: each is parsed once
            self.noted.add(key)
        address = _literal_address(str(server[0]))
        if address is not None and (int(server[1]) not in self.ports or address not in self.addresses):
            self.ports.add(int(server[1]))
            self.addresses.add(address)

    def is_self(self, address: _IPAddress, port: int) -> bool:
        """Whether a connection to ``address:port`` would reach this server."""
        if port not in self.ports:
            return False
        address = _unmapped(address)
        return address in self.addresses or address.is_loopback or address.is_unspecified or _is_local(address)


def normalised_path(raw_path: str) -> str:
    """The path a server would route: percent-decoded until stable, dot segments removed, slashes collapsed."""
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    for _ in range(5):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = path.replace("\\", "/")
    normal = posixpath.normpath("/" + path.lstrip("/"))
    return "/" + normal.lstrip("/")


@lru_cache(maxsize=512)
def parsed_url(url: str) -> httpx.URL:
    """``url`` as httpx reads it. A callback URL is checked when given and again, with the request
    built from it, at each send: httpx's parser is pure Python, so each URL is parsed once."""
    return httpx.URL(url)


def port_of(parsed: httpx.URL) -> int:
    """The port an http(s) URL connects to: its own, else its scheme's."""
    return _DEFAULT_PORTS[parsed.scheme] if parsed.port is None else parsed.port


def names_control_plane(raw_path: str) -> bool:
    """Whether a path, however spelled, names the control plane."""
    return CONTROL_SEGMENT in normalised_path(raw_path).lower()


def check_outbound_url(url: Any, listeners: Listeners | None = None) -> str:
    """Validate a URL the emulator is asked to call later; return it unchanged, or raise ``OutboundUrlError``.

    Absolute http(s) only, parsable and sendable by httpx, never the control plane, and never this
    emulator itself when the host is an IP literal or ``localhost``. This is the synchronous first
    part of ``check_service_target``, which also resolves host names: await that one wherever
    the caller can.
    """
    if not isinstance(url, str) or not url:
        raise OutboundUrlError("must be an absolute http(s) URL")
    try:
        parsed = parsed_url(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise OutboundUrlError(f"is not a valid URL ({exc})") from exc
    if parsed.scheme not in _DEFAULT_PORTS or not parsed.host:
        raise OutboundUrlError("must be an absolute http(s) URL")
    host = parsed.host.lower()
    if not set(host) <= _HOST_CHARS and not _is_idna(parsed):
        raise OutboundUrlError(f"has an invalid host {parsed.host!r}")
    port = port_of(parsed)
    if not 1 <= port <= 65535:
        raise OutboundUrlError(f"has an invalid port {port}")
    if names_control_plane(parsed.raw_path.decode("ascii", errors="replace")):
        raise OutboundUrlError(f"must not point at the emulator control plane (/{CONTROL_SEGMENT})")
    if listeners is not None:
        address = _literal_address(host)
        if address is None and _is_localhost_name(host):
            address = ipaddress.ip_address("127.0.0.1")
        if address is not None and listeners.is_self(address, port):
            raise OutboundUrlError(f"must not point at this emulator itself ({parsed.host}:{port})")
    return url


async def check_service_target(url: Any, listeners: Listeners | None) -> str:
    """The one check of a URL the emulator will call: run it when the URL is stored and before each send.

    ``check_outbound_url`` first; then, when the URL's port is one this server listens on, its host
    name is resolved without blocking the loop and refused if any address it resolves to is this
    emulator. Returns ``url``; raises ``OutboundUrlError`` (``reason`` completes a sentence naming
    the parameter, e.g. "api_link must not point at this emulator itself (svc.test is 127.0.0.1)").
    A name that does not resolve within ``RESOLVE_TIMEOUT_S`` is accepted (see the module docstring).
    """
    check_outbound_url(url, listeners)
    if listeners is None or not listeners.ports:
        return url
    parsed = parsed_url(url)
    port = port_of(parsed)
    if port not in listeners.ports or _literal_address(parsed.host) is not None:
        return url
    try:
        addresses = await asyncio.wait_for(listeners.resolver(parsed.host, port), timeout=RESOLVE_TIMEOUT_S)
    except (TimeoutError, OSError, UnicodeError, ValueError):
        return url
    for text in addresses:
        try:
            address = _unmapped(ipaddress.ip_address(str(text).split("%", 1)[0]))
        except ValueError:
            continue
        if listeners.is_self(address, port):
            raise OutboundUrlError(f"must not point at this emulator itself ({parsed.host} is {address})")
    return url


def describe(exc: BaseException) -> str:
    """A failed exchange as text: the exception's name, then its message when it has one."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def outbound_headers(headers: Mapping[str, str] | None = None) -> dict[str, str]:
    """``headers`` plus the marker that identifies a request sent by this emulator."""
    return {**(headers or {}), MARKER_HEADER: MARKER}


def is_outbound_request(headers: Mapping[str, str]) -> bool:
    """True when a request carries the outbound marker (of this or any other emulator process)."""
    return headers.get(MARKER_HEADER.lower()) is not None or headers.get(MARKER_HEADER) is not None


def _literal_address(host: str) -> _IPAddress | None:
    """An IP address written as the host, including legacy IPv4 forms (``127.1``, ``0x7f.1``, ``2130706433``)."""
    host = host.strip("[]").split("%", 1)[0]
    if not host:
        return None
    try:
        return _unmapped(ipaddress.ip_address(host))
    except ValueError:
        pass
    if host.replace(".", "").replace("x", "").replace("X", "").isalnum() and ":" not in host:
        try:
            return ipaddress.ip_address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    return None


def _unmapped(address: _IPAddress) -> _IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def _is_local(address: _IPAddress) -> bool:
    """Whether ``address`` belongs to this machine: binding a socket to it succeeds only then."""
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


def _is_idna(parsed: httpx.URL) -> bool:
    try:
        return set(parsed.raw_host.decode("ascii").lower()) <= _HOST_CHARS
    except UnicodeDecodeError:
        return False
