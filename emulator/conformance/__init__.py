"""Contract conformance: run the contracts' generated tests against the emulator or a real server.

Modules that need schemathesis import it lazily (see :func:`require_schemathesis`), so the
emulator itself runs without the test extra installed.
"""

from __future__ import annotations

from typing import Any

PROFILE_NAMES = ("ci", "dev", "deep")  # see emulator.conformance.profiles (which needs hypothesis)
MISSING_SCHEMATHESIS = "contract testing needs schemathesis, a test extra: pip install 'telephony-emulator[test]'"


class SchemathesisMissing(RuntimeError):
    """schemathesis (the ``test`` extra) is not installed."""


def require_schemathesis() -> Any:
    """Import and return schemathesis, or raise :class:`SchemathesisMissing` with install advice."""
    try:
        import schemathesis
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise SchemathesisMissing(MISSING_SCHEMATHESIS) from exc
    return schemathesis
