"""Step 3: the wire endpoint. The core pipeline does faults, the strict check and the journal; this
module only reads the parameters, runs the one method and shapes the envelope."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.core.api import Host
from emulator.core.http import params as param_layer
from emulator.core.http.pipeline import Reply, serve

NAME = "echo"


def _error(status: int, message: str, params: dict[str, Any] | None = None) -> Reply:
    return Reply(status=status, body={"ok": False, "error": message}, params=params or {})


def say(host: Host, params: dict[str, Any]) -> dict[str, Any]:
    """``Say``: remember ``text`` and answer it with the fixture's greeting."""
    state = host.world.echo
    state.said.append(params["text"])
    return {"ok": True, "said": f"{state.greeting}, {params['text']}", "count": len(state.said)}


async def endpoint(request: Request, host: Host, method: str) -> Response:
    """Serve echo method ``method`` (GET query parameters)."""
    operation = host.contracts[NAME].get(method)

    async def produce(request: Request, parse_only: bool = False) -> Reply:
        if operation is None:
            return _error(404, f"no method {method!r}")
        params = param_layer.coerce(operation, dict(request.query_params))
        problems = param_layer.validate(operation, params)
        if problems:
            return _error(400, f"{problems[0].name}: {problems[0].kind}", params)
        if parse_only:
            return Reply(status=0, body=None, params=params)
        return Reply(status=200, body=say(host, params), operation=operation, params=params)

    return await serve(host, NAME, request, method, produce, lambda status, body: Reply(status=status, body=body))


def too_large(limit: int) -> Response:
    return JSONResponse({"ok": False, "error": f"the body is over {limit} bytes"}, status_code=413)
