"""Turn raw request values into typed parameters the same way for every transport.

Query strings and form fields arrive as strings, JSON bodies arrive typed, multipart fields as
strings or uploaded files. ``coerce`` brings them all to the types the contract declares, and
``validate`` reports every violation with the parameter it concerns, so each API can render the
problem in its own error shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from emulator.core.http import jsonsafe
from emulator.core.http.contracts import Derived, Operation
from emulator.core.http.suggest import did_you_mean

_INT = re.compile(r"[+-]?\d+", re.ASCII)  # ASCII only: "٢" is not a digit on these wires
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_MAX_DIGITS = 400  # longer digit strings stay text (and fail type checks) instead of huge numbers
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class ParamProblem:
    """One violation: ``kind`` is 'missing', 'type', 'value' or 'unknown'."""

    name: str
    kind: str
    detail: str


class Upload:
    """A file received in a multipart request."""

    def __init__(self, filename: str, content_type: str, data: bytes) -> None:
        self.filename = filename
        self.content_type = content_type
        self.data = data

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.data)} bytes)"


def allowed_types(schema: dict[str, Any], operation: Operation | None = None) -> list[str]:
    """The JSON types a property schema admits, in declaration order."""
    if operation is not None:
        schema = operation.contract.resolve(schema)
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return list(declared)
    types: list[str] = []
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            for kind in allowed_types(option, operation):
                if kind not in types:
                    types.append(kind)
    if "const" in schema or "enum" in schema:
        for value in [schema.get("const")] if "const" in schema else schema["enum"]:
            kind = _json_type(value)
            if kind not in types:
                types.append(kind)
    return types


def is_empty(value: Any) -> bool:
    """An empty value - JSON null, or text that is empty or only blanks - which clients send for "not given"."""
    return value is None or (isinstance(value, str) and not value.strip())


def coerce(operation: Operation, raw: dict[str, Any], *, empty_means_absent: bool = False) -> dict[str, Any]:
    """Coerce each raw value to the first type its property admits that the value can take.

    With ``empty_means_absent`` an optional parameter sent empty (``limit=``, JSON null) is
    dropped, as if it had not been sent; required ones stay, so ``validate`` reports them missing,
    and so do parameters whose schema says ``x-keep-empty: true`` (``UploadFile?done``, UploadTextFile ``contents``).
    """
    out: dict[str, Any] = {}
    shape = _SHAPE.of(operation)
    for name, value in raw.items():
        if type(value) is str:  # (most values: text from a query, form or JSON body)
            if empty_means_absent and not value.strip() and name not in shape.keep_empty:
                continue
            if name in shape.text:
                out[name] = value  # what _coerce_value gives text where text is allowed
                continue
        elif empty_means_absent and is_empty(value) and name not in shape.keep_empty:
            continue
        types = shape.types.get(name)
        out[name] = value if types is None else _coerce_value(value, types)
    return out


# The JSON type of each Python type a JSON scalar or object parses to (text and arrays go their own ways).
_SCALAR_TYPES: dict[type, str] = {bool: "boolean", int: "integer", float: "number", dict: "object", type(None): "null"}


@dataclass(frozen=True)
class _Shape:
    """What ``coerce`` and ``undefined`` need of an operation, worked out once per operation."""

    types: dict[str, list[str]]  # each declared parameter's JSON types
    keep_empty: frozenset[str]  # required parameters and those marked ``x-keep-empty``
    open_ended: bool  # extra parameters allowed (``additionalProperties`` not false)
    patterns: tuple[re.Pattern[str], ...]
    text: frozenset[str]  # declared parameters that admit a string, so text stays as sent


def _shape_of(operation: Operation) -> _Shape:
    properties = operation.properties
    types = {name: allowed_types(schema, operation) for name, schema in properties.items()}
    return _Shape(
        types=types,
        keep_empty=frozenset(operation.required)
        | {name for name, schema in properties.items() if schema.get("x-keep-empty") is True},
        open_ended=operation.request_schema.get("additionalProperties") not in (None, False),
        patterns=tuple(re.compile(pattern) for pattern in operation.request_schema.get("patternProperties", {})),
        text=frozenset(name for name, kinds in types.items() if "string" in kinds),
    )


_SHAPE = Derived("params", _shape_of)


def validate(operation: Operation, params: dict[str, Any]) -> list[ParamProblem]:
    """Check coerced params against the contract; uploaded files count as strings."""
    problems: list[ParamProblem] = []
    for name in operation.required:
        if params.get(name) in (None, ""):
            problems.append(ParamProblem(name, "missing", f"parameter '{name}' is required"))
    checkable = params
    if problems or not _MAY_HOLD_FILES.isdisjoint(map(type, params.values())):
        missing = {problem.name for problem in problems}
        checkable = {
            name: ("<file>" if _has_upload(value) else value) for name, value in params.items() if name not in missing
        }
    validator = operation.request_validator
    if validator.is_valid(checkable):
        return problems
    for error in validator.iter_errors(checkable):
        path = [str(part) for part in error.instance_path]
        if not path:
            if "required" in str(error.kind).lower():
                continue  # already reported as missing, above
            problems.append(ParamProblem("(request)", "value", error.message))
            continue
        kind = "type" if type(error.kind).__name__.endswith("Type") else "value"
        problems.append(ParamProblem(path[0], kind, f"{'/'.join(path)}: {error.message}"))
    return problems


def undefined(operation: Operation, names: Collection[str]) -> list[str]:
    """One warning per parameter name the operation does not define (none when its schema is open-ended)."""
    shape = _SHAPE.of(operation)
    if shape.open_ended:
        return []
    known = shape.types
    if known.keys() >= set(names):
        return []  # (every name defined: most requests)
    return [
        f"unknown parameter {name!r}: {operation.key} does not define it{did_you_mean(name, operation.properties)}"
        for name in names
        if name not in known and not any(pattern.search(name) for pattern in shape.patterns)
    ]


_MAY_HOLD_FILES = frozenset({Upload, list})  # the types of parameter values that are, or may hold, files


def _has_upload(value: Any) -> bool:
    return isinstance(value, Upload) or (isinstance(value, list) and any(isinstance(v, Upload) for v in value))


def _coerce_value(value: Any, types: list[str]) -> Any:
    if _SCALAR_TYPES.get(type(value)) in types:
        return value  # (a JSON value its property admits as it is: most non-text values)
    if not types or _has_upload(value):
        return value  # files stay as sent: several parts of one name reach the service as a list
    if isinstance(value, list) and "array" not in types:
        value = value[-1] if value else None
    if isinstance(value, float) and value.is_integer() and "integer" in types and "number" not in types:
        return int(value)  # JSON 1.0 is a valid integer; services get a Python int
    if _json_type(value) in types or (_json_type(value) == "integer" and "number" in types):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in types:
        return str(value)
    if not isinstance(value, str):
        if "array" in types and not isinstance(value, list):
            return [value]
        return value
    text = value.strip()
    for kind in types:
        if kind == "integer" and _INT.fullmatch(text) and len(text) <= _MAX_DIGITS:
            return int(text)
        if kind == "number" and _NUMBER.fullmatch(text) and len(text) <= _MAX_DIGITS:
            number = float(text)
            if not math.isfinite(number):
                continue  # 1e999 is not a number the wire can carry
            return int(number) if number.is_integer() and _INT.fullmatch(text) else number
        if kind == "boolean" and text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        if kind in ("array", "object") and text[:1] in "[{":
            try:
                parsed = jsonsafe.loads(text)
            except ValueError:
                continue
            if _json_type(parsed) == kind:
                return parsed
        if kind == "null" and text == "":
            return None
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
