"""``GET /__emulator__/calls/{id}``: one live or finished call with its transcript, whichever API owns it.

Each API that runs interactive calls contributes a lookup ``(emulator, id) -> view | None``; the
first that knows the id answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin import simotel_dialplans
from emulator.admin.http import guarded, ok

Lookup = Callable[[Any, str], "dict[str, Any] | None"]
LOOKUPS: list[Lookup] = [simotel_dialplans.lookup]


async def call(request: Request) -> Response:
    emulator = request.app.state.emulator
    emulator.scheduler.run_due()
    call_id = request.path_params["id"]
    for lookup in LOOKUPS:
        found = lookup(emulator, call_id)
        if found is not None:
            return ok(found)
    return ok({"error": f"no call {call_id!r}"}, status=404)


routes = [Route("/calls/{id}", guarded(call), methods=["GET"])]
