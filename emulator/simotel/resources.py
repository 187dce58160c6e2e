"""The one generic CRUD mechanism of Simotel's record collections: add / search / update / remove.

A resource is declared once as a ``Resource`` (see ``services/pbx.py``, ``services/dialer_lists.py``)::

    Resource("pbx/users", "users", fields=USER_FIELDS, required=("name", "number", "secret"),
             unique=("number",), duplicate="This number already exists", conditions=("name", "number"))

and ``handlers(resource)`` turns it into the service functions of ``<path>/add|search|update|remove``.
Records live in ``SimotelState.collections[resource.collection]`` as plain dicts
``{"_id": <24 hex>, <fields>..., "date": <Jalali>}``; ids come from the state's counter
(``records.object_id``), so a run is reproducible.

Rules shared by every resource:
- add: required fields (``[**]``) are checked by the contract before the service runs (and again
  here, for the dialect and fixtures); only declared fields are stored; a value equal to an existing
  record's on any ``unique`` field answers ``duplicate``; ``data`` is ``{"_id": id}`` (``{"_id": null}``
  where the documentation shows it so);
- search: the query engine (``emulator.simotel.query``) with the resource's condition names,
  paginated or a plain list; each record goes out through ``resource.view``;
- update: ``_id`` names the record; only given fields change; uniqueness is checked against the
  other records; ``data`` is ``""`` unless the resource says otherwise;
- remove: ``_id`` names the record; ``data`` is ``""``;
- an unknown or malformed ``_id`` answers ``Requested operation failed``.
Hooks (``on_added``, ``on_updated``, ``on_removed``) run after the state changed (webhook events,
campaign scheduling).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.simotel import query, records
from emulator.simotel.context import SimotelCall
from emulator.simotel.dates import jalali
from emulator.simotel.envelope import DONE
from emulator.simotel.errors import MissingField, OperationFailed

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
ACTIONS = ("add", "search", "update", "remove")
Hook = Callable[[SimotelCall, dict[str, Any]], None]
View = Callable[[SimotelCall, dict[str, Any]], dict[str, Any]]
Prepare = Callable[[SimotelCall, dict[str, Any], dict[str, Any] | None], None]
Reply = Callable[[SimotelCall, dict[str, Any]], Any]


def _empty(_call: SimotelCall, _record: dict[str, Any]) -> str:
    return ""


def _as_is(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    return dict(record)


@dataclass(frozen=True)
class Resource:
    """One record collection and the rules of its four actions."""

    path: str  # "pbx/users": services are "<path>/add" etc.
    collection: str  # key in SimotelState.collections
    fields: tuple[str, ...]  # what add/update store
    required: tuple[str, ...] = ()  # [**] on add
    unique: tuple[str, ...] = ()  # each of these fields is unique on its own
    duplicate: str = "Requested operation failed"
    conditions: tuple[str, ...] = ()  # documented search condition names
    condition_fields: Mapping[str, str] = field(default_factory=dict)  # condition name -> record field
    paginated: bool = False
    default_sort: Mapping[str, int] = field(default_factory=lambda: {"date": -1})
    actions: tuple[str, ...] = ACTIONS
    identities: Mapping[str, str] = field(default_factory=dict)  # dialect: wire key -> field naming a record
    null_id: bool = False  # add answers {"_id": null} (as documented for lists and contacts)
    view: View = _as_is  # record -> search item (masks, derived fields)
    # An extra search filter (users' status): the candidates a search may find, of all the records.
    keep: Callable[[SimotelCall, list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    prepare: Prepare | None = None  # (call, new values, old record or None): derive/validate stored fields
    update_reply: Reply = _empty  # data of a successful update
    on_added: Hook | None = None
    on_updated: Hook | None = None
    on_removed: Hook | None = None

    def services(self) -> list[str]:
        return [f"{self.path}/{action}" for action in self.actions]


def rows(call: SimotelCall, resource: Resource) -> list[dict[str, Any]]:
    """The live list of a resource's records (created on first use)."""
    return call.state.collections.setdefault(resource.collection, [])


