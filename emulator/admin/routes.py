"""Control-plane routes: reset, state, snapshot/restore, fixtures, clock, faults, outbox, contracts."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.admin.served import contract_files
from emulator.admin.snapshot_download import snapshot_response
from emulator.core.http.faults import FaultSpecError
from emulator.core.persist.store import SnapshotError
from emulator.core.sim.clock import ClockRangeError, check_instant, format_instant, parse_instant
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
    """The whole state as JSON, streamed by a forked child within the state budget."""
    return await snapshot_response(_emulator(request))


async def restore(request: Request) -> Response:
    """Parse and check the snapshot in a worker thread; only the swap runs on the event loop."""
    emulator = _emulator(request)
    raw = await request.body()

    def prepare() -> Any:
        if not raw.strip():
            raise BadRequest("request body must be JSON")
        return emulator.world_from_snapshot_bytes(raw)

    try:
        world = await run_in_threadpool(prepare)
    except SnapshotError as exc:
        raise BadRequest(f"not a valid snapshot: {exc}", **({"path": exc.path} if exc.path else {})) from exc
    emulator.set_world(world)
    return ok({"restored": True})


async def fixtures(request: Request) -> Response:
    """Parse, check and build the fixture in a worker thread; only the reset runs on the event loop.

    DELETE makes the fixture the server started with the reset target again, and resets to it.
    """
    emulator = _emulator(request)
    if request.method == "DELETE":
        emulator.use_fixture(emulator.start_fixture)
        return ok({"loaded": True, "source": emulator.fixture.source})
    body = await request.body()

    def prepare() -> Any:
        fixture = parse(body.decode("utf-8"), "request body")
        emulator.prepare_fixture(fixture)
        return fixture

    try:
        fixture = await run_in_threadpool(prepare)
    except UnicodeDecodeError as exc:
        raise BadRequest("fixture must be UTF-8 text (YAML or JSON)") from exc
    except FixtureError as exc:
        raise BadRequest(str(exc), **exc.to_json()) from exc
    emulator.use_fixture(fixture)
    return ok({"loaded": True})


def clock_json(emulator: Any) -> dict[str, Any]:
    return {"now": format_instant(emulator.clock.now()), "frozen": emulator.clock.frozen}


def _instant_to_set(value: Any) -> float:
    """The instant of a clock ``set`` value, or a 400 saying why it cannot be used."""
    if not isinstance(value, str):
        raise BadRequest("'set' must be an ISO-8601 string")
    try:
        instant = parse_instant(value)
    except (ValueError, OverflowError) as exc:
        raise BadRequest(f"'set' is not an ISO-8601 instant: {value!r}") from exc
    try:
        return check_instant(instant)
    except ClockRangeError as exc:
        raise BadRequest(f"'set' is out of range: {exc}") from exc


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
    instant = _instant_to_set(body["set"]) if "set" in body else None
    seconds = body.get("advance")
    if "advance" in body and (
        isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds <= 10 * 365 * 86400
    ):
        raise BadRequest("'advance' must be a number of seconds between 0 and 10 years")
    if seconds is not None:
        try:
            check_instant((emulator.clock.now() if instant is None else instant) + float(seconds))
        except ClockRangeError as exc:
            raise BadRequest(f"'advance' is out of range: {exc}") from exc
    ran = 0
    if body.get("freeze") is True:
        emulator.clock.freeze()
    if instant is not None:
        emulator.clock.set(instant)
        ran += emulator.scheduler.run_due()
    if body.get("freeze") is False:
        emulator.clock.unfreeze()
    if seconds is not None:
        ran += await emulator.scheduler.advance_async(float(seconds))
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
    files = contract_files(emulator)
    path = files.get(name)
    if path is None or not path.exists():
        names = list(files)
        raise BadRequest(f"no contract named {name!r}; try {', '.join(names[:-1])} or {names[-1]}")
    return PlainTextResponse(path.read_text(encoding="utf-8"), media_type="application/yaml")


core_routes = [
    Route("/reset", guarded(reset), methods=["POST"]),
    Route("/state", guarded(state), methods=["GET"]),
    Route("/snapshot", guarded(snapshot), methods=["GET"]),
    Route("/restore", guarded(restore), methods=["POST"]),
    Route("/fixtures", guarded(fixtures), methods=["POST", "DELETE"]),
    Route("/clock", guarded(clock), methods=["GET", "POST"]),
    Route("/faults", guarded(faults), methods=["GET", "POST", "DELETE"]),
    Route("/faults/{fault_id:int}", guarded(fault), methods=["DELETE"]),
    Route("/outbox", guarded(outbox), methods=["GET"]),
    Route("/contracts/{name}.yaml", guarded(contract), methods=["GET"]),
]


async def not_found(request: Request) -> Response:
    return ok({"error": f"no control endpoint {request.method} {request.url.path}"}, status=404)


catch_all = Route("/{rest:path}", guarded(not_found), methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
