"""The one state root of the emulator: everything a snapshot holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.core.sim.scheduler import SchedulerState
from emulator.core.sim.telephony_state import TelephonyState
from emulator.simotel.state import SimotelState
from emulator.yemot.state import YemotState


@dataclass
class World:
    yemot: YemotState = field(default_factory=YemotState)
    simotel: SimotelState = field(default_factory=SimotelState)
    scheduler: SchedulerState = field(default_factory=SchedulerState)
    telephony: TelephonyState = field(default_factory=TelephonyState)
