"""The wire skeleton: what every API's endpoint is made of, so each keeps only its real differences.

An API's ``wire.py`` supplies its producer (credentials, envelope, dialect: ``pipeline.Wire``), a
``Verbs`` table, its ``ParamErrors`` (``core/http/errors.py``) and its ``too_large`` answer; reading a
multipart body, the 405 and its ``Allow`` header, and turning a refusal into the answer are here or
in the pipeline, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core.http.contracts import Derived, Operation
from emulator.core.http.errors import ApiError
from emulator.core.http.limits import BodyTooLarge
from emulator.core.http.params import Upload
from emulator.core.http.pipeline import Reply, refusal, render
from emulator.core.http.requests import ApiEndpoint, routed

# What an API route answers (the ones an operation does not take get the API's 405).
ALL_VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class Verbs:
    """An API's verb table: which HTTP verbs an operation takes, and the 405 refusal of the others.

    With ``per_operation``, an operation takes those of ``verbs`` its contract path declares (all of
    them where it declares none of them); otherwise every operation takes every one of ``verbs``.
    ``refusal(verb, allowed)`` is the API's 405 error; the table adds its ``Allow`` header (RFC 9110:
    a 405 names the verbs that work), in the order of ``verbs``.
    """

    __slots__ = ("_allow", "_declared_verbs", "per_operation", "refusal", "verbs")

    def __init__(
        self,
        api: str,
        verbs: tuple[str, ...],
        refusal: Callable[[str, tuple[str, ...]], ApiError],
        *,
        per_operation: bool,
    ) -> None:
        self.verbs = verbs
        self.refusal = refusal
        self.per_operation = per_operation
        self._declared_verbs = Derived(f"{api} verbs", self._declared)
        self._allow: dict[tuple[str, ...], dict[str, str]] = {}  # each ``Allow`` header, made once

    def allowed(self, operation: Operation | None) -> tuple[str, ...]:
        """The verbs ``operation`` takes (worked out once per operation; an unknown one takes all)."""
        if operation is None:
            return self.verbs
        return self._declared_verbs.of(operation)

    def _declared(self, operation: Operation) -> tuple[str, ...]:
        if not self.per_operation:
            return self.verbs
        return tuple(verb for verb in self.verbs if verb.lower() in operation.verbs) or self.verbs

    def check(self, verb: str, operation: Operation | None) -> None:
        """Raise the API's 405 unless ``operation`` takes ``verb``."""
        allowed = self.allowed(operation)
        if verb not in allowed:
            error = self.refusal(verb, allowed)
            error.headers = self._allow.get(allowed) or self._allow.setdefault(allowed, {"Allow": ", ".join(allowed)})
            raise error


async def form_fields(request: Request, malformed: Callable[[], ApiError]) -> list[tuple[str, Any]]:
    """A ``multipart/form-data`` body's fields in order, each file part as an ``Upload`` with its bytes.

    A body that does not parse (or a client gone mid-body) is the API's ``malformed`` error; one over
    the size cap stays ``BodyTooLarge`` (the body cap answers it).
    """
    try:
        form = await request.form()
        return [
            (name, Upload(value.filename or "", value.content_type or "", await value.read()))
            if isinstance(value, UploadFile)
            else (name, value)
            for name, value in form.multi_items()
        ]
    except BodyTooLarge:
        raise
    except Exception as exc:  # python-multipart's and Starlette's own parse errors, a disconnect
        raise malformed() from exc


def too_large_answer(error: Callable[[int], ApiError]) -> Callable[[int], Response]:
    """The body cap's answer for an API: ``error(limit)`` (its 413) in the API's envelope."""

    def too_large(limit: int) -> Response:
        return render(refusal(error(limit), Reply(status=413, body=None)))

    return too_large


def api_routes(path: str, endpoint: ApiEndpoint, param: str) -> list[Route]:
    """The API's one Starlette route (the dispatcher calls ``endpoint`` directly; the route serves
    what reaches the app, such as a prefix's trailing-slash redirect)."""
    return [Route(path, routed(endpoint, param), methods=ALL_VERBS)]
