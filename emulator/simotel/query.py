"""The one Simotel query engine: ``alike``, ``conditions``, ``date_range`` and ``pagination``.

Every search (CRUD resources, reports, inbox, autodialer) runs its records through ``run``::

    query.run(rows, call.params, default_sort={"date": -1}, fields={"from": "src"},
              date_field="date", paginated=True)

- ``alike``: ``true`` / ``"true"`` / ``1`` / ``"1"`` = case-insensitive substring match on every
  condition; anything else = exact match (compared as text).
- ``conditions``: ``{name: value}``; ``fields`` maps a wire condition name to the record field it
  filters (names absent from ``fields`` filter the field of the same name). Empty values (``""``,
  ``None``, ``[]``) are no filter. A list value matches any of its items; a record field holding a
  list matches when any element matches; ``{"$oid": x}`` / ``{"$date": ...}`` compare as ``x`` / ms.
- ``date_range``: ``{"from", "to"}`` in Gregorian ``YYYY-MM-DD HH:MM`` (seconds optional, a bare
  date = that whole day), Asia/Tehran; both ends inclusive (``to`` covers its whole minute). The
  record field ``date_field`` may be a Jalali or Gregorian text or ``{"$date": ...}``. Empty parts
  are no filter.
- ``pagination`` (only when ``paginated``): ``{"start": offset, "count": size, "sorting": {col: 1|-1}}``;
  an empty or absent ``sorting`` uses ``default_sort``, and the effective one is echoed back with
  ``total`` (records matching before slicing). Absent ``pagination`` means start 0, count 20.

Returns the matching rows as a list, or for paginated searches
``{"pagination": {"start", "count", "sorting", "total"}, "data": [...]}``. The rows are returned as
they were given (the caller projects or masks them). A malformed part raises ``InvalidField``
(``Field '<part>':value is invalid``), never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from emulator.simotel import dates
from emulator.simotel.errors import InvalidField

DEFAULT_COUNT = 20
_TRUE = {"true", "1"}


def is_alike(value: Any) -> bool:
    """Whether an ``alike`` value asks for similar (substring) matching."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in _TRUE


def is_empty(value: Any) -> bool:
    """Whether a condition value means "no filter"."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def text(value: Any) -> str:
    """A record or condition value as comparable text (``$oid`` unwrapped, ``$date`` as ms)."""
    if type(value) is str:
        return value  # (most values)
    if isinstance(value, dict):
        if "$oid" in value:
            return str(value["$oid"])
        if "$date" in value:
            inner = value["$date"]
            return str(inner.get("$numberLong", "")) if isinstance(inner, dict) else str(inner)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def first(rows: Iterable[dict[str, Any]], name: str, value: Any) -> dict[str, Any] | None:
    """The first row whose ``name`` equals ``value`` as text (exact lookups by number, name, id)."""
    wanted = text(value)
    return next((row for row in rows if text(row.get(name)) == wanted), None)


def _matches(field_value: Any, wanted: Any, alike: bool) -> bool:
    if isinstance(wanted, list):
        return any(_matches(field_value, item, alike) for item in wanted if not is_empty(item))
    if isinstance(field_value, list):
        return any(_matches(item, wanted, alike) for item in field_value)
    have, want = text(field_value), text(wanted)
    return want.lower() in have.lower() if alike else have == want


def filter_conditions(
    rows: Iterable[dict[str, Any]], conditions: Any, alike: Any, fields: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The rows satisfying every non-empty condition."""
    if not isinstance(conditions, dict):
        if not is_empty(conditions):
            raise InvalidField("conditions")
        conditions = {}
    similar = is_alike(alike)
    fields = fields or {}
    active = [(fields.get(name, name), value) for name, value in conditions.items() if not is_empty(value)]
    kept = []
    for row in rows:
        for field, value in active:
            if not _matches(row.get(field), value, similar):
                break
        else:
            kept.append(row)
    return kept


