"""``call/originate/act`` and what Simotel calls leave behind: CDRs, recordings, voicemail and events.

A two-way call is a bridge on the shared telephony engine: the first leg rings ``caller``; once
it answers, the second leg rings ``callee``. When the call ends, one CDR goes to the ``cdr``
collection (``reports/quick``, ``reports/cdr``, ``reports/cdr/ordered/id``), an answered call gets
a recording (``reports/audio/download``), a callee that is a queue number adds queue records and
a ``CdrQueue`` event, an unanswered callee extension with a voicemail box gets an inbox message
and a ``VoiceMail`` event. Live events follow the phases: ``NewState`` for extensions,
``OutgoingCall`` for external numbers, then ``Cdr``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim.numbers import to_float
from emulator.core.sim.phones import classify
from emulator.core.sim.telephony_state import Call
from emulator.simotel import events, records
from emulator.simotel.context import SimotelCall
from emulator.simotel.dates import event_stamp
from emulator.simotel.records import CallFacts

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

API = "simotel"
KIND_ORIGINATE = "originate"
KIND_INCOMING = "incoming"
KIND_DIALPLAN = "dialplan"  # a leg a dialplan node dialled (its CDR is the dialplan call's)
CALL_LIMIT = "simotel.call.limit"
DISPOSITION = {"answered": "ANSWERED", "no_answer": "NO ANSWER", "busy": "BUSY"}
QUEUE_COLLECTIONS = ("queues",)
VOICEMAIL_COLLECTIONS = ("voicemails",)


def originate(call: SimotelCall) -> tuple[dict[str, str], None]:
    """Place a two-way call; ``data.originated_call_id`` is ``orig.call.<unix seconds>.<6 digits>``."""
    params = call.params
    emulator = call.emulator
    originated = f"orig.call.{int(call.now)}.{emulator.ids.digits(6)}"
    caller_id = str(params.get("caller_id") or params["caller"])
    context = str(params.get("context") or "main_routing")
    enters_dialplan = context in call.state.dialplans  # the answered caller walks that dialplan
    emulator.telephony.place(
        api=API,
        tenant=call.account.username,
        kind=KIND_ORIGINATE,
        caller_id=caller_id,
        to=str(params["caller"]),
        bridge_to=None if enters_dialplan else str(params["callee"]),
        bridge_caller_id=caller_id,
        ring_timeout_s=_seconds(params.get("timeout")),
        extra={
            "call_limit": _seconds(params.get("call_limit")),
            "originated_call_id": originated,
            "context": context,
            **({"dialplan_context": context, "callee": str(params["callee"])} if enters_dialplan else {}),
            "trunk_name": str(params.get("trunk_name") or ""),
        },
    )
    return {"originated_call_id": originated}, None


def _seconds(value: Any) -> float | None:
    seconds = to_float(value)
    return seconds if seconds is not None and seconds > 0 else None


def is_extension(number: str) -> bool:
    return classify(number, API).kind == "extension"


def uniqueid(call: Call) -> str:
    """The Asterisk-style ``<unix seconds>.<sequence>`` id of a call (``unique_id`` / ``cuid``)."""
    return f"{int(call.created)}.{call.id.rsplit('-', 1)[-1]}"


def install(emulator: Emulator) -> None:
    """Listen to Simotel calls; ``call_limit`` hangs the bridge up (kind ``simotel.call.limit``)."""
    emulator.telephony.on_phase(API, lambda call, phase: on_phase(emulator, call, phase))
    emulator.scheduler.register(CALL_LIMIT, lambda event: emulator.telephony.hangup(event.payload["call"]))


def on_phase(emulator: Emulator, call: Call, phase: str) -> None:
    """Telephony listener for Simotel calls placed by originate (and other kinds carrying the id)."""
    if call.kind not in (KIND_ORIGINATE, KIND_INCOMING, KIND_DIALPLAN):
        return
    root = emulator.telephony.call(call.parent_id) if call.parent_id else call
    if root is None:
        return
    _live_events(emulator, root, call, phase)
    limit = root.extra.get("call_limit")
    if phase == "answered" and call.leg == 2 and limit:
        emulator.scheduler.after(limit, CALL_LIMIT, {"call": call.id})
    if phase == "ended" and call.leg == 1 and call.kind != KIND_DIALPLAN:
        finish(emulator, call)


def _live_events(emulator: Emulator, root: Call, leg: Call, phase: str) -> None:
    unique = uniqueid(root)
    originated = root.extra.get("originated_call_id")
    if root.kind == KIND_INCOMING and phase == "ringing":
        events.emit(
            emulator,
            "IncomingCall",
            {"number": root.caller_id, "unique_id": unique, "entry_point": root.extra.get("entry_point", "")},
        )
    if is_extension(leg.to):
        state = {"ringing": "Ringing", "answered": "InUse", "ended": "Idle"}[phase]
        if phase == "ended" and leg.outcome not in ("answered", "no_answer"):
            return
        direction = "in" if leg.leg == 1 else "out"
        events.emit(
            emulator,
            "NewState",
            {
                "exten": leg.to,
                "state": state,
                "participant": leg.caller_id,
                "direction": direction,
                "queue": root.extra.get("queue", ""),
                "unique_id": unique,
                "dialer": "no",
            },
        )
    elif phase == "ringing" and root.kind in (KIND_ORIGINATE, KIND_DIALPLAN):
        events.emit(
            emulator,
            "OutgoingCall",
            {
                "number": leg.to,
                "unique_id": unique,
                "outgoing_point": root.extra.get("trunk_name", ""),
                "originated_call_id": originated or "",
            },
        )


def facts_of(emulator: Emulator, call: Call) -> CallFacts:
    """What a finished bridge amounts to as a CDR: the second leg decides when the first answered."""
    second = emulator.telephony.call(call.second_leg_id) if call.second_leg_id else None
    deciding = second if second is not None else call
    outcome = deciding.outcome or "failed"
    callee = call.bridge_to or call.to
    kind = "local" if is_extension(call.to) and is_extension(callee) else "outgoing"
    channel = "OutgoingSpoolFailed" if outcome == "invalid" else ""
    if call.kind == KIND_INCOMING:
        return CallFacts(
            kind="incoming", src=call.caller_id, dst=call.extra.get("queue") or call.to, start=call.created,
            wait=call.ring_s, billsec=call.talk_s, disposition=DISPOSITION.get(outcome, "FAILED"),
            uniqueid=uniqueid(call), src_name=call.extra.get("name", ""), point=call.extra.get("entry_point", ""),
            recorded=outcome == "answered",
        )  # fmt: skip
    originated = call.extra.get("originated_call_id")
    comment = f"originated call: {originated}" if originated else None
    details = ()
    if second is not None:  # a bridge: the caller's leg, then the callee's
        details = tuple(
            records.detail(at=leg.created, billsec=leg.talk_s, status=DISPOSITION.get(leg.outcome or "", "FAILED"),
                           exten=leg.to, comment=comment if leg is call else None)
            for leg in (call, second)
        )  # fmt: skip
    return CallFacts(
        details=details,
        kind=kind,
        src=call.to,
        dst=callee,
        start=call.created,
        wait=call.ring_s + (second.ring_s if second else 0.0),
        billsec=second.talk_s if second else 0.0,
        disposition=DISPOSITION.get(outcome, "FAILED"),
        uniqueid=uniqueid(call),
        src_name=call.caller_id,
        point=call.extra.get("trunk_name", "") if kind == "outgoing" else "",
        recorded=outcome == "answered",
        originated_call_id=call.extra.get("originated_call_id"),
        channel=channel,
        dcontext=call.extra.get("context", "main_routing"),
    )


def finish(emulator: Emulator, call: Call) -> dict[str, Any]:
    """Write the CDR (plus queue / voicemail records) of a finished call and fire its events."""
    state = emulator.world.simotel
    facts = facts_of(emulator, call)
    stored = records.append(state, "cdr", records.cdr(facts))
    queue = _find(state.collections, QUEUE_COLLECTIONS, "number", facts.dst)
    if queue is not None:
        agent = call.to if call.extra.get("queue") else agent_of(queue)
        queue_records(emulator, facts, agent)
    elif facts.disposition in ("NO ANSWER", "BUSY") and is_extension(facts.dst):
        _voicemail(emulator, facts)
    events.emit(emulator, "Cdr", cdr_event(facts, stored))
    return stored


def cdr_event(facts: CallFacts, stored: dict[str, Any]) -> dict[str, Any]:
    """The ``Cdr`` webhook payload of a stored CDR."""
    payload: dict[str, Any] = {
        "starttime": event_stamp(facts.start),
        "endtime": event_stamp(facts.end),
        "src": facts.src,
        "dst": facts.dst,
        "type": facts.kind,
        "disposition": facts.disposition,
        "duration": stored["duration"],
        "billsec": stored["billsec"],
        "wait": stored["wait"],
        "unique_id": facts.uniqueid,
        "cuid": facts.uniqueid,
        "entry_point": stored.get("entry_point", ""),
        "outgoing_point": stored.get("outgoing_point", ""),
        "originated_call_id": facts.originated_call_id or "",
    }
    if facts.recorded:
        payload["record"] = facts.record_file
    return payload


def _find(collections: dict[str, list[dict[str, Any]]], names: tuple[str, ...], key: str, value: str) -> Any:
    for name in names:
        for record in collections.get(name, []):
            if str(record.get(key, "")) == value:
                return record
    return None


def find_queue(state: Any, number: str) -> dict[str, Any] | None:
    """The queue record whose ``number`` is ``number``, else None."""
    return _find(state.collections, QUEUE_COLLECTIONS, "number", number)


def agent_of(queue: dict[str, Any]) -> str:
    """The queue member a call goes to: its first agent that is not paused ("" when none)."""
    members = [m for m in queue.get("agents") or [] if isinstance(m, dict) and not m.get("paused")]
    return str(members[0].get("agent", "")) if members else ""


def incoming(emulator: Emulator, *, src: str, dst: str, entry_point: str = "main", name: str = "") -> Call:
    """Simulate a call from outside to ``dst`` (an extension, or a queue number: it rings the queue's
    first agent that is not paused); ``IncomingCall`` fires when it rings, the CDR when it ends."""
    state = emulator.world.simotel
    queue = _find(state.collections, QUEUE_COLLECTIONS, "number", dst)
    target = (agent_of(queue) or dst) if queue is not None else dst
    extra = {"entry_point": entry_point, "name": name, **({"queue": dst} if queue is not None else {})}
    return emulator.telephony.place(api=API, tenant="pbx", kind=KIND_INCOMING, caller_id=src, to=target, extra=extra)


def queue_records(emulator: Emulator, facts: CallFacts, agent: str) -> None:
    """The queue report record, the queue leg and the ``CdrQueue`` event of a call that was queued."""
    state = emulator.world.simotel
    user = _find(state.collections, ("users",), "number", agent) if agent else None
    name = str(user.get("name", "")) if user else ""
    extra = {"qnum": facts.dst, "queue_id": f"{facts.uniqueid}-{facts.dst}", "agent": agent, "agent_name": name}
    stat = records.append(state, "queue_stat", records.queue_stat(facts, **extra))
    records.append(state, "queue_report", records.queue_leg(facts, **extra))
    events.emit(emulator, "CdrQueue", cdr_queue_event(facts, stat))


def cdr_queue_event(facts: CallFacts, stat: dict[str, Any]) -> dict[str, Any]:
    """The ``CdrQueue`` payload: every number a string and every time a Gregorian stamp, as in the sample."""
    answered = stat["disposition"] == "ANSWERED"
    leg = {"src": facts.src, "dst": stat["dst"], "billsec": str(stat["billsec"]), "wait": str(stat["wait"]),
           "disposition": stat["disposition"], "comment": "", "tries": "1"}  # fmt: skip
    return {
        "unique_id": facts.uniqueid,
        "originated_call_id": facts.originated_call_id or "",
        "src": facts.src,
        "dst": stat["dst"],
        "queue": facts.dst,
        "billsec": str(stat["billsec"]),
        "wait": str(stat["wait"]),
        "duration": str(stat["duration"]),
        "agent_wait": str(stat["agent_wait"]),
        "disposition": stat["disposition"],
        "hangup": stat["hangup"],
        "queue_status": stat["queue_status"],
        "record": facts.record_file,
        "answeredtime": event_stamp(facts.start + facts.wait) if answered else "",
        "ringtime": event_stamp(facts.start),
        "starttime": event_stamp(facts.start),
        "endtime": event_stamp(facts.end),
        "detail": [leg],
    }


VOICEMAIL_LENGTH_S = 10


def _voicemail(emulator: Emulator, facts: CallFacts) -> None:
    state = emulator.world.simotel
    box = _find(state.collections, VOICEMAIL_COLLECTIONS, "number", facts.dst)
    if box is None:
        return
    at = facts.end + VOICEMAIL_LENGTH_S
    filename = f"msg_{facts.dst}_{facts.uniqueid}.wav"
    message = records.append(
        state,
        "voicemail_inbox",
        records.inbox_message(
            number=facts.dst,
            caller_id=facts.src,
            box_id=str(box.get("_id", "")),
            at=at,
            duration=VOICEMAIL_LENGTH_S,
            filename=filename,
        ),
    )
    events.emit(
        emulator,
        "VoiceMail",
        {
            "id": message["_id"],
            "number": facts.dst,
            "state": "SUCCESS",
            "date": events.stamp(emulator),
            "filename": filename,
            "duration": VOICEMAIL_LENGTH_S,
            "caller": facts.src,
            "cuid": facts.uniqueid,
        },
    )
    if str(box.get("send_email", "")).lower() == "yes" and box.get("email"):
        events.emit(emulator, "VoiceMailEmail", voicemail_email_event(emulator, box, message))


def voicemail_email_event(emulator: Emulator, box: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """The emulator sends no mail: every voicemail-to-email attempt fails as ``SMTP is disabled``."""
    attached = str(box.get("attach_file_email", "")).lower() == "yes"
    return {"id": message["_id"], "number": message["number"], "state": "FAILED", "date": events.stamp(emulator),
            "message": "SMTP is disabled", "receiver": str(box["email"]), "active": "True",
            "attached_file": "True" if attached else "False"}  # fmt: skip
