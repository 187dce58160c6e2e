"""The simotel-connect dialect: one translation of what that client sends into the documented bodies.

``simotel-connect`` (PyPI, reference §6.1 "≠docs") names some things differently from the
documentation. ``translate`` rewrites such a request into its documented form before the contract
validates it, and returns one conformance warning per rewrite (journaled with the request):

- ``?id=`` in the query string -> body ``_id`` (downloads and ``ordered/id`` exports);
- body ``id`` -> ``_id`` (the vendor's Postman collection: ``pbx/faxes/download``, ``autodialer/trunks/update``);
- ``password`` -> ``secret`` (users); ``description`` -> ``comment`` (black/white lists);
- a queue added without ``number`` gets the next free number (500 upwards);
- a record named by its identity (``number``/``name``/...) instead of ``_id`` on update/remove;
- ``queue_number``/``agent_number`` -> ``queue``/``agent`` (``source`` defaults to the agent), and
  batch ops with ``queue_number`` and ``agents`` as a list of numbers;
- flat search filters (no ``alike``/``conditions``) -> ``conditions`` with exact matching,
  ``extension`` -> ``number``, ``from_date``/``to_date`` -> ``date_range``;
- flat ``limit``/``offset`` -> ``pagination.count``/``pagination.start``.

In strict mode (the account's ``strict`` or the global ``settings.strict``) nothing is rewritten,
so the request gets the documented error (``Field '_id':value is missing`` and the like).
"""

from __future__ import annotations

from typing import Any

from emulator.simotel import catalog, query
from emulator.simotel.errors import OperationFailed
from emulator.simotel.state import SimotelState

PREFIX = "simotel-connect dialect: "
POSTMAN = "Postman collection dialect: "
POSTMAN_ID = ("pbx/faxes/download", "autodialer/trunks/update")  # where the vendor's Postman collection sends ``id``
SEARCH_KEYS = {"alike", "conditions", "pagination", "date_range", "status", "limit", "offset"}
RENAMES = {"pbx/users": {"password": "secret"}, "pbx/blacklists": {"description": "comment"},
           "pbx/whitelists": {"description": "comment"}}  # fmt: skip
AGENT_KEYS = {"queue_number": "queue", "agent_number": "agent"}


class _Rewrite:
    """The request being translated and the warnings collected so far."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = dict(params)
        self.warnings: list[str] = []

    def rename(self, old: str, new: str, target: dict[str, Any] | None = None) -> None:
        body = self.params if target is None else target
        if old in body and new not in body:
            body[new] = body.pop(old)
            self.warn(f"'{old}' sent for '{new}'")

    def warn(self, text: str, prefix: str = PREFIX) -> None:
        if prefix + text not in self.warnings:
            self.warnings.append(prefix + text)


def translate(
    state: SimotelState, service: str, params: dict[str, Any], query_string: dict[str, str], *, strict: bool
) -> tuple[dict[str, Any], list[str]]:
    """The documented form of ``params`` and the conformance warnings (none in strict mode)."""
    if strict:
        return params, []
    rewrite = _Rewrite(params)
    if query_string.get("id") and not rewrite.params.get("_id"):
        rewrite.params["_id"] = query_string["id"]
        rewrite.warn("'?id=' query parameter sent for body '_id'")
    if (
        service in POSTMAN_ID
        and not query.is_empty(rewrite.params.get("id"))
        and query.is_empty(rewrite.params.get("_id"))
    ):
        rewrite.params["_id"] = rewrite.params.pop("id")
        rewrite.warn("'id' sent for '_id'", POSTMAN)
    prefix, _, action = service.rpartition("/")
    for old, new in RENAMES.get(prefix, {}).items():
        rewrite.rename(old, new)
    if service == "pbx/queues/add" and query.is_empty(rewrite.params.get("number")):
        rewrite.params["number"] = _free_queue_number(state)
        rewrite.warn("queue 'number' missing, the next free number used")
    if prefix == "pbx/queues" and action.endswith("agent"):
        _agents(rewrite, action)
    if action == "search":
        _search(rewrite, service)
    if action in ("update", "remove") and not rewrite.params.get("_id"):
        resource = catalog.resource_of(service)
        if resource is not None:
            _identify(rewrite, state, resource)
    return rewrite.params, rewrite.warnings


def _free_queue_number(state: SimotelState) -> str:
    taken = {query.text(queue.get("number")) for queue in state.collections.get("queues", [])}
    number = 500
    while str(number) in taken:
        number += 1
    return str(number)


def _agents(rewrite: _Rewrite, action: str) -> None:
    for old, new in AGENT_KEYS.items():
        rewrite.rename(old, new)
    adding = action.endswith("addagent")
    if action.startswith("batch"):
        agents = rewrite.params.get("agents")
        if isinstance(agents, list) and any(not isinstance(agent, dict) for agent in agents):
            shared = {key: rewrite.params[key] for key in ("queue", "penalty", "reason") if key in rewrite.params}
            rewrite.params["agents"] = [
                agent if isinstance(agent, dict) else {**shared, "agent": agent} for agent in agents
            ]
            rewrite.warn("'agents' sent as a list of numbers with 'queue_number'")
        items = rewrite.params.get("agents") if isinstance(rewrite.params.get("agents"), list) else []
    else:
        items = [rewrite.params]
    for item in items:
        if isinstance(item, dict):
            for old, new in AGENT_KEYS.items():
                rewrite.rename(old, new, item)
            if adding and item.get("agent") and not item.get("source"):
                item["source"] = item["agent"]
                rewrite.warn("'source' missing, the agent's number used")


def _search(rewrite: _Rewrite, service: str) -> None:
    params = rewrite.params
    if "alike" not in params and "conditions" not in params:
        flat = {key: params.pop(key) for key in list(params) if key not in SEARCH_KEYS}
        if "extension" in flat and "number" not in flat:
            flat["number"] = flat.pop("extension")
        dates = {edge: flat.pop(f"{edge}_date") for edge in ("from", "to") if f"{edge}_date" in flat}
        if dates and "date_range" not in params:
            params["date_range"] = dates
        params.update(alike="false", conditions=flat)
        rewrite.warn("flat search filters sent without 'alike' and 'conditions'")
    elif "alike" not in params:  # reports.cdr_search sends nested conditions but no 'alike'
        params["alike"] = "false"
        rewrite.warn("search sent without 'alike'")
    if "limit" in params or "offset" in params:
        pagination = dict(params.get("pagination") or {})
        if "limit" in params:
            pagination.setdefault("count", params.pop("limit"))
        if "offset" in params:
            pagination.setdefault("start", params.pop("offset"))
        params["pagination"] = pagination
        rewrite.warn("flat 'limit'/'offset' sent for 'pagination'")


def _identify(rewrite: _Rewrite, state: SimotelState, resource: Any) -> None:
    for key, field_name in resource.identities.items():
        value = rewrite.params.get(key)
        if query.is_empty(value):
            continue
        found = query.first(state.collections.get(resource.collection, []), field_name, value)
        if found is None:
            raise OperationFailed()
        rewrite.params["_id"] = found["_id"]
        rewrite.warn(f"record named by '{key}' instead of '_id'")
        return
