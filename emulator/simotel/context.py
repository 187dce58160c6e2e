"""What a Simotel service function receives: the account, validated params and the state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emulator.simotel.state import ApiAccount, SimotelState

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator


@dataclass
class SimotelCall:
    emulator: Emulator
    service: str
    account: ApiAccount
    params: dict[str, Any]
    client_ip: str
    warnings: list[str] = field(default_factory=list)

    @property
    def now(self) -> float:
        return self.emulator.clock.now()

    @property
    def state(self) -> SimotelState:
        return self.emulator.world.simotel