def find(call: SimotelCall, resource: Resource, record_id: Any) -> dict[str, Any]:
    """The record with ``_id`` ``record_id``; ``Requested operation failed`` when there is none."""
    wanted = query.text(record_id)
    if not OBJECT_ID.fullmatch(wanted):
        raise OperationFailed()
    for record in rows(call, resource):
        if record.get("_id") == wanted:
            return record
    raise OperationFailed()


def find_by(call: SimotelCall, resource: Resource, name: str, value: Any) -> dict[str, Any] | None:
    """The first record whose ``name`` equals ``value`` as text (dialect lookups, queue numbers)."""
    return query.first(rows(call, resource), name, value)


def _check_unique(call: SimotelCall, resource: Resource, values: dict[str, Any], own_id: str | None) -> None:
    for key in resource.unique:
        if query.is_empty(values.get(key)):
            continue
        clash = find_by(call, resource, key, values[key])
        if clash is not None and clash.get("_id") != own_id:
            raise OperationFailed(resource.duplicate)


def _given(resource: Resource, params: dict[str, Any]) -> dict[str, Any]:
    return {name: params[name] for name in resource.fields if name in params}


def add(call: SimotelCall, resource: Resource) -> tuple[dict[str, Any], str]:
    """Store a new record; ``data`` is its ``_id``."""
    for name in resource.required:
        if query.is_empty(call.params.get(name)):
            raise MissingField(name)
    values = _given(resource, call.params)
    if resource.prepare is not None:
        resource.prepare(call, values, None)
    _check_unique(call, resource, values, None)
    record = records.append(call.state, resource.collection, {**values, "date": jalali(call.now)})
    if resource.on_added is not None:
        resource.on_added(call, record)
    return {"_id": None if resource.null_id else record["_id"]}, DONE


def search(call: SimotelCall, resource: Resource) -> tuple[Any, str]:
    """The records matching the search body, through ``resource.view``."""
    candidates = rows(call, resource)
    if resource.keep is not None:
        candidates = resource.keep(call, candidates)
    result = query.run(
        candidates,
        call.params,
        default_sort=resource.default_sort,
        fields=resource.condition_fields,
        paginated=resource.paginated,
    )
    if resource.paginated:
        return {**result, "data": [resource.view(call, r) for r in result["data"]]}, ""
    return [resource.view(call, record) for record in result], ""


def update(call: SimotelCall, resource: Resource) -> tuple[Any, str]:
    """Change the given fields of record ``_id``."""
    record = find(call, resource, call.params.get("_id"))
    values = _given(resource, call.params)
    if resource.prepare is not None:
        resource.prepare(call, values, record)
    _check_unique(call, resource, values, record["_id"])
    record.update(values)
    if resource.on_updated is not None:
        resource.on_updated(call, record)
    return resource.update_reply(call, record), DONE


def remove(call: SimotelCall, resource: Resource) -> tuple[str, str]:
    """Delete record ``_id``."""
    record = find(call, resource, call.params.get("_id"))
    rows(call, resource).remove(record)
    if resource.on_removed is not None:
        resource.on_removed(call, record)
    return "", DONE


_ACTIONS: dict[str, Callable[[SimotelCall, Resource], tuple[Any, Any]]] = {
    "add": add,
    "search": search,
    "update": update,
    "remove": remove,
}


def handlers(resource: Resource) -> dict[str, Callable[[SimotelCall], tuple[Any, Any]]]:
    """``{"<path>/<action>": service function}`` for every action the resource has."""

    def bind(action: str) -> Callable[[SimotelCall], tuple[Any, Any]]:
        def service(call: SimotelCall) -> tuple[Any, Any]:
            return _ACTIONS[action](call, resource)

        service.__name__ = f"{resource.collection}_{action}"
        return service

    return {f"{resource.path}/{action}": bind(action) for action in resource.actions}


def seed(state: Any, collection: str, record: dict[str, Any], now: float) -> dict[str, Any]:
    """A fixture record: given an ``_id`` and a ``date`` when it has none."""
    if "_id" in record:
        stored = dict(record)
        state.collections.setdefault(collection, []).append(stored)
    else:
        stored = records.append(state, collection, dict(record))
    stored.setdefault("date", jalali(now))
    return stored
