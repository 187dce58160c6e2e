"""Simulated telephony state: calls, SMS messages, per-number rules and campaign progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from emulator.core.sim.phones import Outcome

Phase = Literal["queued", "ringing", "answered", "ended"]


@dataclass
class PhoneRule:
    """A per-number override set through the control plane; ``None`` times mean the outcome's default."""

    outcome: Outcome = "answered"
    ring_s: float | None = None
    talk_s: float | None = None
    keys: list[str] | None = None  # a key script for an IVR the handset is dropped into when answering
    voicemail: bool = False


@dataclass
class Call:
    """One simulated call (or one leg of a bridge), with its plan and what has happened so far.

    Timestamps are POSIX seconds of the emulator clock. ``talk_s`` is answered-to-ended time;
    ``billable_s`` is ``talk_s``, except for a bridge: the first leg's is its connected time plus
    the second leg's talk time (the seed's 60 + 50 = 110 s example) and the second leg's is 0.
    """

    id: str
    api: str
    tenant: str
    kind: str
    caller_id: str
    to: str
    campaign: str | None
    created: float
    plan_outcome: Outcome = "answered"
    plan_ring_s: float = 0.0
    plan_talk_s: float = 0.0
    ring_timeout_s: float | None = None
    max_talk_s: float | None = None
    phase: Phase = "queued"
    outcome: Outcome | None = None
    ringing_at: float | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    ring_s: float = 0.0
    talk_s: float = 0.0
    billable_s: float = 0.0
    leg: int = 1
    parent_id: str | None = None
    bridge_to: str | None = None
    bridge_caller_id: str | None = None
    second_leg_id: str | None = None
    callback_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    machine: bool = False  # answered by a voicemail box (the plan's ``machine``)


class StatusChange(msgspec.Struct, gc=False):
    status: str
    at: float


class Message(msgspec.Struct, gc=False):
    """One simulated SMS; ``status`` moves from ``ESME_ROK`` to its delivery report on the clock.

    A Struct, built in C: a stream of SendSms makes one per number. It holds plain values, a tuple
    of Structs and a dict of plain values, so the cyclic collector need never scan it (and drops
    the tuple and the dict from its lists the first time it sees them).
    """

    id: str
    api: str
    tenant: str
    sender: str
    to: str
    text: str
    segments: int
    campaign: str | None
    created: float
    report: str = "DELIVRD"
    report_after_s: float = 0.0
    status: str = "ESME_ROK"
    final: bool = False
    history: tuple[StatusChange, ...] = ()  # (a tuple of untracked Structs: the collector drops it at once)
    extra: dict[str, Any] = {}


@dataclass
class CampaignProgress:
    """Top-level calls placed and ended under one campaign id of one tenant."""

    api: str
    tenant: str
    campaign: str
    created: float
    placed: int = 0
    ended: int = 0
    ended_at: float | None = None
    call_ids: list[str] = field(default_factory=list)


@dataclass
class TelephonyState:
    calls: dict[str, Call] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    rules: dict[str, PhoneRule] = field(default_factory=dict)
    campaigns: dict[str, CampaignProgress] = field(default_factory=dict)
    next_call: int = 1
    next_message: int = 1
