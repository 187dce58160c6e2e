"""Simotel over HTTP: ``/api/v4/{group}/{resource}/{action}`` gatekept in the seed's order.

1. unknown service -> 501, 2. verb -> 405, 3. credentials -> 401, 4. client IP -> 403,
5. per-path permission -> 403, 6. body media type -> 415 and parse -> 400,
7. parameters and the operation itself -> 200 with ``success: 0`` on failure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from emulator.core.http import jsonsafe
from emulator.core.http import params as param_layer
from emulator.core.http.contracts import Derived, Operation
from emulator.core.http.limits import headers, media_type
from emulator.core.http.pipeline import Reply, Wire, serve
from emulator.core.http.wire import Verbs, api_routes, form_fields, too_large_answer
from emulator.core.sim.numbers import has_foreign_digits
from emulator.simotel import dialect, envelope, php
from emulator.simotel.auth import authenticate, check_ip, check_permission
from emulator.simotel.context import SimotelCall
from emulator.simotel.errors import (
    PARAM_ERRORS,
    InvalidField,
    MethodNotAllowed,
    OperationFailed,
    RequestTooLarge,
    ServiceDoesNotExist,
    UnparsableContent,
    UnsupportedMediaType,
)
from emulator.simotel.methods import SERVICES

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

# Phone numbers and extensions: only ASCII digits are digits on the wire.
NUMBER_FIELDS = frozenset({"number", "cid_number", "caller", "callee", "caller_id", "numbers"})
# Every service takes the same four verbs (the seed's table), whatever its contract path declares.
VERBS = Verbs("simotel", ("GET", "POST", "PUT", "DELETE"), MethodNotAllowed, per_operation=False)
_EMPTY_ARRAY = re.compile(rb"\[\s*\]")


_MULTIPART = Derived("simotel multipart", lambda operation: bool(operation.extension("x-multipart")))


@lru_cache(maxsize=1024)
def service_name(raw_path: str) -> str:
    """``pbx/users/add`` from ``/pbx//users/add/`` and the like (a client uses a few paths, again and again)."""
    return "/".join(part for part in raw_path.split("/") if part)


async def read_body(request: Request, operation: Operation) -> dict[str, Any]:
    """The JSON object body (or multipart fields on upload services); empty body means ``{}``.

    PHP's ``[]`` where the operation documents an object is read as ``{}`` (see ``php``).
    """
    multipart = _MULTIPART.of(operation)
    content_type = media_type(request.scope)
    try:
        raw = await request.body()
    except ClientDisconnect as exc:
        raise UnparsableContent() from exc
    if multipart and content_type == "multipart/form-data":
        return dict(await form_fields(request, UnparsableContent))  # (a name sent twice: the last part)
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


async def _produce(request: Request, emulator: Emulator, reply: Reply, parse_only: bool) -> None:
    """Gatekeep, read and serve the request for service ``reply.operation_name`` (see ``pipeline.Producer``)."""
    operation = reply.operation
    if operation is None:
        raise ServiceDoesNotExist()
    service = reply.operation_name or ""
    scope = request.scope
    VERBS.check(scope["method"], operation)
    state = emulator.world.simotel
    client_ip = client[0] if (client := scope.get("client")) else ""
    account = authenticate(state, *headers(scope, b"authorization", b"x-apikey"))
    reply.tenant = account.username
    check_ip(state, client_ip)
    check_permission(account, "/" + service)
    reply.params = sent = await read_body(request, operation)
    strict = account.strict or state.settings.strict
    # (the query string's parameters, last value wins; most requests have none)
    query_string = dict(request.query_params) if scope.get("query_string") else {}
    params, warnings = dialect.translate(state, service, sent, query_string, strict=strict)
    warnings += param_layer.undefined(operation, list(filter(sent.__contains__, params)))
    reply.warnings = warnings
    reply.params = params = param_layer.coerce(operation, params)
    for name in NUMBER_FIELDS.intersection(params):
        if has_foreign_digits(params[name]):
            raise InvalidField(name)
    PARAM_ERRORS.check(operation, params)
    handler = SERVICES.get(service)
    if handler is None:
        raise OperationFailed()
    call = SimotelCall(
        emulator=emulator, service=service, account=account, params=params, client_ip=client_ip, warnings=warnings
    )
    if parse_only:
        return
    data, message = handler(call)
    reply.warnings = call.warnings
    if isinstance(data, envelope.Binary):
        envelope.binary(reply, data)
    else:
        envelope.ok(reply, data, message)


WIRE = Wire("simotel", _produce, envelope.fault, envelope.outcome)


async def endpoint(request: Request, emulator: Emulator, path: str) -> Response:
    """Serve the Simotel service at ``path``."""
    service = service_name(path)
    return await serve(emulator, WIRE, request, service or None, emulator.contracts["simotel"].get(service))


# The 413 answer for a body over the cap, in the Simotel envelope.
too_large = too_large_answer(RequestTooLarge)

routes = api_routes("/{path:path}", endpoint, "path")
