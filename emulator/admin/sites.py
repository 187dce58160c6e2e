"""The control plane and pages against other sites: DNS rebinding and cross-site requests.

Every request that is not an API call (the control plane, the dashboard, the API docs, the landing
page; the same under ``/sb/<id>/``) passes ``refusal`` before it is routed:

- ``Host`` must name this server: a loopback name (``localhost``, ``*.localhost``), a loopback
  address, the listen address (any IP address when listening on all of them: a rebinding attack
  needs a name, never an address), or one of ``--allowed-hosts`` (``.example.com`` also matches
  its subdomains; ``*`` turns the check off). A page on another site whose name was rebound to this
  server sends its own name and is refused.
- A state-changing request (anything but GET, HEAD, OPTIONS) is refused when the browser says it
  comes from another site or origin (``Sec-Fetch-Site`` other than ``same-origin``/``none``, or an
  ``Origin`` other than the request's own ``Host`` or an allowed host).
- A POST's body, when it has one, must be JSON (``application/json`` or ``*+json``), or YAML on
  ``/fixtures``; bodies of the types a browser may send to another site without asking first
  (``text/plain``, form-encoded, multipart) are refused, so no "simple" cross-site request can
  change state. A body with no type at all is refused from a browser (a request carrying
  ``Origin`` or ``Sec-Fetch-Site``) and taken from programs, which post fixture files that way.
  (PUT, DELETE and PATCH are never "simple": a browser asks first, and the emulator answers no
  CORS preflight, so a ``PUT`` of a file's raw bytes stays as it is.)

The API prefixes (``/ym/api/``, ``/api/v4/``) are not checked: clients reach them under whatever
name a proxy or a compose service gives the server, and they carry their own credentials.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import Scope

from emulator.config import EmulatorConfig
from emulator.core.http.limits import header_map, media_type

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
SAME_SITE_FETCH = frozenset({"same-origin", "none"})
CROSS_ORIGIN = "control plane refuses state-changing requests from another origin"


def _hostname(netloc: str) -> str:
    """The host of ``name[:port]`` or ``[v6][:port]``, lower-case, without a trailing dot."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1 : netloc.find("]")] if "]" in netloc else netloc
    if netloc.count(":") == 1:
        netloc = netloc.split(":", 1)[0]
    return netloc.rstrip(".")


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class HostRules:
    """Which ``Host`` names this server answers to on its control plane and pages."""

    def __init__(self, listen_host: str, allowed: tuple[str, ...]) -> None:
        self.any = "*" in allowed
        self.names = {_hostname(entry) for entry in allowed if entry.strip() and entry != "*"}  # (ports dropped)
        listen = _hostname(listen_host)
        self.listen = listen
        address = _address(listen)
        self.any_address = address is not None and address.is_unspecified

    def allows(self, netloc: str) -> bool:
        if self.any:
            return True
        name = _hostname(netloc)
        if name == "localhost" or name.endswith(".localhost") or name == self.listen:
            return True
        address = _address(name)
        if address is not None:
            return address.is_loopback or self.any_address or address == _address(self.listen)
        return self.listed(netloc)

    def listed(self, netloc: str) -> bool:
        """Whether ``netloc``'s host is one the operator named in ``--allowed-hosts``."""
        name = _hostname(netloc)
        return name in self.names or any(entry.startswith(".") and name.endswith(entry) for entry in self.names)


def _refuse(status: int, error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status)


def _has_body(found: dict[bytes, bytes]) -> bool:
    length = found.get(b"content-length", b"").strip()
    return b"transfer-encoding" in found or (length not in (b"", b"0"))


def _body_type_refusal(scope: Scope, found: dict[bytes, bytes]) -> JSONResponse | None:
    if scope.get("method") != "POST" or not _has_body(found):
        return None
    kind = media_type(scope)
    accepted = set(JSON_TYPES)
    if scope.get("path", "").rstrip("/").endswith("/fixtures"):
        accepted |= YAML_TYPES
    if kind in accepted or kind.endswith("+json"):
        return None
    if not kind and b"origin" not in found and b"sec-fetch-site" not in found:
        return None  # a program's untyped body (a browser names its page's origin on every POST)
    return _refuse(
        415,
        f"control plane takes {', '.join(sorted(accepted))} bodies, not {kind or 'a body without Content-Type'} "
        "(types a page on another site could send without asking are refused)",
    )


def _cross_site_refusal(found: dict[bytes, bytes], rules: HostRules) -> JSONResponse | None:
    fetch_site = found.get(b"sec-fetch-site")
    if fetch_site is not None and fetch_site.decode("latin-1").strip().lower() not in SAME_SITE_FETCH:
        site = fetch_site.decode("latin-1")[:40]
        return _refuse(
            403, f"control plane refuses state-changing requests from another origin (Sec-Fetch-Site: {site})"
        )
    origin = found.get(b"origin")
    if origin is None:
        return None
    text = origin.decode("latin-1").strip()
    host = found.get(b"host", b"").decode("latin-1").strip().lower()
    netloc = urlsplit(text).netloc.lower() if "://" in text else ""
    if netloc and (_same_netloc(netloc, host, text) or rules.listed(netloc)):
        return None
    return _refuse(403, f"{CROSS_ORIGIN} (Origin: {text[:100]})")


def _same_netloc(origin: str, host: str, full: str) -> bool:
    """``Origin``'s authority is the request's own ``Host`` (a default port written or not)."""
    if origin == host:
        return True
    default = ":443" if full.lower().startswith("https:") else ":80"
    return origin.removesuffix(default) == host.removesuffix(default)


def site_guard(config: EmulatorConfig) -> Callable[[Scope], JSONResponse | None]:
    """``refusal(scope)``: None when a control-plane or page request may go on, else its 403/415."""
    rules = HostRules(config.host, config.allowed_hosts)

    def refusal(scope: Scope) -> JSONResponse | None:
        found = header_map(scope)
        host = found.get(b"host")
        if host is not None and not rules.allows(host.decode("latin-1")):
            name = host.decode("latin-1")[:100]
            return _refuse(
                403,
                f"control plane and pages answer this server's own names, not Host {name!r}; "
                "start with --allowed-hosts to add names (docs/security.md)",
            )
        if scope.get("method", "GET") in SAFE_METHODS:
            return None
        return _cross_site_refusal(found, rules) or _body_type_refusal(scope, found)

    return refusal
