"""Simotel over HTTP: ``/api/v4/{group}/{resource}/{action}`` gatekept in the seed's order.

1. unknown service -> 501, 2. verb -> 405, 3. credentials -> 401, 4. client IP -> 403,
5. per-path permission -> 403, 6. body media type -> 415 and parse -> 400,
7. parameters and the operation itself -> 200 with ``success: 0`` on failure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core.http import jsonsafe
from emulator.core.http import params as param_layer
from emulator.core.http.contracts import Operation
from emulator.core.http.limits import BodyTooLarge, headers, media_type
from emulator.core.http.pipeline import Reply, render, serve
from emulator.core.http.requests import routed
from emulator.core.sim.numbers import has_foreign_digits
from emulator.simotel import dialect, envelope, php
from emulator.simotel.auth import authenticate, check_ip, check_permission
from emulator.simotel.context import SimotelCall
from emulator.simotel.errors import (
    InvalidField,
    MethodNotAllowed,
    MissingField,
    OperationFailed,
    RequestTooLarge,
    ServiceDoesNotExist,
    SimotelError,
    UnparsableContent,
    UnsupportedMediaType,
)
from emulator.simotel.methods import SERVICES

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

# Phone numbers and extensions: only ASCII digits are digits on the wire.
NUMBER_FIELDS = frozenset({"number", "cid_number", "caller", "callee", "caller_id", "numbers"})
ACCEPTED_VERBS = ("POST", "PUT", "GET", "DELETE")
_EMPTY_ARRAY = re.compile(rb"\[\s*\]")
ALL_VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


_MULTIPART_KEY = "simotel multipart"


@lru_cache(maxsize=1024)
def service_name(raw_path: str) -> str:
    """``pbx/users/add`` from ``/pbx//users/add/`` and the like (a client uses a few paths, again and again)."""
    return "/".join(part for part in raw_path.split("/") if part)


async def read_body(request: Request, operation: Operation) -> dict[str, Any]:
    """The JSON object body (or multipart fields on upload services); empty body means ``{}``.

    PHP's ``[]`` where the operation documents an object is read as ``{}`` (see ``php``).
    """
    multipart = operation.derived.get(_MULTIPART_KEY)
    if multipart is None:
        multipart = operation.memo(_MULTIPART_KEY, lambda: bool(operation.extension("x-multipart")))
    content_type = media_type(request.scope)
    try:
        raw = await request.body()
    except ClientDisconnect as exc:
        raise UnparsableContent() from exc
    if multipart and content_type == "multipart/form-data":
        try:
            form = await request.form()
        except BodyTooLarge:
            raise
        except Exception as exc:
            raise UnparsableContent() from exc
        fields: dict[str, Any] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                value = param_layer.Upload(value.filename or "", value.content_type or "", await value.read())
            fields[name] = value
        return fields
    if not raw.strip():
        if content_type and content_type != "application/json":
            raise UnsupportedMediaType()
        return {}
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType()
    try:
        data = jsonsafe.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnparsableContent() from exc
    if data == []:
        return {}  # PHP's json_encode of an empty array
    if not isinstance(data, dict):
        raise UnparsableContent()
    if _EMPTY_ARRAY.search(raw):  # (else no [] anywhere: nothing for the PHP dialect to do)
        data = php.objects(data, operation.request_schema, operation.contract.resolve)
    return data


async def endpoint(request: Request, emulator: Emulator, path: str) -> Response:
    """Serve the Simotel service at ``path``."""
    service = service_name(path)
    operation = emulator.contracts["simotel"].get(service)

    async def produce(request: Request, parse_only: bool = False) -> Reply:
        params: dict[str, Any] = {}
        warnings: list[str] = []
        account = None
        try:
            if operation is None:
                raise ServiceDoesNotExist()
            if request.scope["method"] not in ACCEPTED_VERBS:
                raise MethodNotAllowed()
            state = emulator.world.simotel
            scope = request.scope
            client_ip = client[0] if (client := scope.get("client")) else ""
            account = authenticate(state, *headers(scope, b"authorization", b"x-apikey"))
            check_ip(state, client_ip)
            check_permission(account, "/" + service)
            params = await read_body(request, operation)
            strict = account.strict or state.settings.strict
            sent = params
            # (the query string's parameters, last value wins; most requests have none)
            query_string = dict(request.query_params) if scope.get("query_string") else {}
            params, warnings = dialect.translate(state, service, params, query_string, strict=strict)
            warnings += param_layer.undefined(operation, list(filter(sent.__contains__, params)))
            params = param_layer.coerce(operation, params)
            for name in NUMBER_FIELDS.intersection(params):
                if has_foreign_digits(params[name]):
                    raise InvalidField(name)
            for problem in param_layer.validate(operation, params):
                if problem.kind == "missing":
                    raise MissingField(problem.name)
                raise InvalidField(problem.name)
            handler = SERVICES.get(service)
            if handler is None:
                raise OperationFailed()
            call = SimotelCall(
                emulator=emulator,
                service=service,
                account=account,
                params=params,
                client_ip=client_ip,
                warnings=warnings,
            )
            if not parse_only:  # (parse_only: a fault answers instead; the journal wants what was asked)
                data, message = handler(call)
        except SimotelError as exc:
            reply = envelope.error(exc, operation, params=params, warnings=warnings)
        else:
            if parse_only:
                reply = Reply(status=0, body=None, params=params)
            elif isinstance(data, envelope.Binary):
                reply = envelope.binary(data, operation, params=params, warnings=call.warnings)
            else:
                reply = envelope.ok(data, message, operation, params=params, warnings=call.warnings)
        reply.tenant = account.username if account is not None else None
        return reply

    return await serve(emulator, "simotel", request, service or None, produce, envelope.fault)


def too_large(limit: int) -> Response:
    """The 413 answer for a body over ``limit`` bytes, in the Simotel envelope."""
    return render(envelope.error(RequestTooLarge(limit)))


routes = [Route("/{path:path}", routed(endpoint, "path"), methods=ALL_VERBS)]
