"""Control-plane routes for a Yemot system's API keys, as the admin site's firewall screen has them.

``POST /yemot/systems/{number}/api-keys`` makes a key and shows its text once; ``GET`` lists the
keys without their text; ``DELETE /yemot/systems/{number}/api-keys/{id}`` revokes one.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, NotFound, guarded, ok, read_object
from emulator.core.sim.clock import format_instant
from emulator.yemot import api_keys
from emulator.yemot.admin.systems import check_fields, system_of
from emulator.yemot.state import ApiKey


def key_json(key: ApiKey) -> dict[str, Any]:
    """What the control plane shows of a key: never its text."""
    return {
        "id": key.id,
        "note": key.note,
        "created": format_instant(key.created),
        "last_used": None if key.last_used is None else format_instant(key.last_used),
        "revoked": None if key.revoked is None else format_instant(key.revoked),
    }


async def keys(request: Request) -> Response:
    system = system_of(request)
    emulator = request.app.state.emulator
    if request.method == "GET":
        return ok({"api_keys": [key_json(key) for key in system.api_keys]})
    body = await read_object(request, default={})  # (the body is optional: a key without a note)
    check_fields(body, ("note",))
    note = body.get("note", "")
    if not isinstance(note, str):
        raise BadRequest("'note' must be a string")
    try:
        made, text = api_keys.create(emulator.world.yemot, system, note=note, now=emulator.clock.now())
    except api_keys.ApiKeyError as exc:
        raise BadRequest(str(exc)) from exc
    return ok({**key_json(made), "key": text}, status=201)


async def revoke(request: Request) -> Response:
    system = system_of(request)
    emulator = request.app.state.emulator
    key = api_keys.revoke(system, request.path_params["key_id"], emulator.clock.now())
    if key is None:
        raise NotFound(f"system {system.number} has no API key {request.path_params['key_id']!r}")
    return ok(key_json(key))


routes = [
    Route("/yemot/systems/{number}/api-keys", guarded(keys), methods=["GET", "POST"]),
    Route("/yemot/systems/{number}/api-keys/{key_id}", guarded(revoke), methods=["DELETE"]),
]
