"""Generated requests for every operation of both contracts; every answer passes every check."""

from __future__ import annotations

import pytest
from hypothesis import reject

from emulator.conformance.profiles import contract_settings
from emulator.conformance.safety import UnsafeRequest
from emulator.conformance.suite import check_case, load_schema, operation_of

yemot = load_schema("yemot")
simotel = load_schema("simotel")


def _run(contract, skip_unsafe, case) -> None:
    operation = operation_of(case)
    skip_unsafe(operation)
    try:
        check_case(contract, case, operation)
    except UnsafeRequest:
        reject()


@pytest.mark.real_server
@yemot.parametrize()
@contract_settings()
def test_yemot_operation_answers_conform_to_contract(case, contract, skip_unsafe):
    _run(contract, skip_unsafe, case)


@pytest.mark.real_server
@simotel.parametrize()
@contract_settings()
def test_simotel_operation_answers_conform_to_contract(case, contract, skip_unsafe):
    _run(contract, skip_unsafe, case)
