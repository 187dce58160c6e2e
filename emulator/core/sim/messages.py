"""SMS lifecycle: a message is accepted (``ESME_ROK``), then its delivery report arrives on the clock."""

from __future__ import annotations

from typing import Any

from emulator.core.sim.links import FlowLinks
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.core.sim.telephony_state import Message, StatusChange

SMS_EVENT = "telephony.sms"
ACCEPTED = "ESME_ROK"
# The delivery report each handset outcome produces (SMPP receipt ``stat`` values).
REPORTS: dict[str, str] = {
    "answered": "DELIVRD",
    "busy": "DELIVRD",
    "no_answer": "EXPIRED",
    "failed": "UNDELIV",
    "blocked": "REJECTD",
    "invalid": "REJECTD",
}
BUSY_REPORT_AFTER_S = 5.0

_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
_GSM7_ALL = _GSM7 | _GSM7_EXTENDED


def segments(text: str) -> int:
    """SMS parts: GSM-7 text takes 160 characters (153 per part when split), anything else 70 (67)."""
    if _GSM7_ALL.issuperset(text):
        extended = 0 if _GSM7_EXTENDED.isdisjoint(text) else sum(map(text.count, _GSM7_EXTENDED))
        length = len(text) + extended  # an extended character takes two septets
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


class MessageFlow:
    """Sends simulated SMS and delivers their reports when the clock reaches them."""

    def __init__(self, links: FlowLinks) -> None:
        self.links = links
        links.scheduler.register(SMS_EVENT, self._on_event)

    def send(
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
        """Send an SMS (``Telephony.send_sms``)."""
        links = self.links
        state = links.state()
        plan = links.plan_for(to, api, state=state)
        after = plan.ring_s if plan.outcome in ("answered", "no_answer") else 0.0
        if plan.outcome == "busy":
            after = BUSY_REPORT_AFTER_S
        now = links.clock.now()
        message = Message(
            id=f"sms-{state.next_message}",
            api=api,
            tenant=str(tenant),
            sender=str(sender),
            to=str(to).strip(),
            text=text,
            segments=segments(text),
            campaign=campaign,
            created=now,
            report=REPORTS[plan.outcome],
            report_after_s=after,
            history=(StatusChange(ACCEPTED, now),),
            extra=dict(extra or {}),
        )
        state.next_message += 1
        state.messages[message.id] = message
        links.scheduler.at(now + after, SMS_EVENT, {"message": message.id})
        return message

    def _on_event(self, event: ScheduledEvent) -> None:
        message = self.links.state().messages.get(event.payload.get("message", ""))
        if message is None or message.final:
            return
        message.status = message.report
        message.final = True
        message.history = (*message.history, StatusChange(message.report, event.due))
        self.links.message_reported(message, message.status)
