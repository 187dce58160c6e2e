"""The conformance engine: generate requests per operation, send them, tally every check.

Unlike the pytest suite it never stops at a failure: it counts requests and per-check results for
every operation and keeps the first failure of each check, with the first differing field or status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.conformance import profiles
from emulator.conformance.contract import OperationInfo, operations
from emulator.conformance.differences import contract_difference, drift
from emulator.conformance.safety import Decision, UnsafeRequest
from emulator.conformance.suite import load_schema
from emulator.conformance.target import Connection, Target


@dataclass
class CheckTally:
    passed: int = 0
    failed: int = 0
    first_failure: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": self.failed, "first_failure": self.first_failure}


@dataclass
class OperationResult:
    """Everything the report says about one operation."""

    operation: OperationInfo
    decision: Decision
    requests: int = 0
    refused: int = 0
    checks: dict[str, CheckTally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    drift_compared: int = 0
    drift_differences: int = 0
    first_drift: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(tally.failed for tally in self.checks.values())

    @property
    def status(self) -> str:
        if not self.decision.run:
            return "skipped"
        return "fail" if self.failed else "pass"

    def first_difference(self) -> dict[str, Any] | None:
        for name, tally in self.checks.items():
            if tally.first_failure:
                return {"check": name, **tally.first_failure}
        return None

    def to_json(self) -> dict[str, Any]:
        info = self.operation
        data: dict[str, Any] = {
            "operation": info.operation_id,
            "name": info.key,
            "method": info.method.upper(),
            "path": info.path,
            "x-cost": sorted(info.cost),
            "status": self.status,
            "reason": self.decision.reason,
            "requests": self.requests,
            "refused_unsafe": self.refused,
            "checks": {name: tally.to_json() for name, tally in self.checks.items()},
            "first_difference": self.first_difference(),
            "errors": self.errors[:5],
        }
        if self.drift_compared:
            data["drift"] = {
                "compared": self.drift_compared,
                "differences": self.drift_differences,
                "first": self.first_drift,
            }
        return data


@dataclass
class RunResult:
    api: str
    target: str
    profile: str
    against_emulator: bool
    operations: list[OperationResult]

    @property
    def requests(self) -> int:
        return sum(result.requests for result in self.operations)

    @property
    def failed_operations(self) -> list[OperationResult]:
        return [result for result in self.operations if result.failed]

    def to_json(self) -> dict[str, Any]:
        drifted = [r.operation.operation_id for r in self.operations if r.drift_differences]
        return {
            "api": self.api,
            "target": self.target,
            "profile": self.profile,
            "against_emulator": self.against_emulator,
            "summary": {
                "operations": len(self.operations),
                "run": sum(r.decision.run for r in self.operations),
                "skipped": sum(not r.decision.run for r in self.operations),
                "requests": self.requests,
                "failed": [r.operation.operation_id for r in self.failed_operations],
                "drifted": drifted,
            },
            "operations": [result.to_json() for result in self.operations],
        }


def _json_body(response: Any) -> Any:
    content_type = (response.headers.get("content-type") or [""])[0]
    if "json" not in content_type.lower():
        return None
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def _content_type(response: Any) -> str:
    return (response.headers.get("content-type") or [""])[0]


class OperationRun:
    """Sends the cases of one operation and records what happened."""

    def __init__(self, result: OperationResult, connection: Connection, replay: Connection | None) -> None:
        self.result = result
        self.connection = connection
        self.replay = replay
        from emulator.conformance.checks import CHECKS

        self.checks = CHECKS
        for check in CHECKS:
            result.checks.setdefault(check.__name__, CheckTally())

    def __call__(self, case: Any) -> None:
        result, info = self.result, self.result.operation
        try:
            response = self.connection.send(case, info)
        except UnsafeRequest:
            result.refused += 1
            return
        except Exception as exc:  # the target did not answer: count it, keep exploring
            result.errors.append(f"{type(exc).__name__}: {exc}")
            return
        result.requests += 1
        for check in self.checks:
            tally = result.checks[check.__name__]
            try:
                case.validate_response(response, checks=[check])
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a FailureGroup
                tally.failed += 1
                if tally.first_failure is None:
                    tally.first_failure = self._failure(case, response, check.__name__, exc)
            else:
                tally.passed += 1
        if self.replay is not None:
            self._compare(case, response)

    def _failure(self, case: Any, response: Any, check: str, exc: BaseException) -> dict[str, Any]:
        info = self.result.operation
        body = _json_body(response)
        found = None
        if check in ("not_a_server_error", "status_code_conformance"):
            found = {"field": "status", "expected": "a documented status below 500", "actual": response.status_code}
        else:
            found = contract_difference(info.api, info.key, response.status_code, _content_type(response), body)
        if found is None and isinstance(body, dict):
            found = {"field": "message", "expected": "a documented string", "actual": body.get("message")}
        return {
            **(found or {"field": "?", "expected": "?", "actual": "?"}),
            "message": _first_line(exc),
            "request": {
                "method": info.method.upper(),
                "url": str(response.request.url),
                "body": _request_body(response),
            },
            "response": {"status": response.status_code, "body": body if body is not None else _text(response)},
        }

    def _compare(self, case: Any, response: Any) -> None:
        result = self.result
        try:
            mirrored = self.replay.send(case, result.operation)
            emulator_answer = (mirrored.status_code, _json_body(mirrored))
        except Exception as exc:
            emulator_answer = (500, {"emulator_error": f"{type(exc).__name__}: {exc}"})
        result.drift_compared += 1
        found = drift(result.operation.api, (response.status_code, _json_body(response)), emulator_answer)
        if found:
            result.drift_differences += 1
            if result.first_drift is None:
                result.first_drift = {
                    **found,
                    "request": {"url": str(response.request.url), "body": _request_body(response)},
                }


def _first_line(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", None)
    if inner:  # a schemathesis FailureGroup: name the first failure
        first = inner[0]
        exc = AssertionError(f"{getattr(first, 'title', '')}: {getattr(first, 'message', first)}")
    text = str(exc).strip() or type(exc).__name__
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return text[:300]


def _request(response: Any) -> dict[str, Any]:
    return {"method": response.request.method, "url": str(response.request.url), "body": _request_body(response)}


def _request_body(response: Any) -> Any:
    body = response.request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return body[:500] if isinstance(body, str) else body


def _text(response: Any) -> str:
    return response.content[:300].decode("utf-8", "replace")


def run(
    api: str,
    target: Target,
    *,
    profile: str | None = None,
    against_emulator: bool = False,
    requests_per_api: int | None = None,
    only: list[str] | None = None,
    examples: int | None = None,
    progress: Callable[[OperationResult], None] | None = None,
) -> RunResult:
    """Run the generated suite of ``api`` against ``target``; never raises on a check failure.

    ``examples`` overrides the profile's examples per operation; ``requests_per_api`` keeps
    generating (in rounds with fresh seeds) until that many requests were sent, spread evenly over
    the operations that run.
    """
    name = profiles.select(profile) if profile else profiles.active()
    infos = {(info.method, info.path): info for info in operations(api)}
    planned = []
    for loaded in load_schema(api).get_all_operations():
        operation = loaded.ok()
        info = infos[(operation.method.lower(), operation.path)]
        if not only or any(info.named(wanted) for wanted in only):
            planned.append((operation, OperationResult(info, target.safety.decide(info))))
    running = sum(result.decision.run for _, result in planned)
    budget = -(-requests_per_api // running) if requests_per_api and running else None
    for operation, result in planned:
        if result.decision.run:
            _explore(operation, result, target, against_emulator, budget, examples)
        if progress is not None:
            progress(result)
    return RunResult(api, target.name, name, against_emulator, [result for _, result in planned])


def _strategy(operation: Any) -> Any:
    """Valid and invalid requests alike: the API must answer both in its documented shapes."""
    from schemathesis import GenerationMode

    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            strategies.append(operation.as_strategy(generation_mode=mode))
        except Exception:  # an operation with nothing to make invalid has no negative strategy
            continue
    strategy = strategies[0]
    for other in strategies[1:]:
        strategy = strategy | other
    return strategy


def _explore(
    operation: Any,
    result: OperationResult,
    target: Target,
    against_emulator: bool,
    budget: int | None,
    examples: int | None,
) -> None:
    """Generate and send cases of one operation until the profile (or the budget) is used up."""
    from hypothesis import given, seed

    connection = target.connect()
    replay = Target().connect() if against_emulator else None
    send = OperationRun(result, connection, replay)

    def one_case(case: Any) -> None:
        send(case)

    strategy = _strategy(operation)

    try:
        for round_number in range(50):
            overrides: dict[str, Any] = {"max_examples": examples} if examples else {}
            if budget:
                overrides["max_examples"] = max(budget - result.requests, 1)
            if round_number:
                overrides["derandomize"] = False
            explore = given(strategy)(profiles.contract_settings(**overrides)(one_case))
            if round_number:
                explore = seed(round_number)(explore)
            before = result.requests + result.refused
            explore()
            progressed = result.requests + result.refused > before
            if not budget or result.requests >= budget or not progressed:
                break
    finally:
        connection.close()
        if replay is not None:
            replay.close()
