"""Shared plumbing of the control plane: access control, JSON in/out, 400s for bad requests."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.core.http import jsonsafe
from emulator.core.outbound.targets import MARKER_HEADER, is_outbound_request

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
    A request carrying the outbound-delivery marker (sent by an emulator's own outbox) is refused
    whoever sends it, so no callback can ever act on the control plane.
    """
    if is_outbound_request(request.headers):
        return JSONResponse(
            {
                "error": f"control plane refuses requests sent by the emulator's own outbox "
                f"({MARKER_HEADER} header): {request.method} {request.url.path}"
            },
            status_code=403,
        )
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
    """Wrap a control endpoint: ``access_refusal`` first, then 400 for a ``BadRequest``."""

    async def endpoint(request: Request) -> Response:
        refusal = access_refusal(request)
        if refusal is not None:
            return refusal
        if request.method != "GET":
            request.app.state.emulator.revision += 1  # control calls may change state
        try:
            return await handler(request)
        except BadRequest as exc:
            return JSONResponse({"error": exc.reason, **exc.details}, status_code=exc.status)
        finally:
            if request.method != "GET":  # again: a change made after an await must not look saved already
                request.app.state.emulator.revision += 1

    return endpoint


async def read_json(request: Request, *, default: Any = None) -> Any:
    """The request's JSON body (nesting bounded); ``default`` for an empty body, else a 400."""
    return read_json_bytes(await request.body(), default=default)


def read_json_bytes(raw: bytes, *, default: Any = None) -> Any:
    """``read_json`` on bytes already read (for parsing off the event loop)."""
    if not raw.strip():
        if default is not None:
            return default
        raise BadRequest("request body must be JSON")
    try:
        return jsonsafe.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"request body is not valid JSON: {exc}") from exc


async def read_object(request: Request, *, default: dict[str, Any] | None = None) -> dict[str, Any]:
    data = await read_json(request, default=default)
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    return data


def too_large(limit: int) -> JSONResponse:
    """The control plane's 413 for a body over ``limit`` bytes."""
    return JSONResponse({"error": f"request body is larger than {limit} bytes"}, status_code=413)


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
