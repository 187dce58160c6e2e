"""Yemot over HTTP: one route, ``/ym/api/{method}``, for GET query, POST form, JSON and multipart."""

from __future__ import annotations

from operator import itemgetter, methodcaller
from types import CoroutineType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from emulator.core.http import jsonsafe
from emulator.core.http import params as param_layer
from emulator.core.http.errors import ApiError
from emulator.core.http.limits import header, media_type
from emulator.core.http.pipeline import Reply, Wire, serve
from emulator.core.http.streaming import Base64Body
from emulator.core.http.wire import Verbs, api_routes, form_fields, too_large_answer
from emulator.yemot import envelope
from emulator.yemot.auth import authenticate
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    PARAM_ERRORS,
    MalformedBody,
    NotImplementedInEmulator,
    RequestTooLarge,
    UnknownMethod,
    UnsupportedVerb,
)
from emulator.yemot.methods import METHODS
from emulator.yemot.services import mfa
from emulator.yemot.stored_urls import STORED_URLS, check_stored_urls

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

# GET and POST for every method, except where the contract declares fewer (UploadFile: POST).
VERBS = Verbs("yemot", ("GET", "POST"), UnsupportedVerb, per_operation=True)

MAX_FORM_FIELDS = 1000


_SPLIT_FIELD = methodcaller("partition", "=")
_NAME_AND_VALUE = itemgetter(0, 2)


def _form_pairs(raw: bytes, max_fields: int | None = MAX_FORM_FIELDS) -> list[tuple[str, str]]:
    """``a=1&b=%D7%90`` as pairs, decoded like Starlette's form parser (bytes as latin-1, escapes
    as UTF-8), with the same cap on the number of fields."""
    text = raw.decode("latin-1")
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields)
    # Nothing escaped (most requests): the same pairs parse_qsl gives, without its per-field
    # unquoting, split in C (``name=value`` -> (name, value); ``name`` -> (name, "")).
    if max_fields is not None and text.count("&") >= max_fields:
        raise ValueError("Max number of fields exceeded")
    return list(map(_NAME_AND_VALUE, map(_SPLIT_FIELD, filter(None, text.split("&")))))


async def read_params(request: Request) -> dict[str, Any]:
    """Merge query string and body (form, multipart or JSON object); body values win."""
    scope = request.scope
    query = scope["query_string"]
    merged: dict[str, Any] = _merged_pairs(_form_pairs(query, max_fields=None)) if query else {}
    if scope["method"] != "POST":
        return merged
    content_type = media_type(scope)
    if content_type == "multipart/form-data":
        merged.update(_merged_pairs(await form_fields(request, MalformedBody)))
        return merged
    try:
        if content_type == "application/x-www-form-urlencoded":
            merged.update(_merged_pairs(_form_pairs(await request.body())))
        elif content_type == "application/json" or (not content_type and await request.body()):
            raw = await request.body()
            if raw.strip():
                data = jsonsafe.loads(raw)
                if not isinstance(data, dict):
                    raise MalformedBody("a JSON body must be an object of parameters")
                merged.update(data)
    except (ValueError, UnicodeDecodeError, ClientDisconnect) as exc:
        raise MalformedBody() from exc
    return merged


def _merged_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Pairs as a mapping; a name sent more than once maps to the list of its values."""
    merged = dict(pairs)
    if len(merged) == len(pairs):
        return merged  # (every name once: most requests)
    merged = {}
    for name, value in pairs:
        _put(merged, name, value)
    return merged


def _put(target: dict[str, Any], name: str, value: Any) -> None:
    if name in target:
        existing = target[name]
        target[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
    else:
        target[name] = value


def _token(token: Any, request: Request) -> str | None:
    """The token of a request whose ``token`` parameter is not plain text: the last of several,
    else the ``Authorization`` header's (``Bearer`` or bare)."""
    if isinstance(token, list):
        token = token[-1]
    if token in (None, ""):
        sent = header(request.scope, b"authorization").strip()
        token = sent[7:].strip() if sent.lower().startswith("bearer ") else sent
    return str(token) if token else None


async def _produce(request: Request, emulator: Emulator, reply: Reply, parse_only: bool) -> None:
    """Read, check and serve the request for method ``reply.operation_name`` (see ``pipeline.Producer``)."""
    method, operation = reply.operation_name or "", reply.operation
    scope = request.scope
    VERBS.check(scope["method"], operation)
    reply.params = params = await read_params(request)
    token = params.pop("token", None)
    call = YemotCall(
        emulator=emulator,
        params=params,
        client_ip=client[0] if (client := scope.get("client")) else "",
        token=token if type(token) is str and token else _token(token, request),
    )
    if operation is None:
        raise UnknownMethod(method)
    if operation.is_secured:
        authenticate(call)
        if call.system is not None:  # the reply names its tenant: the caller's system
            reply.tenant = call.system.number
        mfa.gate(call, method)
    call.params = reply.params = params = param_layer.coerce(operation, params, empty_means_absent=True)
    PARAM_ERRORS.check(operation, params)
    service = METHODS.get(method)
    if service is None:
        raise NotImplementedInEmulator(method)
    if parse_only:
        return
    if method in STORED_URLS:  # resolve the URLs it stores before the (synchronous) service runs
        await check_stored_urls(call, method)
    result = service(call)
    if result.__class__ is CoroutineType:  # (a service with work for a worker thread)
        result = await result
    if call.system is not None:  # (Login's: the system it opened)
        reply.tenant = call.system.number
    if isinstance(result, bytes | Base64Body):
        envelope.binary(reply, result)
    else:
        envelope.ok(reply, result)
    reply.warnings += param_layer.undefined(operation, params.keys())


def _refused(exc: ApiError, reply: Reply) -> None:
    """What Yemot adds to a refusal: a ``Download*`` method's is never a 200 (``envelope.is_download``),
    and the reply warns of parameters the method does not define."""
    if reply.status == 200 and envelope.is_download(reply.operation_name or ""):
        reply.status = envelope.DOWNLOAD_ERROR_STATUS
    if reply.operation is not None:
        reply.warnings += param_layer.undefined(reply.operation, reply.params.keys())


WIRE = Wire("yemot", _produce, envelope.fault, envelope.outcome, _refused)


async def endpoint(request: Request, emulator: Emulator, method: str) -> Response:
    """Serve Yemot method ``method``."""
    return await serve(emulator, WIRE, request, method, emulator.contracts["yemot"].get(method))


# The 413 answer for a body over the cap, in the Yemot envelope.
too_large = too_large_answer(RequestTooLarge)

routes = api_routes("/{method}", endpoint, "method")
