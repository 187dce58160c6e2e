"""Options and fixtures of the contract suite: target selection, money-safety, hypothesis profile.

``pytest tests/contract`` runs against a fresh in-process emulator per test;
``--target-url URL`` (or ``CONTRACT_TARGET_URL``) aims the same tests at any server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.conformance import contract as contracts
from emulator.conformance import profiles
from emulator.conformance.safety import format_plan
from emulator.conformance.target import TARGET_URL_ENV, Connection, Target


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract", "contract tests (tests/contract)")
    group.addoption("--target-url", default=None, help=f"server to test instead of the emulator ({TARGET_URL_ENV})")
    group.addoption(
        "--allow-operation",
        action="append",
        default=[],
        metavar="NAME",
        help="enable an x-cost operation against a real server (operationId or method name; repeatable)",
    )
    group.addoption(
        "--allow-phone",
        action="append",
        default=[],
        metavar="NUMBER",
        help="the only numbers enabled phone operations may reach (repeatable)",
    )
    group.addoption(
        "--contract-profile",
        default=None,
        choices=sorted(profiles.PROFILES),
        help=f"hypothesis profile of the contract suite ({profiles.PROFILE_ENV}; default ci)",
    )


def _target(config: pytest.Config) -> Target:
    return Target.from_options(
        config.getoption("--target-url", None),
        config.getoption("--allow-operation", None),
        config.getoption("--allow-phone", None),
    )


def pytest_configure(config: pytest.Config) -> None:
    profiles.select(config.getoption("--contract-profile", None))


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"contract profile: {profiles.active()}; target: {_target(config).name}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Against a real server, print the plan (what runs, what is skipped, why) before anything is sent."""
    config = session.config
    target = _target(config)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if target.is_emulator or hasattr(config, "workerinput") or reporter is None:
        return
    plan = target.safety.plan(info for api in contracts.APIS for info in contracts.operations(api))
    reporter.write_line(format_plan(plan, target.name))


@pytest.fixture(scope="session")
def contract_target(pytestconfig: pytest.Config) -> Target:
    """The server the contract tests talk to."""
    return _target(pytestconfig)


@pytest.fixture
def contract(contract_target: Target) -> Iterator[Connection]:
    """A connection to the target; in-process, a fresh emulator for this test."""
    connection = contract_target.connect()
    yield connection
    connection.close()


@pytest.fixture
def skip_unsafe(contract: Connection) -> Any:
    """``skip_unsafe(operation)``: skip the test when money-safety forbids the operation."""

    def decide(operation: contracts.OperationInfo) -> None:
        decision = contract.safety.decide(operation)
        if not decision.run:
            pytest.skip(decision.reason)

    return decide
