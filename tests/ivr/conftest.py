"""Fixtures of the IVR tests: an emulator whose calls reach a scripted web service in-process."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make helpers importable
    sys.path.insert(0, str(Path(__file__).parent))

from ivr_helpers import START, fixture_yaml


class ScriptedService:
    """A web service that records every request and answers from ``replies`` in turn (or a function)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.replies: list[Any] = []
        self.answer: Callable[[httpx.Request], Any] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.answer(request) if self.answer else (self.replies.pop(0) if self.replies else "noop")
        if isinstance(reply, httpx.Response):
            return reply
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, dict):
            return httpx.Response(200, json=reply)
        return httpx.Response(200, text=reply)

    @property
    def urls(self) -> list[str]:
        return [str(request.url) for request in self.requests]

    @property
    def bodies(self) -> list[str]:
        return [request.content.decode("ascii") for request in self.requests]


@pytest.fixture
def service() -> ScriptedService:
    return ScriptedService()


@pytest.fixture
def ivr(emulator_factory: Callable[..., Any], service: ScriptedService) -> Callable[..., Any]:
    """``ivr(tree)``: an emulator frozen at START with system SYSTEM holding ``tree`` ({path: text}).

    Its calls reach ``service`` in-process; with ``network=True`` they make real HTTP requests.
    ``seed`` changes the call ids (services that keep state per ``ApiCallId`` outlive one test).
    """

    def make(tree: dict[str, str], *, network: bool = False, seed: int = 7) -> Any:
        # (the server's seed, not the fixture's, seeds the call ids: they hold for the server's lifetime)
        emulator = (
            emulator_factory(seed=seed)
            if network
            else emulator_factory(seed=seed, ivr_transport=httpx.MockTransport(service))
        )
        loaded = emulator.admin.post("fixtures", content=fixture_yaml(tree, seed=seed))
        assert loaded.status_code == 200, loaded.text
        emulator.freeze(START)
        return emulator

    return make


def pytest_assertrepr_compare(op: str, left: Any, right: Any) -> list[str] | None:
    if op == "==" and isinstance(left, list) and isinstance(right, list) and left and isinstance(left[0], dict):
        return ["transcript differs:", *json.dumps(left, ensure_ascii=False, indent=1).splitlines()[:200]]
    return None
