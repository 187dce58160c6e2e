"""The pieces the pytest suite and the conformance command share: schemas, one case end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.conformance import require_schemathesis
from emulator.conformance.contract import OperationInfo, contract_path, find
from emulator.conformance.expectations import api_of_path
from emulator.conformance.target import Connection


def load_schema(api: str, directory: Path | None = None) -> Any:
    """The schemathesis schema of ``api``, loaded from the contract file the emulator also serves."""
    schemathesis = require_schemathesis()
    from emulator.conformance.profiles import schemathesis_config

    return schemathesis.openapi.from_path(contract_path(api, directory), config=schemathesis_config())


def operation_of(case: Any, directory: Path | None = None) -> OperationInfo:
    """The contract operation a generated case belongs to."""
    path = case.operation.path
    api = api_of_path(path)
    info = find(api, case.operation.method, path, directory) if api else None
    if info is None:
        raise LookupError(f"{case.operation.method} {path} is not in the contracts")
    return info


def check_case(connection: Connection, case: Any, operation: OperationInfo | None = None) -> Any:
    """Send ``case`` and run every project check on the answer; raise on the first failures."""
    from emulator.conformance.checks import CHECKS

    operation = operation or operation_of(case)
    response = connection.send(case, operation)
    case.validate_response(response, checks=CHECKS)
    return response
