"""Call lifecycle on the scheduler: queued -> ringing -> answered -> ended, bridges included.

Every phase change runs as a scheduled event (kind ``telephony.call``), never inside ``place``,
so a request that places many calls sees none of them move before it returns, and advancing the
clock by N seconds moves every call exactly as N real seconds would.
"""

from __future__ import annotations

import logging
from typing import Any

from emulator.core.sim.links import FlowLinks
from emulator.core.sim.phones import NEVER_DIALLED, Outcome, Plan
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.core.sim.telephony_state import Call, CampaignProgress, TelephonyState

CALL_EVENT = "telephony.call"
_LOG = logging.getLogger("telephony_emulator.calls")


class CallFlow:
    """Places calls and moves them through their phases; reports each change through its links."""

    def __init__(self, links: FlowLinks) -> None:
        self.links = links
        self._instant: float | None = None
        links.scheduler.register(CALL_EVENT, self._on_event)

    @property
    def _state(self) -> TelephonyState:
        return self.links.state()

    def _now(self) -> float:
        """The instant of the event being run (exact even when real time ran past it), else now."""
        return self.links.clock.now() if self._instant is None else self._instant

    # -- placing -------------------------------------------------------------------------------

    def place(
        self,
        *,
        api: str,
        tenant: str,
        kind: str,
        caller_id: str,
        to: str,
        campaign: str | None = None,
        bridge_to: str | None = None,
        bridge_caller_id: str | None = None,
        callback_url: str | None = None,
        ring_timeout_s: float | None = None,
        max_talk_s: float | None = None,
        extra: dict[str, Any] | None = None,
        parent: Call | None = None,
        plan: Plan | None = None,
    ) -> Call:
        """Place a call (``Telephony.place``); ``parent``: the first leg of a bridge this is the second of."""
        links = self.links
        state = links.state()
        if plan is None:
            plan = links.plan_for(to, api, second_leg=parent is not None)
        call = Call(
            id=f"call-{links.new_call_number()}",
            api=api,
            tenant=str(tenant),
            kind=kind,
            caller_id=str(caller_id),
            to=str(to).strip(),
            campaign=campaign,
            created=self._now(),
            plan_outcome=plan.outcome,
            plan_ring_s=plan.ring_s,
            plan_talk_s=plan.talk_s,
            ring_timeout_s=ring_timeout_s,
            max_talk_s=max_talk_s,
            bridge_to=bridge_to,
            bridge_caller_id=bridge_caller_id,
            callback_url=callback_url,
            extra=dict(extra or {}),
            machine=plan.machine,
        )
        if parent is not None:
            call.leg, call.parent_id = 2, parent.id
            parent.second_leg_id = call.id
        state.calls[call.id] = call
        if parent is None and campaign is not None:
            self._campaign(call).call_ids.append(call.id)
        self._schedule(call, 0.0, "dial")
        return call

    def _campaign(self, call: Call) -> CampaignProgress:
        state = self._state
        key = campaign_key(call.api, call.tenant, call.campaign or "")
        progress = state.campaigns.get(key)
        if progress is None:
            progress = state.campaigns[key] = CampaignProgress(call.api, call.tenant, call.campaign or "", call.created)
        elif progress.placed == progress.ended:  # a finished campaign runs again
            progress.created, progress.ended_at = call.created, None
        progress.placed += 1
        return progress

    def _schedule(self, call: Call, seconds: float, step: str) -> None:
        self._schedule_payload(seconds, {"call": call.id, "step": step})

    def _schedule_payload(self, seconds: float, payload: dict[str, Any]) -> None:
        self.links.scheduler.at(self._now() + max(0.0, seconds), CALL_EVENT, payload)

    # -- phases --------------------------------------------------------------------------------

    def _on_event(self, event: ScheduledEvent) -> None:
        outer, self._instant = self._instant, event.due
        try:
            self._step(event.payload)
        finally:
            self._instant = outer

    def _step(self, payload: dict[str, Any]) -> None:
        call = self._state.calls.get(payload.get("call", ""))
        if call is None or call.phase == "ended":
            return  # hung up meanwhile, or a stale event: nothing to do
        before = call.phase
        self._move(call, payload)
        if call.phase != before and _LOG.isEnabledFor(logging.DEBUG):
            _LOG.debug(
                "call %s (%s %s, %s to %s): %s -> %s%s",
                call.id,
                call.api,
                call.tenant,
                call.kind,
                call.to,
                before,
                call.phase,
                f" ({call.outcome})" if call.phase == "ended" else "",
                extra={"fields": {"call": call.id, "api": call.api, "tenant": call.tenant, "kind": call.kind,
                                  "to": call.to, "from_phase": before, "phase": call.phase, "outcome": call.outcome}},
            )  # fmt: skip

    def _move(self, call: Call, payload: dict[str, Any]) -> None:
        step = payload.get("step")
        if step == "dial" and call.phase == "queued":
            self._dial(call)
        elif step == "answer" and call.phase == "ringing":
            self._answer(call)
        elif step == "give_up" and call.phase == "ringing":
            self._finish(call, payload.get("outcome", call.plan_outcome))
        elif step == "hangup" and call.phase == "answered":
            self._finish(call, "answered")

    def _dial(self, call: Call) -> None:
        if call.plan_outcome in NEVER_DIALLED:
            self._finish(call, call.plan_outcome)
            return
        ring_s, outcome = call.plan_ring_s, call.plan_outcome
        if call.ring_timeout_s is not None and ring_s > call.ring_timeout_s:
            ring_s, outcome = call.ring_timeout_s, "no_answer"
        if outcome != "answered" and ring_s <= 0:
            self._finish(call, outcome)  # busy / failed at once: the handset never rings
            return
        call.phase = "ringing"
        call.ringing_at = self._now()
        self.links.call_changed(call, "ringing")
        if call.phase != "ringing":
            return  # a listener hung up
        if outcome == "answered":
            self._schedule(call, ring_s, "answer")
        else:
            self._schedule_payload(ring_s, {"call": call.id, "step": "give_up", "outcome": outcome})

    def _answer(self, call: Call) -> None:
        now = self._now()
        call.phase = "answered"
        call.answered_at = now
        call.ring_s = elapsed(call.ringing_at, now)
        self.links.call_changed(call, "answered")
        if call.phase != "answered":
            return
        if call.bridge_to is not None and call.leg == 1:
            self.place(
                api=call.api,
                tenant=call.tenant,
                kind=call.kind,
                caller_id=call.bridge_caller_id or call.caller_id,
                to=call.bridge_to,
                campaign=call.campaign,
                callback_url=call.callback_url,
                extra=call.extra,
                parent=call,
            )
            return  # the first leg lasts as long as the second one
        talk_s = call.plan_talk_s if call.max_talk_s is None else min(call.plan_talk_s, call.max_talk_s)
        self._schedule(call, talk_s, "hangup")

    def hangup(self, call: Call) -> None:
        """End ``call`` now: ringing becomes ``no_answer``, answered ends with the talk so far."""
        if call.phase == "ended":
            return
        if call.phase == "queued":
            self._finish(call, "failed")
        elif call.phase == "ringing":
            self._finish(call, "no_answer")
        else:
            self._finish(call, "answered")

    def _finish(self, call: Call, outcome: Outcome) -> None:
        now = self._now()
        if call.phase == "ringing":
            call.ring_s = elapsed(call.ringing_at, now)
        if call.phase == "answered":
            call.talk_s = elapsed(call.answered_at, now)
        call.phase = "ended"
        call.outcome = outcome
        call.ended_at = now
        call.billable_s = call.talk_s if call.parent_id is None else 0.0  # a second leg bills via its first
        calls = self._state.calls
        second = calls.get(call.second_leg_id or "")
        if second is not None:
            if second.phase != "ended":
                self._finish(second, "no_answer" if second.phase == "ringing" else "answered")
            call.billable_s = round(call.talk_s + second.talk_s, 3)
        self.links.call_changed(call, "ended")
        parent = calls.get(call.parent_id or "")
        if parent is not None and parent.phase != "ended":
            self._finish(parent, "answered")
        if call.leg == 1 and call.campaign is not None:
            self._count_end(call)

    def _count_end(self, call: Call) -> None:
        progress = self._state.campaigns.get(campaign_key(call.api, call.tenant, call.campaign or ""))
        if progress is None:
            return
        progress.ended += 1
        if progress.ended == progress.placed:
            progress.ended_at = call.ended_at
            self.links.campaign_ended(progress)


def campaign_key(api: str, tenant: str, campaign: str) -> str:
    return f"{api}|{tenant}|{campaign}"


def elapsed(since: float | None, now: float) -> float:
    """Seconds from ``since`` (``None``: no time) to ``now``, to the millisecond.

    Instants are epoch seconds (about 1.7e9), whose floats are 2.4e-7 s apart, so a bare difference
    reads ``8.700000047683716``; durations are made rounded, and everything derived from them (bridge
    ``billable_s``, prices, CDRs, the dashboard) starts clean.
    """
    return round(now - (since or now), 3)
