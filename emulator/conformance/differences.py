"""The first difference: of an answer against its contract, and of two answers' shapes (drift)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from emulator import apis
from emulator.conformance.contract import contract_path, load_document
from emulator.conformance.expectations import API_PREFIXES
from emulator.core.http.contracts import Contract

_MISSING = "<missing>"


@cache
def _contract(api: str, directory: Path | None, mtime: float) -> Contract:
    return Contract(load_document(api, directory), prefix=API_PREFIXES[api])


def contract_for(api: str, directory: Path | None = None) -> Contract:
    return _contract(api, directory, contract_path(api, directory).stat().st_mtime)


def _outcome_fields(api: str) -> tuple[str, ...]:
    conformance = apis.named(api).conformance if api in apis.names() else None
    return conformance.outcome if conformance is not None else ()


def difference(field: str, expected: Any, actual: Any, problem: str = "") -> dict[str, Any]:
    return {"field": field, "expected": expected, "actual": actual, "problem": problem}


def contract_difference(
    api: str, key: str, status: int, content_type: str, body: Any, directory: Path | None = None
) -> dict[str, Any] | None:
    """The first way this answer departs from the contract (status, media type or a body field)."""
    operation = contract_for(api, directory).get(key)
    if operation is None:
        return difference("operation", "documented", key, "the operation is not in the contract")
    schema = operation.response_schema(status, content_type)
    if schema is None:
        documented = sorted({code for verb in operation.verbs.values() for code in verb.get("responses", {})})
        return difference("status", documented, f"{status} {content_type}".strip(), "undocumented status/media type")
    if not content_type.startswith("application/json"):
        return None
    for error in operation.contract.validator(schema).iter_errors(body):
        return _describe(_closest(error), body)
    return None


def _closest(error: Any) -> Any:
    """For oneOf/anyOf, descend into the branch with the fewest errors."""
    branches = [branch for branch in (getattr(error.kind, "context", None) or []) if branch]
    if not branches:
        return error
    return _closest(min(branches, key=len)[0])


def _describe(error: Any, body: Any) -> dict[str, Any]:
    path = "/".join(str(part) for part in error.instance_path)
    missing = getattr(error.kind, "property", None)
    if type(error.kind).__name__ == "Required" and missing is not None:
        field = f"{path}/{missing}" if path else str(missing)
        return difference(field, "present", _MISSING, error.message)
    return difference(path or "(body)", error.message, _short(error.instance), error.message)


def _short(value: Any, limit: int = 200) -> Any:
    text = repr(value)
    return value if len(text) <= limit else text[:limit] + "..."


def shape(value: Any) -> Any:
    """The type skeleton of a JSON value."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return "string"


def drift(api: str, target: tuple[int, Any], emulator: tuple[int, Any]) -> dict[str, Any] | None:
    """The first difference between the target's and the emulator's answer to the same request."""
    (target_status, target_body), (emulator_status, emulator_body) = target, emulator
    if target_status != emulator_status:
        return difference("status", emulator_status, target_status, "HTTP status differs")
    if isinstance(target_body, dict) and isinstance(emulator_body, dict):
        for name in _outcome_fields(api):  # (compared by value: they say success or failure)
            if target_body.get(name, _MISSING) != emulator_body.get(name, _MISSING):
                return difference(
                    name, emulator_body.get(name, _MISSING), target_body.get(name, _MISSING), "outcome differs"
                )
    return _first_shape_difference("", shape(emulator_body), shape(target_body))


def _first_shape_difference(path: str, expected: Any, actual: Any) -> dict[str, Any] | None:
    """Walk two shapes; ``expected`` is the emulator's, ``actual`` the target's."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}/{key}" if path else key
            if key not in actual:
                return difference(where, expected[key], _MISSING, "field only in the emulator's answer")
            if key not in expected:
                return difference(where, _MISSING, actual[key], "field only in the target's answer")
            found = _first_shape_difference(where, expected[key], actual[key])
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if not expected or not actual:
            return None  # an empty list says nothing about its items
        return _first_shape_difference(f"{path}/0", expected[0], actual[0])
    if expected != actual:
        return difference(path or "(body)", _brief(expected), _brief(actual), "type differs")
    return None


def _brief(node: Any) -> Any:
    if isinstance(node, dict):
        return "object"
    if isinstance(node, list):
        return "array"
    return node
