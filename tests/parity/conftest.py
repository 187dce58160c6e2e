"""Fixtures of the parity tests."""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).parent) not in sys.path:  # importlib import mode: make the helpers importable
    sys.path.insert(0, str(Path(__file__).parent))
