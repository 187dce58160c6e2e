"""Control-plane routes of Simotel's gatekeeping: API accounts and API settings (IP allowlist, strict, webhook)."""

from __future__ import annotations

import ipaddress
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.core.outbound.targets import OutboundUrlError, check_service_target
from emulator.simotel.state import ApiAccount, SimotelState, WebhookSettings

AUTH_MODES = ("basic", "key", "both")
WEBHOOK_METHODS = ("G4", "Rest4", "GET")
ACCOUNT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "password": str, "token": str, "auth_mode": str, "enabled": bool, "permissions": list, "strict": bool,
}  # fmt: skip
SETTINGS_FIELDS: dict[str, type | tuple[type, ...]] = {
    "allow_all_ips": bool, "allowed_ips": list, "strict": bool, "webhook": dict,
}  # fmt: skip
WEBHOOK_FIELDS: dict[str, type | tuple[type, ...]] = {
    "url": str, "method": str, "username": str, "password": str, "events": list,
}  # fmt: skip


def _emulator(request: Request) -> Any:
    return request.app.state.emulator


def _state(request: Request) -> SimotelState:
    return request.app.state.emulator.world.simotel


def _checked(body: dict[str, Any], fields: dict[str, Any], what: str) -> dict[str, Any]:
    """``body`` when every key is known and of its type; a 400 naming the first problem otherwise."""
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise BadRequest(f"unknown {what} field {unknown[0]!r}; fields are {', '.join(fields)}")
    for name, value in body.items():
        if not isinstance(value, fields[name]) or (fields[name] is not bool and isinstance(value, bool)):
            raise BadRequest(f"{what} field {name!r} must be {fields[name].__name__}")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise BadRequest(f"{what} field {name!r} must be a list of strings")
    return body


def _strings_in(value: str, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise BadRequest(f"{name!r} must be one of {', '.join(allowed)}")


async def account(request: Request) -> Response:
    """GET shows, PUT creates or changes (only the given fields), DELETE removes an API account."""
    state = _state(request)
    username = request.path_params["username"]
    existing = state.accounts.get(username)
    if request.method == "GET" or request.method == "DELETE":
        if existing is None:
            raise BadRequest(f"no Simotel account {username!r}")
        if request.method == "DELETE":
            del state.accounts[username]
            return ok({"username": username, "deleted": True})
        return ok(asdict(existing))
    body = _checked(await read_object(request), ACCOUNT_FIELDS, "account")
    if "auth_mode" in body:
        _strings_in(body["auth_mode"], AUTH_MODES, "auth_mode")
    if existing is None:
        if "password" not in body:
            raise BadRequest("a new account needs 'password'")
        state.accounts[username] = existing = ApiAccount(username=username, password=body["password"])
    for name, value in body.items():
        setattr(existing, name, list(value) if isinstance(value, list) else value)
    return ok(asdict(existing))


def _allowed_ip(text: str) -> str:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError as exc:
        raise BadRequest(f"'allowed_ips' entry {text!r} is not an IP address or network") from exc
    return text


async def settings(request: Request) -> Response:
    """GET shows, PUT changes (only the given fields) the Simotel API settings."""
    current = _state(request).settings
    if request.method == "PUT":
        body = _checked(await read_object(request), SETTINGS_FIELDS, "settings")
        webhook = _checked(body.pop("webhook", {}), WEBHOOK_FIELDS, "webhook")
        if "method" in webhook:
            _strings_in(webhook["method"], WEBHOOK_METHODS, "method")
        if webhook.get("url"):
            try:
                await check_service_target(webhook["url"], _emulator(request).outbox.listeners)
            except OutboundUrlError as exc:
                raise BadRequest(f"webhook url {exc.reason}") from exc
        if "allowed_ips" in body:
            body["allowed_ips"] = [_allowed_ip(text) for text in body["allowed_ips"]]
        for name, value in body.items():
            setattr(current, name, value)
        current.webhook = WebhookSettings(**{**asdict(current.webhook), **webhook})
    return ok(asdict(current))


routes = [
    Route("/simotel/accounts/{username}", guarded(account), methods=["GET", "PUT", "DELETE"]),
    Route("/simotel/settings", guarded(settings), methods=["GET", "PUT"]),
]