def instant(value: Any) -> float | None:
    """The POSIX instant of a stored date (Jalali/Gregorian text or ``{"$date": ...}``), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dict) and "$date" in value:
        try:
            return int(text(value)) / 1000
        except ValueError:
            return None
    if isinstance(value, str) and value.strip():
        try:
            return dates.from_input(value)
        except ValueError:
            return None
    return None


def _bound(value: Any, *, upper: bool) -> float | None:
    if is_empty(value):
        return None
    try:
        moment = dates.from_gregorian(str(value))
    except ValueError as exc:
        raise InvalidField("date_range") from exc
    if upper:
        plain = str(value).strip()
        moment += 86_400 if len(plain) <= 10 else 60 if plain.count(":") == 1 else 1
    return moment


def filter_dates(rows: Iterable[dict[str, Any]], date_range: Any, date_field: str) -> list[dict[str, Any]]:
    """The rows whose ``date_field`` lies in ``date_range`` (see the module docstring)."""
    rows = list(rows)
    if is_empty(date_range):
        return rows
    if not isinstance(date_range, dict):
        raise InvalidField("date_range")
    low, high = _bound(date_range.get("from"), upper=False), _bound(date_range.get("to"), upper=True)
    if low is None and high is None:
        return rows
    kept = []
    for row in rows:
        moment = instant(row.get(date_field))
        if moment is None:
            continue
        if (low is None or moment >= low) and (high is None or moment < high):
            kept.append(row)
    return kept


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, dict) and "$date" in value:
        moment = instant(value)
        return (1, moment) if moment is not None else (2, text(value))
    if isinstance(value, list):
        return (1, len(value))
    return (2, text(value))


def sort_rows(rows: list[dict[str, Any]], sorting: Mapping[str, int]) -> list[dict[str, Any]]:
    """Rows sorted by each column of ``sorting`` in turn (1 ascending, -1 descending), stably."""
    ordered = list(rows)
    for column, direction in reversed(list(sorting.items())):
        ordered.sort(key=lambda row, column=column: _sort_key(row.get(column)), reverse=direction < 0)
    return ordered


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise InvalidField(name)
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise InvalidField(name) from exc
    if number < 0:
        raise InvalidField(name)
    return number


def parse_pagination(pagination: Any, default_sort: Mapping[str, int]) -> tuple[int, int, dict[str, int]]:
    """``(start, count, sorting)`` of a ``pagination`` object, defaults filled in."""
    if is_empty(pagination):
        pagination = {}
    if not isinstance(pagination, dict):
        raise InvalidField("pagination")
    start = _int(pagination.get("start"), "pagination", 0)
    count = _int(pagination.get("count"), "pagination", DEFAULT_COUNT)
    sorting = pagination.get("sorting")
    if is_empty(sorting):
        return start, count, dict(default_sort)
    if not isinstance(sorting, dict):
        raise InvalidField("pagination")
    effective: dict[str, int] = {}
    for column, direction in sorting.items():
        try:
            effective[str(column)] = -1 if int(direction) < 0 else 1
        except (TypeError, ValueError) as exc:
            raise InvalidField("pagination") from exc
    return start, count, effective


def paginate(rows: list[dict[str, Any]], pagination: Any, default_sort: Mapping[str, int]) -> dict[str, Any]:
    """``{"pagination": {start, count, sorting, total}, "data": page}`` of already-filtered rows."""
    start, count, sorting = parse_pagination(pagination, default_sort)
    ordered = sort_rows(rows, sorting)
    return {
        "pagination": {"start": start, "count": count, "sorting": sorting, "total": len(ordered)},
        "data": ordered[start : start + count],
    }


def run(
    rows: Iterable[dict[str, Any]],
    params: Mapping[str, Any],
    *,
    default_sort: Mapping[str, int] | None = None,
    fields: Mapping[str, str] | None = None,
    date_field: str = "date",
    paginated: bool = False,
) -> Any:
    """Filter ``rows`` by the search body ``params``; paginate when ``paginated`` (module docstring)."""
    found = filter_conditions(rows, params.get("conditions"), params.get("alike"), fields)
    found = filter_dates(found, params.get("date_range"), date_field)
    if not paginated:
        return found
    return paginate(found, params.get("pagination"), default_sort or {"date": -1})
