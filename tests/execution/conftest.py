"""Fixtures of the execution tests: emulators served by uvicorn, so their loop serves every request."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make helpers importable
    sys.path.insert(0, str(Path(__file__).parent))

from execution_helpers import served

from emulator.testing.harness import EmulatorServer


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with served() as running:
        yield running


@pytest.fixture
def serve() -> Callable[..., Any]:
    return served
