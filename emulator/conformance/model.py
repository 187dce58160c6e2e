"""Base of the model-based state machines: a fresh strict in-process emulator and wire helpers.

Each machine (``tests/contract/test_*_model.py``) keeps its own model of the state, drives the API
over the wire with hypothesis rules and checks invariants after every step. The app is strict, so
any answer that breaks the contract fails the step on its own.
"""

from __future__ import annotations

from typing import Any

from hypothesis.stateful import RuleBasedStateMachine

from emulator.conformance.expectations import envelope_problems
from emulator.conformance.target import Credentials, Target

FROZEN_AT = "2026-03-01T10:00:00Z"  # a Sunday morning, Israel and Tehran time alike


class ApiModelMachine(RuleBasedStateMachine):
    """Opens a fresh emulator with a frozen clock; ``yemot()`` / ``simotel()`` call it over the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.connection = Target().connect()
        self.credentials = Credentials()
        self.control("POST", "clock", {"freeze": True, "set": FROZEN_AT})

    @property
    def runtime(self) -> Any:
        return self.connection.runtime

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self.connection.request(method, f"/__emulator__/{path}", json=body)
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json()

    def advance(self, seconds: float) -> None:
        self.control("POST", "clock", {"advance": seconds})

    def yemot(self, method: str, token: str | None = None, **params: Any) -> dict[str, Any]:
        """POST a Yemot method (JSON body) with ``token`` (default: the fixture's ``number:password``)."""
        body = {**params, "token": token or self.credentials.yemot_token}
        response = self.connection.request("POST", f"/ym/api/{method}", json=body)
        assert response.status_code == 200, (method, response.status_code, response.text)
        answer = response.json()
        assert not envelope_problems("yemot", answer), answer
        return answer

    def simotel(self, service: str, **body: Any) -> tuple[int, dict[str, Any]]:
        """POST a Simotel service with the fixture account's credentials; ``(status, answer)``."""
        _, headers = self.credentials.for_request("simotel")
        response = self.connection.request("POST", f"/api/v4/{service}", json=body, headers=headers)
        answer = response.json()
        assert not envelope_problems("simotel", answer), answer
        return response.status_code, answer

    def teardown(self) -> None:
        self.connection.close()
