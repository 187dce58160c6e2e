"""The one state root of the emulator: everything a snapshot holds.

The World has one field per registered API (``world.<api name>``, the API's own state root), then
the scheduler's and the telephony engine's state. Its class is made from the registry, so a
snapshot's shape follows the APIs served; ``World`` is the class for the shipped APIs.
"""

from __future__ import annotations

from dataclasses import field, make_dataclass

from emulator import apis
from emulator.core.api import ApiSpec
from emulator.core.sim.scheduler import SchedulerState
from emulator.core.sim.telephony_state import TelephonyState

_CLASSES: dict[tuple[tuple[str, type], ...], type] = {}


def world_type(specs: tuple[ApiSpec, ...] | None = None) -> type:
    """The World class of ``specs`` (default: the APIs registered now); one class per set of APIs."""
    parts = tuple((spec.name, spec.state) for spec in (apis.registered() if specs is None else specs))
    if parts not in _CLASSES:
        fields = [(name, state, field(default_factory=state)) for name, state in parts]
        fields += [
            ("scheduler", SchedulerState, field(default_factory=SchedulerState)),
            ("telephony", TelephonyState, field(default_factory=TelephonyState)),
        ]
        cls = make_dataclass("World", fields)
        cls.__module__ = __name__
        _CLASSES[parts] = cls
    return _CLASSES[parts]


World = world_type(apis.APIS)
