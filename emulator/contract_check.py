"""``contracts validate``: each contract is valid OpenAPI 3.1 and matches the implementation tables."""

from __future__ import annotations

from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from emulator.core.contracts import Contract, ContractError
from emulator.runtime import PREFIXES
from emulator.simotel.methods import SERVICES
from emulator.yemot.methods import METHODS

IMPLEMENTED = {"yemot": set(METHODS), "simotel": set(SERVICES)}


def check_contract(path: Path, api: str) -> list[str]:
    """Every problem found in one contract file; an empty list means it is sound."""
    try:
        contract = Contract.from_file(path, prefix=PREFIXES[api])
    except ContractError as exc:
        return [str(exc)]
    problems = [f"{path}: {problem}" for problem in _dangling_refs(contract)]
    if problems:
        return problems
    try:
        validate(contract.document)
    except OpenAPIValidationError as exc:
        problems.append(f"{path}: {exc.message}")
    for operation in contract.operations.values():
        try:
            _ = operation.request_validator
            for verb in operation.verbs.values():
                for response in verb.get("responses", {}).values():
                    for media in contract.resolve(response).get("content", {}).values():
                        contract.validator(contract.resolve(media).get("schema", {}))
        except (ContractError, ValueError) as exc:
            problems.append(f"{path}: {operation.key}: {exc}")
    if api in IMPLEMENTED:
        for name in sorted(IMPLEMENTED[api] - set(contract.operations)):
            problems.append(f"{path}: {name} is implemented but missing from the contract")
    return problems


def _dangling_refs(contract: Contract) -> list[str]:
    problems: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    contract.resolve({"$ref": node["$ref"]})
                except ContractError as exc:
                    problems.append(str(exc).split(": ", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(contract.document)
    return problems


def check_all(directory: Path) -> dict[str, list[str]]:
    return {api: check_contract(directory / f"{api}.yaml", api) for api in ("yemot", "simotel", "admin")}
