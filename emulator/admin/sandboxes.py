"""Control-plane routes for sandboxes: create, list and delete isolated emulators on this server."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator import apis
from emulator.admin.http import guarded, ok, read_object
from emulator.admin.served import served


def _registry(request: Request) -> Any:
    return request.app.state.sandboxes


def _refused(exc: Any) -> JSONResponse:
    return JSONResponse({"error": exc.reason, **exc.details}, status_code=exc.status)


def _base_url(request: Request) -> str:
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}"


async def sandboxes(request: Request) -> Response:
    registry = _registry(request)
    if registry is None:
        return JSONResponse({"error": "sandboxes are created at the server's root control plane"}, status_code=404)
    if request.method == "GET":
        listed = registry.list()
        return ok({"count": len(listed), "cap": registry.config.max_sandboxes, "sandboxes": listed})
    spec = await read_object(request, default={})
    try:  # parsed and built in a worker thread (an inline fixture may be large), registered on the loop
        sandbox = registry.add(await run_in_threadpool(registry.prepare, spec, request.query_params.get("id")))
    except registry.Refused as exc:
        return _refused(exc)
    base = f"{_base_url(request)}/sb/{sandbox.id}"
    return ok(
        {
            "id": sandbox.id,
            "token": sandbox.token,
            "ttl_s": sandbox.ttl_s,
            "urls": {name: f"{base}{prefix}/" for name, prefix in apis.prefixes(served(request)).items()},
        },
        status=201,
    )


async def sandbox(request: Request) -> Response:
    registry = _registry(request)
    sandbox_id = request.path_params["sandbox_id"]
    if registry is None or not registry.delete(sandbox_id):
        return JSONResponse({"error": f"sandbox '{sandbox_id}' does not exist", "sandbox": sandbox_id}, status_code=404)
    return ok({"deleted": sandbox_id})


routes = [
    Route("/sandboxes", guarded(sandboxes), methods=["GET", "POST"]),
    Route("/sandboxes/{sandbox_id}", guarded(sandbox), methods=["DELETE"]),
]
