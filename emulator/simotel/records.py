"""Report records in their wire shape (reference §3.11, §3.12), built once for generated and live calls.

Collections (``SimotelState.collections``): ``cdr`` (quick/cdr reports), ``queue_stat`` (queue
report), ``queue_report`` (queue legs: queue_details report and quick/info), ``agent``, ``poll``,
``voicemail_inbox`` and ``autodialer_reports``. Records are appended in time order, so a
collection's list order is its insertion order (what ``ordered/id`` exports walk).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.simotel.dates import gregorian, hhmmss, jalali, mongo_date
from emulator.simotel.state import SimotelState

DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED")


def object_id(state: SimotelState) -> str:
    """A fresh 24-hex ObjectId; ids grow with insertion order."""
    value = f"{state.next_object_id:024x}"
    state.next_object_id += 1
    return value


def oid(value: str) -> dict[str, str]:
    """MongoDB extended JSON of an id: ``{"$oid": "..."}``."""
    return {"$oid": value}


def append(state: SimotelState, collection: str, record: dict[str, Any]) -> dict[str, Any]:
    """Give ``record`` an ``_id`` (first key) and append it to ``collection``."""
    stored = {"_id": object_id(state), **record}
    state.collections.setdefault(collection, []).append(stored)
    return stored


def _durations(record: dict[str, Any]) -> dict[str, Any]:
    return {f"{key}_hhmmss": hhmmss(record[key]) for key in ("billsec", "wait", "duration") if key in record}


@dataclass
class CallFacts:
    """What happened on one call, in the emulator's terms (POSIX seconds)."""

    kind: str  # incoming / outgoing / local
    src: str
    dst: str
    start: float
    wait: float
    billsec: float
    disposition: str
    uniqueid: str
    src_name: str = ""
    point: str = ""  # entry point (incoming) or outgoing point (outgoing)
    recorded: bool = False
    originated_call_id: str | None = None
    channel: str = ""
    dcontext: str = "main_routing"
    details: tuple[dict[str, Any], ...] = ()  # one item per leg of a multi-leg call (``detail``)

    @property
    def duration(self) -> int:
        return round(self.wait + self.billsec)

    @property
    def end(self) -> float:
        return self.start + self.wait + self.billsec

    @property
    def record_file(self) -> str:
        return f"{gregorian(self.start)[:10].replace('-', '')}_{self.uniqueid}.mp3" if self.recorded else ""


def cdr(facts: CallFacts) -> dict[str, Any]:
    """A CDR as ``reports/quick`` and ``reports/cdr`` return it (without ``_id``)."""
    answered = facts.disposition == "ANSWERED"
    channel = facts.channel or f"SIP/{facts.src}-{facts.uniqueid.split('.')[-1].zfill(8)}"
    route = [
        {
            "type": "IncomingRoute" if facts.kind == "incoming" else "OutgoingRoute",
            "name": facts.point or "default",
            "duration": round(facts.wait),
            "date": mongo_date(facts.start),
        },
    ]
    if facts.recorded:
        route.append({"type": "MixMonitor", "name": "record", "duration": 0, "date": mongo_date(facts.start)})
    record: dict[str, Any] = {
        "type": facts.kind,
        "cuid": facts.uniqueid,
        "clid": f'"{facts.src_name}" <{facts.src}>',
        "src": facts.src,
        "dst": facts.dst,
        "dcontext": facts.dcontext,
        "channel": channel,
        "dstchannel": f"SIP/{facts.dst}-{facts.uniqueid.split('.')[-1].zfill(8)}" if answered else "",
        "lastapp": "Dial",
        "lastdata": f"SIP/{facts.dst},60",
        "start": jalali(facts.start),
        "answer": gregorian(facts.start + facts.wait) if answered else "",
        "duration": facts.duration,
        "billsec": round(facts.billsec),
        "disposition": facts.disposition,
        "amaflags": "DOCUMENTATION",
        "accountcode": "",
        "uniqueid": facts.uniqueid,
        "userfield": "",
        "sequence": int(facts.uniqueid.split(".")[-1]),
        "comment": f"originated call: {facts.originated_call_id}" if facts.originated_call_id else "",
        "v": 2,
        "did": facts.dst if facts.kind == "incoming" else "",
        ("entry_point" if facts.kind == "incoming" else "outgoing_point"): facts.point,
        "route": route,
        "wait": round(facts.wait),
        "starttime": jalali(facts.start),
        "endtime": mongo_date(facts.end),
        facts.disposition: 1,
        facts.kind: 1,
    }
    if facts.recorded:
        record["record"] = facts.record_file
    if facts.originated_call_id:
        record["originated_call_id"] = facts.originated_call_id
    if facts.details:
        record["details"] = list(facts.details)
    return {**record, **_durations(record)}


