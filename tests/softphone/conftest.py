"""Fixtures of the softphone tests: an emulator served by uvicorn (event streams are real streams)
and local IVR web services; helpers live in ``softphone_helpers.py`` (on the path from here)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make helpers importable
    sys.path.insert(0, str(Path(__file__).parent))

from softphone_helpers import IvrService

from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread


@pytest.fixture
def served() -> Iterator[tuple[httpx.Client, str]]:
    """(a control-plane client, the control plane's URL) of a served emulator."""
    config = EmulatorConfig.from_env({}, strict=True)
    with serve_in_thread(config) as urls, httpx.Client(base_url=urls.admin, timeout=10) as client:
        yield client, urls.admin


@pytest.fixture
def ivr_service() -> Iterator[Callable[[Callable[[dict[str, str]], str]], IvrService]]:
    started: list[IvrService] = []

    def start(answer: Callable[[dict[str, str]], str]) -> IvrService:
        service = IvrService(answer)
        started.append(service)
        return service

    yield start
    for service in started:
        service.close()
