"""Fixtures of the Simotel wire tests; shared helpers live in ``simotel_wire.py`` (on the path from here)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make ``simotel_wire`` importable
    sys.path.insert(0, str(Path(__file__).parent))

from simotel_wire import ANCHOR


@pytest.fixture
def simotel(emulator: Any) -> Any:
    """The default emulator with its clock frozen at ``ANCHOR`` (1 January 2026, 03:30 in Tehran)."""
    emulator.freeze(ANCHOR)
    return emulator
