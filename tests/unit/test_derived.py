"""Per-operation facts worked out once: ``Derived(name, make).of(operation)``."""

from __future__ import annotations

from pathlib import Path

from emulator.core.http.contracts import Contract, Derived

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_a_derived_value_is_made_once_per_operation_and_kept_on_it():
    contract = Contract.from_file(CONTRACTS / "yemot.yaml", prefix="/ym/api")
    made: list[str] = []

    def verbs(operation):
        made.append(operation.key)
        return sorted(operation.verbs)

    derived = Derived("test verbs", verbs)
    login, session = contract.get("Login"), contract.get("GetSession")
    assert derived.of(login) == sorted(login.verbs)
    assert derived.of(login) is derived.of(login)
    assert derived.of(session) == sorted(session.verbs)
    assert made == [login.key, session.key]
    assert login.derived[derived] == sorted(login.verbs)


def test_two_keys_of_the_same_name_keep_their_own_values():
    contract = Contract.from_file(CONTRACTS / "yemot.yaml", prefix="/ym/api")
    login = contract.get("Login")
    first, second = Derived("same", lambda operation: 1), Derived("same", lambda operation: 2)
    assert (first.of(login), second.of(login)) == (1, 2)
