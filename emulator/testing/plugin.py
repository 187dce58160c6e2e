"""pytest plugin: the ``emulator``, ``emulator_factory`` and ``emulator_server`` fixtures.

Every fixture builds its own app (fresh state, own clock, own port), so tests stay independent
under pytest-xdist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Any]]:
    """Build in-process emulators with custom settings: ``emulator_factory(admin_token="t")``."""
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import InProcessEmulator

    made: list[InProcessEmulator] = []

    def make(**settings: Any) -> InProcessEmulator:
        settings.setdefault("strict", True)
        harness = InProcessEmulator(EmulatorConfig.from_env({}, **settings))
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def emulator(emulator_factory: Callable[..., Any]) -> Any:
    """An in-process emulator in strict mode with the default fixture, fresh for each test."""
    return emulator_factory()


@pytest.fixture
def emulator_server() -> Iterator[Any]:
    """The emulator under uvicorn on a free loopback port; yields its base URLs."""
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import serve_in_thread

    with serve_in_thread(EmulatorConfig.from_env({}, strict=True)) as urls:
        yield urls
