"""Control-plane routes: reset, state, snapshot/restore, fixtures, clock, faults, outbox, contracts."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_json, read_object
from emulator.core.clock import format_instant, parse_instant
from emulator.core.faults import FaultSpecError
from emulator.core.store import SnapshotError
from emulator.fixtures import FixtureError, parse


def _emulator(request: Request) -> Any:
    return request.app.state.emulator


async def reset(request: Request) -> Response:
    _emulator(request).reset()
    return ok({"reset": True})


async def state(request: Request) -> Response:
    emulator = _emulator(request)
    return ok({"clock": clock_json(emulator), **emulator.snapshot()["world"]})


async def snapshot(request: Request) -> Response:
    return Response(_emulator(request).snapshot_bytes(), media_type="application/json")


async def restore(request: Request) -> Response:
    document = await read_json(request)
    try:
        _emulator(request).restore(document)
    except SnapshotError as exc:
        raise BadRequest(f"not a valid snapshot: {exc}") from exc
    return ok({"restored": True})


async def fixtures(request: Request) -> Response:
    body = await request.body()
    try:
        fixture = parse(body.decode("utf-8"), "request body")
    except UnicodeDecodeError as exc:
        raise BadRequest("fixture must be UTF-8 text (YAML or JSON)") from exc
    except FixtureError as exc:
        raise BadRequest(str(exc), **exc.to_json()) from exc
    _emulator(request).use_fixture(fixture)
    return ok({"loaded": True})


def clock_json(emulator: Any) -> dict[str, Any]:
    return {"now": format_instant(emulator.clock.now()), "frozen": emulator.clock.frozen}


async def clock(request: Request) -> Response:
    emulator = _emulator(request)
    if request.method == "GET":
        return ok(clock_json(emulator))
    body = await read_object(request)
    unknown = set(body) - {"freeze", "set", "advance"}
    if unknown or not body:
        raise BadRequest("clock takes one or more of 'freeze' (bool), 'set' (ISO-8601), 'advance' (seconds)")
    if "freeze" in body and not isinstance(body["freeze"], bool):
        raise BadRequest("'freeze' must be true or false")
    ran = 0
    if body.get("freeze") is True:
        emulator.clock.freeze()
    if "set" in body:
        if not isinstance(body["set"], str):
            raise BadRequest("'set' must be an ISO-8601 string")
        try:
            emulator.clock.set(parse_instant(body["set"]))
        except ValueError as exc:
            raise BadRequest(f"'set' is not an ISO-8601 instant: {body['set']!r}") from exc
        ran += emulator.scheduler.run_due()
    if body.get("freeze") is False:
        emulator.clock.unfreeze()
    if "advance" in body:
        seconds = body["advance"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds <= 10 * 365 * 86400:
            raise BadRequest("'advance' must be a number of seconds between 0 and 10 years")
        ran += emulator.scheduler.advance(float(seconds))
    return ok({**clock_json(emulator), "events_run": ran})


async def faults(request: Request) -> Response:
    table = _emulator(request).faults
    if request.method == "DELETE":
        table.clear()
        return ok({"cleared": True})
    if request.method == "GET":
        return ok({"faults": [fault.to_json() for fault in table.list()]})
    try:
        fault = table.add(await read_object(request))
    except FaultSpecError as exc:
        raise BadRequest(str(exc), **({"suggestions": exc.suggestions} if exc.suggestions else {})) from exc
    return ok(fault.to_json(), status=201)


async def fault(request: Request) -> Response:
    fault_id = request.path_params["fault_id"]
    if not _emulator(request).faults.remove(fault_id):
        raise BadRequest(f"no fault with id {fault_id}")
    return ok({"id": fault_id, "removed": True})


async def outbox(request: Request) -> Response:
    deliveries = _emulator(request).outbox.list()
    return ok({"deliveries": [delivery.to_json() for delivery in deliveries], "count": len(deliveries)})


async def contract(request: Request) -> Response:
    name = request.path_params["name"]
    emulator = _emulator(request)
    path = emulator.config.contracts_dir / f"{name}.yaml"
    if name not in ("yemot", "simotel", "admin") or not path.exists():
        raise BadRequest(f"no contract named {name!r}; try yemot, simotel or admin")
    return PlainTextResponse(path.read_text(encoding="utf-8"), media_type="application/yaml")


core_routes = [
    Route("/reset", guarded(reset), methods=["POST"]),
    Route("/state", guarded(state), methods=["GET"]),
    Route("/snapshot", guarded(snapshot), methods=["GET"]),
    Route("/restore", guarded(restore), methods=["POST"]),
    Route("/fixtures", guarded(fixtures), methods=["POST"]),
    Route("/clock", guarded(clock), methods=["GET", "POST"]),
    Route("/faults", guarded(faults), methods=["GET", "POST", "DELETE"]),
    Route("/faults/{fault_id:int}", guarded(fault), methods=["DELETE"]),
    Route("/outbox", guarded(outbox), methods=["GET"]),
    Route("/contracts/{name}.yaml", guarded(contract), methods=["GET"]),
]


async def not_found(request: Request) -> Response:
    return ok({"error": f"no control endpoint {request.method} {request.url.path}"}, status=404)


catch_all = Route("/{rest:path}", guarded(not_found), methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
