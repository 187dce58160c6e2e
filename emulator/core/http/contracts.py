"""OpenAPI 3.1 contracts: the operations they declare, their request schemas and response checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

import jsonschema_rs
import yaml

# libyaml's safe loader (PyYAML's wheels ship it): the same documents, parsed about 8x faster, which is
# most of the emulator's start-up time.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HTTP_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

T = TypeVar("T")


class ContractError(ValueError):
    """A contract document is malformed or refers to something that does not exist."""


class ContractViolation(AssertionError):
    """The emulator produced a response its own contract does not allow (strict mode)."""

    def __init__(self, operation: str, status: int, problems: list[str]) -> None:
        self.operation = operation
        self.status = status
        self.problems = problems
        super().__init__(f"response of {operation} (HTTP {status}) breaks the contract: " + "; ".join(problems))


class Derived(Generic[T]):
    """Something a layer works out from an operation once and reads on every request after, kept in
    ``Operation.derived`` under this object: ``SHAPE = Derived("params", shape_of)``, then
    ``SHAPE.of(operation)`` (one dictionary look-up once made)."""

    __slots__ = ("name", "make")

    def __init__(self, name: str, make: Callable[[Operation], T]) -> None:
        self.name = name
        self.make = make

    def __repr__(self) -> str:
        return f"Derived({self.name!r})"

    def of(self, operation: Operation) -> T:
        """This value of ``operation``, made on first use."""
        try:
            return operation.derived[self]  # type: ignore[no-any-return]
        except KeyError:
            value = operation.derived[self] = self.make(operation)
            return value


@dataclass
class Operation:
    """One documented path with everything its verbs share: params schema, responses, notes."""

    key: str
    path: str
    verbs: dict[str, dict[str, Any]]
    contract: Contract = field(repr=False)
    # What other layers work out from the operation once and reuse on every request (see ``Derived``).
    derived: dict[Derived[Any], Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def request_schema(self) -> dict[str, Any]:
        """The object schema of the operation's parameters (body or exploded query)."""
        for verb in self.verbs.values():
            body = self.contract.resolve(verb.get("requestBody", {}))
            for media in body.get("content", {}).values():
                if "schema" in media:
                    return self.contract.resolve(media["schema"])
            for param in verb.get("parameters", []):
                param = self.contract.resolve(param)
                if param.get("in") == "query" and param.get("explode") and "schema" in param:
                    schema = self.contract.resolve(param["schema"])
                    wrapped = schema.get("allOf", [])
                    if "properties" not in schema and len(wrapped) == 1:  # {type: object, allOf: [{$ref}]}
                        schema = self.contract.resolve(wrapped[0])
                    return schema
        return {"type": "object"}

    @cached_property
    def properties(self) -> dict[str, dict[str, Any]]:
        props = self.request_schema.get("properties", {})
        return {name: self.contract.resolve(schema) for name, schema in props.items()}

    @cached_property
    def required(self) -> list[str]:
        return list(self.request_schema.get("required", []))

    @cached_property
    def request_validator(self) -> Any:
        return self.contract.validator(self.request_schema)

    @cached_property
    def is_secured(self) -> bool:
        """Whether the operation needs credentials (it does not declare ``security: []``)."""
        return self.extension("security") != []

    def extension(self, name: str, default: Any = None) -> Any:
        for verb in self.verbs.values():
            if name in verb:
                return verb[name]
        return default

    def response_schema(self, status: int, content_type: str, verb: str | None = None) -> dict[str, Any] | None:
        """The schema documented for this status and media type, or None if undocumented.

        ``verb`` picks that verb's responses; verbs the contract does not declare (or None) fall
        back to the responses of every declared verb, in declaration order.
        """
        media_type = content_type.split(";")[0].strip().lower()
        declared = self.verbs.get((verb or "").lower())
        for verb in [declared] if declared is not None else self.verbs.values():
            responses = verb.get("responses", {})
            response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
            if response is None:
                continue
            content = self.contract.resolve(response).get("content", {})
            if media_type in content:
                return self.contract.resolve(content[media_type]).get("schema", {})
            if not content and not media_type:
                return {}
        return None

    def check_response(self, status: int, content_type: str, body: Any, verb: str | None = None) -> None:
        """Raise ContractViolation unless the contract documents this response."""
        schema = self.response_schema(status, content_type, verb)
        if schema is None:
            raise ContractViolation(self.key, status, [f"status {status} with {content_type!r} is undocumented"])
        if content_type.startswith("application/json"):
            problems = [text for err in self.contract.validator(schema).iter_errors(body) for text in _describe(err)]
            if problems:
                raise ContractViolation(self.key, status, problems)


class Contract:
    """A loaded OpenAPI document whose paths live under ``prefix``."""

    def __init__(self, document: dict[str, Any], *, prefix: str, source: str = "<memory>") -> None:
        if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
            raise ContractError(f"{source}: not an OpenAPI 3.1 document")
        self.document = document
        self.prefix = prefix.rstrip("/")
        self.source = source
        self._validators: dict[int, Any] = {}
        self.operations: dict[str, Operation] = {}
        for path, item in document.get("paths", {}).items():
            if not path.startswith(self.prefix + "/"):
                raise ContractError(f"{source}: path {path} is outside {self.prefix}")
            item = self.resolve(item)
            verbs = {verb: op for verb, op in item.items() if verb in HTTP_VERBS}
            key = path[len(self.prefix) + 1 :]
            self.operations[key] = Operation(key=key, path=path, verbs=verbs, contract=self)

    @classmethod
    def from_file(cls, path: Path, *, prefix: str) -> Contract:
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except (OSError, yaml.YAMLError) as exc:
            raise ContractError(f"{path}: {exc}") from exc
        return cls(document, prefix=prefix, source=str(path))

    @property
    def notes(self) -> Any:
        return self.document.get("info", {}).get("x-emulator-notes")

    def get(self, key: str) -> Operation | None:
        return self.operations.get(key)

    def resolve(self, node: Any) -> Any:
        """Follow local ``$ref`` pointers until a concrete node is reached."""
        return resolve_ref(self.document, node, source=self.source)

    def validator(self, schema: dict[str, Any]) -> Any:
        """A compiled JSON Schema 2020-12 validator whose ``#/components`` refs resolve here."""
        cached = self._validators.get(id(schema))
        if cached is None:
            root = {**schema, "components": self.document.get("components", {})}
            cached = jsonschema_rs.Draft202012Validator(root)
            self._validators[id(schema)] = cached
        return cached


def resolve_ref(document: dict[str, Any], node: Any, *, source: str = "<memory>") -> Any:
    """Follow local ``$ref`` pointers inside ``document`` until a concrete node is reached."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ContractError(f"{source}: unsupported or circular $ref {ref}")
        seen.add(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise ContractError(f"{source}: dangling $ref {ref}")
            target = target[part]
        node = target
    return node


def _describe(error: Any) -> list[str]:
    """Explain an error; for oneOf/anyOf, explain the branch that came closest to matching."""
    branches = [branch for branch in (getattr(error.kind, "context", None) or []) if branch]
    if branches:
        closest = min(branches, key=len)
        return [text for inner in closest for text in _describe(inner)]
    where = "/".join(str(part) for part in error.instance_path) or "(body)"
    return [f"{where}: {error.message}"]
