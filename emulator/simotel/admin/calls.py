"""Control-plane route that makes the outside world call the Simotel PBX (incoming calls)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.simotel.services import calls

_NUMBER = re.compile(r"\+?[0-9]{2,20}")
FIELDS = ("from", "to", "entry_point", "name")


async def incoming_call(request: Request) -> Response:
    """Place a call from ``from`` to ``to`` (extension or queue number); answer its ``unique_id``."""
    body = await read_object(request)
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; fields are {', '.join(FIELDS)}")
    for name in ("from", "to"):
        if not isinstance(body.get(name), str) or not _NUMBER.fullmatch(body[name]):
            raise BadRequest(f"{name!r} must be a phone number or extension (digits)")
    for name in ("entry_point", "name"):
        if not isinstance(body.get(name, ""), str):
            raise BadRequest(f"{name!r} must be a string")
    emulator = request.app.state.emulator
    call = calls.incoming(
        emulator,
        src=body["from"],
        dst=body["to"],
        entry_point=body.get("entry_point", "main"),
        name=body.get("name", ""),
    )
    return ok({"unique_id": calls.uniqueid(call), "to": call.to, "queue": call.extra.get("queue", "")}, status=201)


routes = [Route("/simotel/incoming-calls", guarded(incoming_call), methods=["POST"])]
