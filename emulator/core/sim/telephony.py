"""The simulated telephone network both APIs share: ``emulator.telephony``.

The engine places calls and sends SMS to simulated handsets whose behaviour comes from the
magic-number table (``core/sim/phones``) or a per-number rule, and moves them on the emulator's
scheduler. It knows no prices and no API payloads: API code registers listeners and reacts
(billing, callbacks, webhooks). State lives in ``World.telephony`` and is read lazily, so reset
and restore (which swap the World) need nothing from the engine.

Listener contract: ``on_phase(api, fn)`` calls ``fn(call, phase)`` for every call of ``api``
(``"*"`` for all) when it starts ringing (``"ringing"``), is answered (``"answered"``) and ends
(``"ended"``; ``call.outcome`` is then final). A call that is never dialled (blocked, invalid,
busy or failed at once) only reports ``"ended"``. For a bridge, the second leg's record has
``leg == 2`` and ``parent_id``; the first leg ends right after the second, and its ``billable_s``
covers both tracks. ``on_campaign_end(api, fn)`` calls ``fn(progress)`` when every top-level call
placed under a campaign id has ended. ``on_message(api, fn)`` calls ``fn(message, status)`` when
an SMS delivery report arrives. Listeners run inside scheduled events, on the event loop when
there is one, and must not block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Unpack

from emulator.core.sim.calls import CallFlow, campaign_key
from emulator.core.sim.clock import Clock
from emulator.core.sim.ids import IdSource
from emulator.core.sim.links import CallOptions, FlowLinks
from emulator.core.sim.messages import MessageFlow
from emulator.core.sim.phones import OUTCOMES, Outcome, Plan, default_plan, normalize, plan_from_rule
from emulator.core.sim.scheduler import Scheduler
from emulator.core.sim.telephony_state import Call, CampaignProgress, Message, PhoneRule, TelephonyState

CallListener = Callable[[Call, str], None]
CampaignListener = Callable[[CampaignProgress], None]
MessageListener = Callable[[Message, str], None]
MAX_SECONDS = 7 * 86400.0
MAX_KEYS = 200


class RuleError(ValueError):
    """A per-number rule that cannot be applied."""


class Telephony:
    """Calls, messages, handsets and listeners; see the module docstring for the contract."""

    def __init__(
        self, clock: Clock, scheduler: Scheduler, state: Callable[[], TelephonyState], ids: IdSource | None = None
    ) -> None:
        self.clock = clock
        self.ids = ids if ids is not None else IdSource(0)
        self.scheduler = scheduler
        self._state = state
        self._call_listeners: dict[str, list[CallListener]] = {}
        self._campaign_listeners: dict[str, list[CampaignListener]] = {}
        self._message_listeners: dict[str, list[MessageListener]] = {}
        links = FlowLinks(
            clock=clock,
            scheduler=scheduler,
            state=state,
            plan_for=self.plan_for,
            new_call_number=self.new_call_number,
            call_changed=self.notify_call,
            campaign_ended=self.notify_campaign,
            message_reported=self.notify_message,
        )
        self._calls = CallFlow(links)
        self._messages = MessageFlow(links)

    @property
    def state(self) -> TelephonyState:
        return self._state()

    def new_call_number(self) -> int:
        """The next call sequence number (``call-N``, Simotel ``unique_id``s): never repeated within the
        server's lifetime, across reset and restore (``core/sim/ids``)."""
        return self.ids.advance(self.state, "next_call", "call")

    # -- listeners -----------------------------------------------------------------------------

    def on_phase(self, api: str, fn: CallListener) -> None:
        """Call ``fn(call, phase)`` on every phase change of ``api``'s calls (``"*"``: every API)."""
        self._call_listeners.setdefault(api, []).append(fn)

    def on_campaign_end(self, api: str, fn: CampaignListener) -> None:
        """Call ``fn(progress)`` when the last top-level call of an ``api`` campaign has ended."""
        self._campaign_listeners.setdefault(api, []).append(fn)

    def on_message(self, api: str, fn: MessageListener) -> None:
        """Call ``fn(message, status)`` when an SMS of ``api`` gets its delivery report."""
        self._message_listeners.setdefault(api, []).append(fn)

    def _listeners(self, table: dict[str, list[Any]], api: str) -> Iterable[Any]:
        return [*table.get(api, ()), *table.get("*", ())]

    def notify_call(self, call: Call, phase: str) -> None:
        for fn in self._listeners(self._call_listeners, call.api):
            fn(call, phase)

    def notify_campaign(self, progress: CampaignProgress) -> None:
        for fn in self._listeners(self._campaign_listeners, progress.api):
            fn(progress)

    def notify_message(self, message: Message, status: str) -> None:
        for fn in self._listeners(self._message_listeners, message.api):
            fn(message, status)

    # -- handsets --------------------------------------------------------------------------------

    def plan_for(self, number: str, api: str, *, second_leg: bool = False, state: TelephonyState | None = None) -> Plan:
        """How the handset of ``number`` will treat a call from ``api``: its rule, else the default
        (``state``: the telephony state when the caller holds it already)."""
        rules = (state if state is not None else self.state).rules
        rule = rules.get(normalize(number)) if rules else None  # (most worlds have no rules)
        if rule is None:
            return default_plan(number, api, second_leg=second_leg)
        return plan_from_rule(rule.outcome, rule.ring_s, rule.talk_s, second_leg=second_leg, machine=rule.voicemail)

    def set_rule(
        self,
        number: str,
        outcome: str = "answered",
        ring_s: float | None = None,
        talk_s: float | None = None,
        keys: list[Any] | None = None,
        *,
        voicemail: bool = False,
    ) -> PhoneRule:
        """Override how ``number`` behaves for calls and SMS placed from now on (``keys``: a key script
        for an IVR the handset is dropped into on answering; ``voicemail``: a voicemail box answers,
        which answering-machine detection recognises)."""
        if outcome not in OUTCOMES:
            raise RuleError(f"'outcome' must be one of {', '.join(OUTCOMES)}")
        for name, value in (("ring_s", ring_s), ("talk_s", talk_s)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_SECONDS
            ):
                raise RuleError(f"'{name}' must be a number of seconds between 0 and {int(MAX_SECONDS)}")
        if keys is not None and (
            not isinstance(keys, list)
            or len(keys) > MAX_KEYS
            or not all(isinstance(key, str | int) and not isinstance(key, bool) and len(str(key)) <= 50 for key in keys)
        ):
            raise RuleError(f"'keys' must be a list of at most {MAX_KEYS} key strings")
        rule = PhoneRule(
            outcome=_outcome(outcome),
            ring_s=None if ring_s is None else float(ring_s),
            talk_s=None if talk_s is None else float(talk_s),
            keys=None if keys is None else [str(key) for key in keys],
            voicemail=bool(voicemail) and outcome == "answered",
        )
        self.state.rules[normalize(number)] = rule
        return rule

    def clear_rule(self, number: str) -> bool:
        """Back to the built-in behaviour of ``number``; False if it had no rule."""
        return self.state.rules.pop(normalize(number), None) is not None

    def rule(self, number: str) -> PhoneRule | None:
        return self.state.rules.get(normalize(number))

    # -- calls -----------------------------------------------------------------------------------

    def place(
        self, *, api: str, tenant: str, kind: str, caller_id: str, to: str, **options: Unpack[CallOptions]
    ) -> Call:
        """Place a call and return its record (phase ``queued``; it dials when the scheduler next runs).

        The optional keywords (``CallOptions``) are ``campaign``, ``bridge_to``, ``bridge_caller_id``,
        ``callback_url``, ``ring_timeout_s``, ``max_talk_s``, ``extra`` and ``plan``.

        ``kind`` is a free label (``tzintuk``, ``tts``, ``bridge``, ``fax``, ``verification``,
        ``originate``...). ``bridge_to`` makes this the first leg of a bridge whose second leg
        dials ``bridge_to`` (caller ID ``bridge_caller_id``, default ``caller_id``) once the first
        leg answers. ``ring_timeout_s`` gives up ringing (outcome ``no_answer``) after that many
        seconds, e.g. a tzintuk's ``TzintukTimeOut``; ``max_talk_s`` caps talk time (0 hangs up on
        answer). ``callback_url`` and ``extra`` (JSON-able) are kept on the record for listeners.
        Numbers are not refused here: an invalid one ends with outcome ``invalid``. ``plan`` (a
        ``phones.Plan``) replaces the handset's plan, for calls the emulator answers itself (an
        inbound call picked up by an API's own IVR).
        """
        return self._calls.place(api=api, tenant=tenant, kind=kind, caller_id=caller_id, to=to, **options)

    def hangup(self, call_id: str) -> Call | None:
        """End a call now (ringing -> ``no_answer``; answered -> ends with the talk so far)."""
        call = self.state.calls.get(call_id)
        if call is not None:
            self._calls.hangup(call)
        return call

    def call(self, call_id: str) -> Call | None:
        return self.state.calls.get(call_id)

    def calls(self, **filters: Any) -> list[Call]:
        """Calls in the order they were placed; keyword filters match fields (``api``, ``tenant``,
        ``campaign``, ``kind``, ``to``, ``caller_id``, ``phase``, ``outcome``...); ``None`` is ignored."""
        return _matching(self.state.calls.values(), filters)

    def campaign(self, api: str, tenant: str, campaign: str) -> CampaignProgress | None:
        return self.state.campaigns.get(campaign_key(api, str(tenant), campaign))

    def campaign_calls(self, progress: CampaignProgress) -> list[Call]:
        """The top-level calls of a campaign, in the order they were placed."""
        calls = self.state.calls
        return [calls[call_id] for call_id in progress.call_ids if call_id in calls]

    # -- messages --------------------------------------------------------------------------------

    def send_sms(
        self,
        *,
        api: str,
        tenant: str,
        sender: str,
        to: str,
        text: str,
        campaign: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Message:
        """An SMS from ``sender`` to ``to`` for ``api``'s ``tenant`` (``extra``: API-specific facts kept
        on it): ``ESME_ROK`` now, its delivery report comes on the clock."""
        return self._messages.send(
            api=api, tenant=tenant, sender=sender, to=to, text=text, campaign=campaign, extra=extra
        )

    def messages(self, **filters: Any) -> list[Message]:
        """Messages in the order they were sent; keyword filters as for ``calls``."""
        return _matching(self.state.messages.values(), filters)

    def inbox(self, number: str) -> tuple[list[Call], list[Message]]:
        """Everything the handset of ``number`` received: calls (bridge legs too) and SMS."""
        number = normalize(number)
        return self.calls(to=number), self.messages(to=number)


def _outcome(value: str) -> Outcome:
    for outcome in OUTCOMES:
        if outcome == value:
            return outcome
    raise RuleError(f"unknown outcome {value!r}")


def _matching(records: Iterable[Any], filters: dict[str, Any]) -> list[Any]:
    wanted = {key: value for key, value in filters.items() if value is not None}
    return [record for record in records if all(getattr(record, key) == value for key, value in wanted.items())]
