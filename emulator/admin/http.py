"""Shared plumbing of the control plane: access control, JSON in/out, 400s for bad requests."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

Endpoint = Callable[[Request], Awaitable[Response]]


class BadRequest(Exception):
    """A control call the emulator cannot carry out as asked; answered with 400."""

    status = 400

    def __init__(self, reason: str, **details: Any) -> None:
        self.reason = reason
        self.details = details
        super().__init__(reason)


class NotFound(BadRequest):
    """A control call naming something that does not exist; answered with 404."""

    status = 404


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_refusal(request: Request) -> JSONResponse | None:
    """None when the client may use the control plane (loopback, or the Bearer admin token); else the refusal.

    A sandbox's control plane takes its own token or the server's admin token, never loopback alone.
    """
    config = request.app.state.emulator.config
    tokens = [token for token in (config.admin_token, *config.extra_admin_tokens) if token]
    if tokens or not config.loopback_trusted:
        given = request.headers.get("authorization", "").encode()
        if not any(hmac.compare_digest(given, f"Bearer {token}".encode()) for token in tokens):
            what = "sandbox or admin token" if config.sandbox_id else "admin token"
            return JSONResponse({"error": f"control plane requires 'Authorization: Bearer <{what}>'"}, status_code=401)
    elif not is_loopback(request.client.host if request.client else None):
        return JSONResponse(
            {"error": "control plane answers loopback clients only; start with --admin-token to allow others"},
            status_code=403,
        )
    return None


def guarded(handler: Endpoint) -> Endpoint:
    """Wrap a control endpoint: loopback-only, or Bearer token when one is configured."""

    async def endpoint(request: Request) -> Response:
        refusal = access_refusal(request)
        if refusal is not None:
            return refusal
        try:
            return await handler(request)
        except BadRequest as exc:
            return JSONResponse({"error": exc.reason, **exc.details}, status_code=exc.status)

    return endpoint


async def read_json(request: Request, *, default: Any = None) -> Any:
    raw = await request.body()
    if not raw.strip():
        if default is not None:
            return default
        raise BadRequest("request body must be JSON")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"request body is not valid JSON: {exc}") from exc


async def read_object(request: Request, *, default: dict[str, Any] | None = None) -> dict[str, Any]:
    data = await read_json(request, default=default)
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    return data


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
