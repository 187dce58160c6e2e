"""What a Yemot service function receives: validated params, the caller's system and session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from emulator.yemot.state import ApiKey, Session, YemotState, YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator
    from emulator.core.sim.links import CallOptions
    from emulator.core.sim.telephony_state import Call


@dataclass
class YemotCall:
    emulator: Emulator
    params: dict[str, Any]
    client_ip: str
    token: str | None = None
    system: YemotSystem | None = None
    session: Session | None = None
    api_key: ApiKey | None = None  # the key the request authenticated with, if any

    @property
    def now(self) -> float:
        return self.emulator.clock.now()

    @property
    def state(self) -> YemotState:
        return self.emulator.world.yemot

    def require_system(self) -> YemotSystem:
        assert self.system is not None, "service needs an authenticated system"
        return self.system

    def handset_blocked(self, number: str) -> bool:
        """Whether the simulated handset of ``number`` blocks Yemot calls (a phone list reports it ``blocked``)."""
        return self.emulator.telephony.plan_for(number, "yemot").outcome == "blocked"

    def place(self, *, kind: str, caller_id: str, to: str, **options: Unpack[CallOptions]) -> Call:
        """Place a simulated call for the caller's system (``telephony.place`` with api and tenant set)."""
        tenant = self.require_system().number
        return self.emulator.telephony.place(
            api="yemot", tenant=tenant, kind=kind, caller_id=caller_id, to=to, **options
        )
