"""Step 3: the wire. The core pipeline does faults, the strict check, the journal and the access
line; this module only reads the parameters, runs the one method and shapes the envelope: its
refusals are one ``ApiError`` class, its parameter problems go through ``ParamErrors``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from emulator.core.api import Host
from emulator.core.http import params as param_layer
from emulator.core.http.errors import ApiError, ParamErrors
from emulator.core.http.pipeline import Reply, Wire, serve
from emulator.core.http.wire import too_large_answer

NAME = "echo"


class EchoError(ApiError):
    """Every echo refusal: ``{"ok": false, "error": message}`` with the error's status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message}


PARAM_ERRORS = ParamErrors(
    missing=lambda name: EchoError(f"{name}: missing"),
    invalid=lambda name, detail: EchoError(f"{name}: invalid"),
)


def say(host: Host, params: dict[str, Any]) -> dict[str, Any]:
    """``Say``: remember ``text`` and answer it with the fixture's greeting."""
    state = host.world.echo
    state.said.append(params["text"])
    return {"ok": True, "said": f"{state.greeting}, {params['text']}", "count": len(state.said)}


async def _produce(request: Request, host: Host, reply: Reply, parse_only: bool) -> None:
    """Read the query, check it against the contract and answer ``Say`` (see ``pipeline.Producer``)."""
    if reply.operation is None:
        raise EchoError(f"no method {reply.operation_name!r}", status=404)
    reply.params = params = param_layer.coerce(reply.operation, dict(request.query_params))
    PARAM_ERRORS.check(reply.operation, params)
    if not parse_only:
        reply.body = say(host, params)


WIRE = Wire(
    NAME,
    _produce,
    fault=lambda status, body: Reply(status=status, body=body),
    outcome=lambda body: None,  # (the access line shows the status only)
)


async def endpoint(request: Request, host: Host, method: str) -> Response:
    """Serve echo method ``method`` (GET query parameters)."""
    return await serve(host, WIRE, request, method, host.contracts[NAME].get(method))


too_large = too_large_answer(lambda limit: EchoError(f"the body is over {limit} bytes", status=413))
