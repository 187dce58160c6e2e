"""The PHP client dialect: ``json_encode`` writes an empty PHP array as ``[]``, never ``{}``.

The official client (``simotel/simotel-php-connect``) builds every body from PHP arrays, so an
empty ``conditions``, ``sorting``, ``date_range`` or a whole empty body arrives as ``[]``. ``objects``
turns each ``[]`` whose documented schema is an object (and not an array) back into ``{}``, at any
depth, before the parameters are coerced and validated. This is that client's ordinary encoding,
so it is accepted in strict mode too and not reported as a deviation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Resolve = Callable[[Any], Any]
MAX_DEPTH = 16


def objects(value: Any, schema: dict[str, Any], resolve: Resolve, depth: int = 0) -> Any:
    """``value`` with every ``[]`` that ``schema`` documents as an object replaced by ``{}``."""
    if depth > MAX_DEPTH:
        return value
    schema = resolve(schema) if isinstance(schema, dict) else {}
    if value == [] and isinstance(value, list):
        types = _types(schema, resolve)
        return {} if "object" in types and "array" not in types else value
    if isinstance(value, dict):
        return {key: objects(item, _property(schema, key, resolve), resolve, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return [objects(item, items, resolve, depth + 1) for item in value]
    return value


def _branches(schema: dict[str, Any], resolve: Resolve) -> list[dict[str, Any]]:
    found = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(key, []) or []:
            option = resolve(option)
            if isinstance(option, dict):
                found.extend(_branches(option, resolve))
    return found


def _types(schema: dict[str, Any], resolve: Resolve) -> set[str]:
    types: set[str] = set()
    for branch in _branches(schema, resolve):
        declared = branch.get("type")
        if isinstance(declared, str):
            types.add(declared)
        elif isinstance(declared, list):
            types.update(declared)
        elif "properties" in branch or "additionalProperties" in branch:
            types.add("object")
    return types


def _property(schema: dict[str, Any], key: str, resolve: Resolve) -> dict[str, Any]:
    for branch in _branches(schema, resolve):
        properties = branch.get("properties")
        if isinstance(properties, dict) and key in properties:
            return resolve(properties[key])
    for branch in _branches(schema, resolve):
        extra = branch.get("additionalProperties")
        if isinstance(extra, dict):
            return resolve(extra)
    return {}
