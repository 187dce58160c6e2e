"""Control-plane routes of the journal: filtered, paged reads and verification with near misses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok, read_object
from emulator.core.http import jsonsafe
from emulator.core.http.suggest import close_names, did_you_mean
from emulator.core.observe.journal import JournalEntry, JournalFilter
from emulator.core.observe.verify import Expectation, verify
from emulator.core.sim.clock import format_instant, parse_instant

FILTER_KEYS = ("api", "operation", "tenant", "since", "params")
PAGE_KEYS = ("limit", "offset", "order")
COUNT_KEYS = ("count", "at_least", "at_most")
MAX_PAGE = 1000


def _refuse_unknown_keys(given: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        name = unknown[0]
        raise BadRequest(
            f"unknown {what} {name!r}{did_you_mean(name, allowed)}; {what}s are {', '.join(allowed)}",
            suggestions=close_names(name, allowed),
        )


def _known_operations(emulator: Any, api: str | None) -> set[str]:
    names = set(emulator.journal.operations())
    for name in [api] if api else emulator.contracts:
        names.update(emulator.contracts[name].operations)
    return names


def parse_filter(emulator: Any, source: Mapping[str, Any]) -> JournalFilter:
    """A JournalFilter from query parameters or a JSON body; 400 with suggestions on near names."""
    api = source.get("api")
    names = tuple(spec.name for spec in emulator.apis)
    if api is not None and api not in names:
        raise BadRequest(f"'api' must be one of {', '.join(names)}{did_you_mean(str(api), names)}")
    operation = source.get("operation")
    if operation is not None:
        if not isinstance(operation, str) or not operation:
            raise BadRequest("'operation' must be a non-empty string")
        known = _known_operations(emulator, api)
        if operation not in known:
            raise BadRequest(
                f"unknown operation {operation!r}{did_you_mean(operation, known)}",
                suggestions=close_names(operation, known),
            )
    tenant = source.get("tenant")
    if tenant is not None and not isinstance(tenant, str):
        raise BadRequest("'tenant' must be a string (the API's tenant: a system number, an account)")
    since = None
    if source.get("since") is not None:
        try:
            since = parse_instant(str(source["since"]))
        except ValueError as exc:
            raise BadRequest("'since' must be an ISO-8601 instant") from exc
    params = source.get("params")
    if isinstance(params, str):
        try:
            params = jsonsafe.loads(params)
        except ValueError as exc:
            raise BadRequest("'params' must be a JSON object of parameter values") from exc
    if params is not None and not isinstance(params, dict):
        raise BadRequest("'params' must be a JSON object of parameter values")
    return JournalFilter(api=api, operation=operation, tenant=tenant, since=since, params=params or None)


def _integer(source: Mapping[str, Any], name: str, default: int | None, low: int, high: int) -> int | None:
    value = source.get(name)
    if value is None:
        return default
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadRequest(f"{name!r} must be an integer between {low} and {high}")
    return value


def entry_json(entry: JournalEntry) -> dict[str, Any]:
    data = entry.to_json()
    data["time"] = format_instant(entry.time)
    return data


async def journal(request: Request) -> Response:
    """GET: matching entries (oldest first unless ``order=desc``), paged; DELETE: clear."""
    emulator = request.app.state.emulator
    if request.method == "DELETE":
        emulator.journal.clear()
        return ok({"cleared": True})
    query = request.query_params
    _refuse_unknown_keys(query, FILTER_KEYS + PAGE_KEYS, "journal filter")
    selection = parse_filter(emulator, query)
    order = query.get("order", "asc")
    if order not in ("asc", "desc"):
        raise BadRequest("'order' must be asc or desc")
    limit = _integer(query, "limit", None, 1, MAX_PAGE)
    offset = _integer(query, "offset", 0, 0, 10**9) or 0
    entries = emulator.journal.select(selection)
    if order == "desc":
        entries.reverse()
    page = entries[offset : None if limit is None else offset + limit]
    return ok(
        {
            "entries": [entry_json(entry) for entry in page],
            "count": len(entries),
            "offset": offset,
            "limit": limit,
            # Oldest entries dropped (to stay within the entry count or byte budget) since the last clear.
            "evicted": emulator.journal.evicted,
        }
    )


async def verify_journal(request: Request) -> Response:
    """200 ``{matched}`` when the expectation holds; 409 with the near misses when it does not."""
    emulator = request.app.state.emulator
    body = await read_object(request)
    _refuse_unknown_keys(body, FILTER_KEYS + COUNT_KEYS, "verify field")
    if "count" in body and ({"at_least", "at_most"} & set(body)):
        raise BadRequest("give 'count', or 'at_least' and/or 'at_most', not both")
    selection = parse_filter(emulator, body)
    expectation = Expectation(**{name: _integer(body, name, None, 0, 10**9) for name in COUNT_KEYS})
    verdict = verify(emulator.journal, selection, expectation)
    data = verdict.to_json()
    for miss in data.get("near_misses", []):
        miss["time"] = format_instant(miss["time"])
    return ok(data, status=200 if verdict.holds else 409)


routes = [
    Route("/journal", guarded(journal), methods=["GET", "DELETE"]),
    Route("/journal/verify", guarded(verify_journal), methods=["POST"]),
]
