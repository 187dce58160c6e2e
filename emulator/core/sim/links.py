"""What the call and message flows are given by the telephony engine that runs them.

The flows (``core/sim/calls``, ``core/sim/messages``) hold no pointer back to the engine: it hands
each one these links when it makes them, so the flows import nothing of the engine and the engine
imports the flows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from emulator.core.sim.clock import Clock
from emulator.core.sim.phones import Plan
from emulator.core.sim.scheduler import Scheduler
from emulator.core.sim.telephony_state import Call, CampaignProgress, Message, TelephonyState


class PlanFor(Protocol):
    """How the handset of ``number`` will treat a call from ``api`` (``Telephony.plan_for``)."""

    def __call__(
        self, number: str, api: str, *, second_leg: bool = False, state: TelephonyState | None = None
    ) -> Plan: ...


@dataclass(frozen=True, slots=True)
class FlowLinks:
    """The engine's clock, scheduler, state and handsets, and where the flows report what happened."""

    clock: Clock
    scheduler: Scheduler
    state: Callable[[], TelephonyState]  # the live state (reset and restore swap it)
    plan_for: PlanFor
    new_call_number: Callable[[], int]
    call_changed: Callable[[Call, str], None]  # (call, phase): ringing, answered, ended
    campaign_ended: Callable[[CampaignProgress], None]
    message_reported: Callable[[Message, str], None]  # (message, delivery report)


class CallOptions(TypedDict, total=False):
    """The optional keywords of ``Telephony.place`` (see there)."""

    campaign: str | None
    bridge_to: str | None
    bridge_caller_id: str | None
    callback_url: str | None
    ring_timeout_s: float | None
    max_talk_s: float | None
    extra: dict[str, Any] | None
    plan: Plan | None
