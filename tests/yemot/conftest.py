"""Fixtures of the Yemot wire tests; shared helpers live in ``yemot_wire.py`` (on the path from here)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make ``yemot_wire`` importable
    sys.path.insert(0, str(Path(__file__).parent))

START = "2026-03-10T10:00:00Z"


@pytest.fixture
def frozen_at_start(emulator: Any) -> Any:
    """The default emulator with its clock frozen at ``START`` (10 March 2026, 12:00 in Israel)."""
    emulator.freeze(START)
    return emulator
