"""What every API's refusals have in common: the wire status and the body, in the API's own envelope.

A service or wire step refuses by raising an ``ApiError``; the pipeline (``core/http/pipeline.py``)
catches it once, for every API, and sends ``status``, ``body()``, ``media_type`` and ``headers`` as
the answer. Each API derives its error classes from it and fixes there its envelope and messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.core.http.contracts import Operation
from emulator.core.http.params import ParamProblem, validate


class ApiError(Exception):
    """A refusal answered in the API's own shape: HTTP ``status`` with ``body()``."""

    status = 200
    message = "error"
    media_type = "application/json"
    headers: dict[str, str] = {}  # (replaced, never changed in place: the class's is shared)
    # False where the contract does not document this answer for the operation (strict mode skips it).
    checked = True

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def body(self) -> Any:
        """The answer's body: the API's envelope (JSON-able), or bytes."""
        raise NotImplementedError


class ParamErrors:
    """How an API names the parameter problems ``params.validate`` finds: a missing one, a bad one."""

    __slots__ = ("invalid", "missing")

    def __init__(self, missing: Callable[[str], ApiError], invalid: Callable[[str, str], ApiError]) -> None:
        self.missing = missing
        self.invalid = invalid

    def check(self, operation: Operation, params: dict[str, Any]) -> None:
        """Raise the API's error for the first problem ``params.validate`` finds in ``params``."""
        problems = validate(operation, params)
        if problems:
            raise self.refusal(problems[0])

    def refusal(self, problem: ParamProblem) -> ApiError:
        """The API's error for ``problem`` (the first of a request's problems is the one answered)."""
        if problem.kind == "missing":
            return self.missing(problem.name)
        return self.invalid(problem.name, problem.detail)
