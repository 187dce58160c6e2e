"""The operations a contract declares, with the money-safety marks (``x-cost``) they carry.

``x-cost`` on an operation (or on its path item, for all verbs) is one word or a list of words:
``units`` (spends units or credit), ``phones`` (reaches real phones: calls, SMS, fax) and
``destructive`` (deletes data, ends sessions, changes passwords). ``x-phone-params`` lists the
request fields holding numbers to call; against a real server they only receive allowlisted numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from emulator.config import default_contracts_dir
from emulator.conformance.expectations import API_PREFIXES
from emulator.core.http.contracts import SAFE_LOADER, resolve_ref

APIS = tuple(API_PREFIXES)
COST_KINDS = ("units", "phones", "destructive")
VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class OperationInfo:
    """One verb of one documented path."""

    api: str
    operation_id: str
    method: str
    path: str
    key: str  # Yemot method name or Simotel service path: the name users know
    cost: frozenset[str]
    phone_params: tuple[str, ...]
    secured: bool
    # Query parameters declared as one exploded form object (Yemot's GET variants): sent as top-level keys.
    exploded_query: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def named(self, name: str) -> bool:
        """True when ``name`` designates this operation (operationId or method/service name)."""
        wanted = name.strip().strip("/")
        return wanted in (self.operation_id, self.key)


def contract_path(api: str, directory: Path | None = None) -> Path:
    return (directory or default_contracts_dir()) / f"{api}.yaml"


@cache
def _load(path: Path, mtime: float) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def load_document(api: str, directory: Path | None = None) -> dict[str, Any]:
    """The parsed contract (cached until the file changes)."""
    path = contract_path(api, directory)
    return _load(path, path.stat().st_mtime)


def _words(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    words = [value] if isinstance(value, str) else list(value)
    unknown = [word for word in words if word not in COST_KINDS]
    if unknown:
        raise ValueError(f"x-cost accepts {', '.join(COST_KINDS)}; got {unknown}")
    return frozenset(words)


def _resolve(document: dict[str, Any], node: Any) -> Any:
    return resolve_ref(document, node)


def _exploded_objects(document: dict[str, Any], parameters: list[Any]) -> tuple[str, ...]:
    names = []
    for parameter in parameters:
        parameter = _resolve(document, parameter)
        schema = _resolve(document, parameter.get("schema", {}))
        if (
            parameter.get("in") == "query"
            and parameter.get("style", "form") == "form"
            and parameter.get("explode", True)
            and (schema.get("type") == "object" or "properties" in schema)
        ):
            names.append(parameter["name"])
    return tuple(names)


def operations(api: str, directory: Path | None = None) -> list[OperationInfo]:
    """Every operation of the API's contract, in document order."""
    document = load_document(api, directory)
    prefix = API_PREFIXES[api]
    default_security = document.get("security", [])
    found = []
    for path, item in (document.get("paths") or {}).items():
        for method in VERBS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            security = operation.get("security", default_security)
            found.append(
                OperationInfo(
                    api=api,
                    operation_id=operation.get("operationId", f"{method} {path}"),
                    method=method,
                    path=path,
                    key=path[len(prefix) + 1 :],
                    cost=_words(operation.get("x-cost", item.get("x-cost"))),
                    phone_params=tuple(operation.get("x-phone-params", item.get("x-phone-params", ()))),
                    secured=bool(security) and security != [{}],
                    exploded_query=_exploded_objects(document, operation.get("parameters", [])),
                )
            )
    return found


def find(api: str, method: str, path: str, directory: Path | None = None) -> OperationInfo | None:
    """The operation documented for this verb and path."""
    for info in operations(api, directory):
        if info.method == method.lower() and info.path == path:
            return info
    return None