def detail(*, at: float, billsec: float, status: str | None, exten: str, comment: str | None) -> dict[str, Any]:
    """One leg of a multi-leg call in a CDR's ``details`` (the ordered export's documented example)."""
    return {"date": jalali(at), "billsec": round(billsec), "status": status, "exten": exten, "comment": comment}


def queue_stat(facts: CallFacts, *, qnum: str, queue_id: str, agent: str, agent_name: str) -> dict[str, Any]:
    """A ``reports/queue`` record (``target: queue_stat``) of a call that entered queue ``qnum``."""
    answered = facts.disposition == "ANSWERED"
    disposition = "ANSWERED" if answered else "MISSED"
    record = {
        "duration": facts.duration,
        "wait": round(facts.wait),
        "agent_wait": round(facts.wait) if answered else 0,
        "billsec": round(facts.billsec),
        "queue_id": queue_id,
        "src": facts.src,
        "dst": agent if answered else "",
        "cuid": facts.uniqueid,
        "qnum": qnum,
        "starttime": jalali(facts.start),
        "endtime": jalali(facts.end),
        "ringtime": round(facts.wait),
        "queue_status": "CONTINUE" if answered else "TIMEOUT",
        "disposition": disposition,
        "hangup": "agent" if answered and round(facts.billsec) % 2 else "caller",
        disposition: 1,
        "v": 2,
        "dst_name": agent_name if answered else "",
        "caller_wait": round(facts.wait),
        "data": _queue_times(facts, answered),
    }
    if answered:
        record["answeredtime"] = mongo_date(facts.start + facts.wait)
    return {**record, **_durations(record)}


def _queue_times(facts: CallFacts, answered: bool) -> dict[str, Any]:
    """The ``data`` block of a queue record: its instants as MongoDB dates (the ordered export's example)."""
    times = {"end_time": mongo_date(facts.end), "queue_status": "CONTINUE" if answered else "TIMEOUT",
             "start_time": mongo_date(facts.start), "ring_time": mongo_date(facts.start)}  # fmt: skip
    if answered:
        times["answered_time"] = mongo_date(facts.start + facts.wait)
    return times


def queue_leg(facts: CallFacts, *, qnum: str, queue_id: str, agent: str, agent_name: str) -> dict[str, Any]:
    """A queue leg (``type: queue_report``) as ``reports/queue_details`` and ``reports/quick/info`` return it."""
    leg = cdr(CallFacts(**{**facts.__dict__, "dst": agent, "kind": facts.kind}))
    return {
        **leg,
        "type": "queue_report",
        "qnum": qnum,
        "queue_id": queue_id,
        "tries": 1,
        "last_try": mongo_date(facts.start + facts.wait),
        "dst_name": agent_name,
    }


def agent_session(*, exten: str, qnum: str, start: float, end: float) -> dict[str, Any]:
    """A ``reports/agent`` login interval of operator ``exten`` in queue ``qnum``."""
    return {
        "type": "inout",
        "exten": exten,
        "qnum": qnum,
        "start": jalali(start),
        "end": jalali(end),
        "duration": round(end - start),
        "inout": 1,
        "inout_du": round(end - start),
        "duration_hhmmss": hhmmss(end - start),
    }


def poll(facts: CallFacts, *, point: int, label: str, qnum: str) -> dict[str, Any]:
    """A ``reports/poll`` survey answer given at the end of a call."""
    return {
        "uniqueid": facts.uniqueid,
        "src": facts.src,
        "dst": facts.dst,
        "point": point,
        "label": label,
        "qnum": qnum,
        "date": jalali(facts.end),
    }


def inbox_message(
    *, number: str, caller_id: str, box_id: str, at: float, duration: int, filename: str
) -> dict[str, Any]:
    """A ``voicemails/inbox`` message; an empty ``filename`` means the recording failed."""
    record: dict[str, Any] = {"number": number, "caller_id": caller_id}
    if filename:
        record.update(filename=filename, voice_mail_id=oid(box_id), duration=duration)
    else:
        record.update(voice_mail_id=oid(box_id), error="This file has not been saved properly")
    record.update(read=False, v=2, date=jalali(at))
    return record
