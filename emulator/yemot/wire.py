"""Yemot over HTTP: one route, ``/ym/api/{method}``, for GET query, POST form, JSON and multipart."""

from __future__ import annotations

from operator import itemgetter, methodcaller
from types import CoroutineType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core.http import jsonsafe
from emulator.core.http import params as param_layer
from emulator.core.http.contracts import Operation
from emulator.core.http.limits import BodyTooLarge, header, media_type
from emulator.core.http.pipeline import Reply, render, serve
from emulator.core.http.requests import routed
from emulator.core.http.streaming import Base64Body
from emulator.yemot import envelope
from emulator.yemot.auth import authenticate
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    InvalidParameter,
    MalformedBody,
    MissingParameter,
    NotImplementedInEmulator,
    RequestTooLarge,
    UnknownMethod,
    UnsupportedVerb,
    YemotError,
)
from emulator.yemot.methods import METHODS
from emulator.yemot.services import mfa
from emulator.yemot.stored_urls import STORED_URLS, check_stored_urls

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

VERBS = ("GET", "POST")
ALL_VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


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
    try:
        if content_type == "application/x-www-form-urlencoded":
            merged.update(_merged_pairs(_form_pairs(await request.body())))
        elif content_type == "multipart/form-data":
            form = await request.form()
            body: dict[str, Any] = {}
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    value = param_layer.Upload(value.filename or "", value.content_type or "", await value.read())
                _put(body, name, value)
            merged.update(body)
        elif content_type == "application/json" or (not content_type and await request.body()):
            raw = await request.body()
            if raw.strip():
                data = jsonsafe.loads(raw)
                if not isinstance(data, dict):
                    raise MalformedBody("a JSON body must be an object of parameters")
                merged.update(data)
    except BodyTooLarge:
        raise
    except (ValueError, UnicodeDecodeError, ClientDisconnect) as exc:
        if isinstance(exc, YemotError):
            raise
        raise MalformedBody() from exc
    except Exception as exc:  # python-multipart raises its own parse errors
        if type(exc).__module__.startswith(("multipart", "python_multipart", "starlette")):
            raise MalformedBody() from exc
        raise
    return merged


def _merged_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
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


_VERBS_KEY = "yemot verbs"


def _allowed_verbs(operation: Operation | None) -> tuple[str, ...]:
    """GET and POST for every method, except where the contract declares fewer (UploadFile: POST)."""
    if operation is None or not operation.verbs:
        return VERBS
    return operation.memo(_VERBS_KEY, lambda: tuple(verb for verb in VERBS if verb.lower() in operation.verbs) or VERBS)


def _token(token: Any, request: Request) -> str | None:
    """The token of a request whose ``token`` parameter is not plain text: the last of several,
    else the ``Authorization`` header's (``Bearer`` or bare)."""
    if isinstance(token, list):
        token = token[-1]
    if token in (None, ""):
        sent = header(request.scope, b"authorization").strip()
        token = sent[7:].strip() if sent.lower().startswith("bearer ") else sent
    return str(token) if token else None


async def endpoint(request: Request, emulator: Emulator, method: str) -> Response:
    """Serve Yemot method ``method``."""
    contract = emulator.contracts["yemot"]
    operation = contract.get(method)

    async def produce(request: Request, parse_only: bool = False) -> Reply:
        params: dict[str, Any] = {}
        call: YemotCall | None = None
        scope = request.scope
        try:
            allowed = (operation is not None and operation.derived.get(_VERBS_KEY)) or _allowed_verbs(operation)
            if scope["method"] not in allowed:
                raise UnsupportedVerb(scope["method"], allowed)
            params = await read_params(request)
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
                mfa.gate(call, method)
            call.params = params = param_layer.coerce(operation, params, empty_means_absent=True)
            for problem in param_layer.validate(operation, params):
                if problem.kind == "missing":
                    raise MissingParameter(problem.name)
                raise InvalidParameter(problem.name, problem.detail)
            service = METHODS.get(method)
            if service is None:
                raise NotImplementedInEmulator(method)
            if not parse_only:  # (parse_only: a fault answers instead; the journal wants what was asked)
                if method in STORED_URLS:  # resolve the URLs it stores before the (synchronous) service runs
                    await check_stored_urls(call, method)
                result = service(call)
                if result.__class__ is CoroutineType:  # (a service with work for a worker thread)
                    result = await result
        except YemotError as exc:
            checked_against = operation if scope["method"] in _allowed_verbs(operation) else None
            reply = envelope.error(exc, checked_against, allowed=operation, params=params)
            if envelope.is_download(method) and reply.status == 200:
                reply.status = envelope.DOWNLOAD_ERROR_STATUS
        else:
            if parse_only:
                reply = Reply(status=0, body=None, params=params)
            elif isinstance(result, bytes | Base64Body):
                reply = envelope.binary(result, operation, params=params)
            else:
                reply = envelope.ok(result, operation, params=params)
        # The reply names its tenant (the caller's system) and warns of parameters the method does not define.
        if call is not None and call.system is not None:
            reply.tenant = call.system.number
        if operation is not None:
            reply.warnings += param_layer.undefined(operation, reply.params.keys())
        return reply

    return await serve(emulator, "yemot", request, method, produce, envelope.fault)


def too_large(limit: int) -> Response:
    """The 413 answer for a body over ``limit`` bytes, in the Yemot envelope."""
    return render(envelope.error(RequestTooLarge(limit)))


routes = [Route("/{method}", routed(endpoint, "method"), methods=ALL_VERBS)]
