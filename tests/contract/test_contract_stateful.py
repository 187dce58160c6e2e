"""schemathesis walks the contracts' links (Login -> methods by token, add -> update/remove ...)."""

from __future__ import annotations

import pytest

from emulator.conformance.profiles import stateful_settings
from emulator.conformance.stateful import state_machine


@pytest.mark.real_server
@pytest.mark.parametrize("api", ["yemot", "simotel"])
def test_linked_operation_sequences_conform_to_contract(api, contract_target):
    machine = state_machine(api, contract_target)
    machine.TestCase.settings = stateful_settings()
    machine.TestCase().runTest()
