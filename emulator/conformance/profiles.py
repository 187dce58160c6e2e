"""hypothesis settings per profile: ``ci`` (fast, deterministic), ``deep`` (>= 10 000 requests per API), ``dev``.

Select with ``--contract-profile NAME`` or the ``CONTRACT_PROFILE`` variable (default ``ci``).
Profiles are applied per test (never loaded globally), so other hypothesis tests keep their own.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from emulator.conformance import PROFILE_NAMES

PROFILE_ENV = "CONTRACT_PROFILE"
DEEP_REQUESTS_PER_API = 10_000

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
}
PROFILES: dict[str, dict] = {
    # max_examples is per operation and generation mode (stateless), or per state machine run.
    "ci": {**_COMMON, "max_examples": 12, "derandomize": True, "stateful_step_count": 10},
    "dev": {**_COMMON, "max_examples": 60, "stateful_step_count": 20},
    "deep": {**_COMMON, "max_examples": 2_000, "stateful_step_count": 40},
}
# schemathesis phases per profile: the coverage phase (every boundary value the schema defines,
# ~50 requests per operation) is left to `dev` and `deep` so that `ci` stays within minutes.
PHASES: dict[str, list[str]] = {
    "ci": ["examples", "fuzzing"],
    "dev": ["examples", "coverage", "fuzzing"],
    "deep": ["examples", "coverage", "fuzzing"],
}
# State machine runs per profile (each run is up to stateful_step_count linked requests).
STATEFUL_RUNS = {"ci": 10, "dev": 40, "deep": 300}
# Steps per run of the model machines (tests/contract/test_*_model.py): long enough to reach limits.
MODEL_STEPS = {"ci": 50, "dev": 80, "deep": 150}
assert tuple(PROFILES) == PROFILE_NAMES
for _name, _values in PROFILES.items():
    settings.register_profile(f"contract-{_name}", **_values)

_active = os.environ.get(PROFILE_ENV, "ci")


def select(name: str | None) -> str:
    """Make ``name`` the active profile (None keeps the current one); return the active name."""
    global _active
    if name:
        if name not in PROFILES:
            raise ValueError(f"unknown contract profile {name!r}; choose one of {', '.join(PROFILES)}")
        _active = name
    return _active


def active() -> str:
    return _active


def contract_settings(**overrides: object) -> settings:
    """hypothesis settings of the active profile, with overrides."""
    return settings(settings.get_profile(f"contract-{_active}"), **overrides)


def stateful_settings(**overrides: object) -> settings:
    """hypothesis settings of the active profile for a state machine."""
    return contract_settings(**{"max_examples": STATEFUL_RUNS[_active], **overrides})


def model_settings(**overrides: object) -> settings:
    """hypothesis settings of the active profile for a model (RuleBasedStateMachine) test."""
    return stateful_settings(**{"stateful_step_count": MODEL_STEPS[_active], **overrides})


def schemathesis_config(*, stateful: bool = False) -> object:
    """A schemathesis configuration that runs the active profile's phases (plus ``stateful``)."""
    from schemathesis import Config

    config = Config.from_dict({})
    config.projects.default.phases.update(phases=PHASES[_active] + (["stateful"] if stateful else []))
    return config
