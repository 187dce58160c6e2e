"""Simotel gatekeeping: credentials per account mode, the IP allowlist and per-path permissions."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import re
from functools import lru_cache

from emulator.simotel.errors import AccessDenied, CredentialsInvalid, CredentialsMissing, IpNotPermitted
from emulator.simotel.state import ApiAccount, SimotelState

_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _basic(header: str) -> tuple[str, str] | None:
    """``(username, password)`` of a well-formed Basic header; None for any other or malformed value.

    A client sends the same header on every request: the answers for the last few are kept.
    """
    return _decoded_basic(header) if len(header) <= 512 else _decoded_basic.__wrapped__(header)


@lru_cache(maxsize=256)
def _decoded_basic(header: str) -> tuple[str, str] | None:
    """``_basic`` itself.

    The base64 must be well formed (no junk around or inside it); padding may be left out, as in
    the seed's own example ``Basic dGVzdDpBYTEyMzQ1Ng``.
    """
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "basic" or not value or not _BASE64.fullmatch(value):
        return None
    unpadded = value.rstrip("=")
    if len(unpadded) % 4 == 1 or (value != unpadded and len(value) % 4):
        return None
    try:
        decoded = base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def authenticate(state: SimotelState, authorization: str | None, api_key: str | None) -> ApiAccount:
    """The enabled account these credentials satisfy under its auth mode, else a 401."""
    if not authorization and not api_key:
        raise CredentialsMissing()
    basic = _basic(authorization) if authorization else None
    if basic is not None:
        account = state.accounts.get(basic[0])
        if account is None or not account.enabled or not _same(account.password, basic[1]):
            raise CredentialsInvalid()
        if account.auth_mode == "key":
            if not api_key or not _same(account.token, api_key):
                raise CredentialsInvalid()
        elif account.auth_mode == "both" and (not api_key or not _same(account.token, api_key)):
            raise CredentialsInvalid()
        return account
    if authorization:
        raise CredentialsInvalid()
    for account in state.accounts.values():
        if account.token and api_key and _same(account.token, api_key):
            if account.enabled and account.auth_mode == "key":
                return account
            break
    raise CredentialsInvalid()


def check_ip(state: SimotelState, client_ip: str) -> None:
    settings = state.settings
    if settings.allow_all_ips:
        return
    for allowed in settings.allowed_ips:
        try:
            if ipaddress.ip_address(client_ip) in ipaddress.ip_network(allowed, strict=False):
                return
        except ValueError:
            if allowed == client_ip:
                return
    raise IpNotPermitted()


def check_permission(account: ApiAccount, service: str) -> None:
    if not account.may_call(service):
        raise AccessDenied(service)
