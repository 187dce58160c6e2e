"""``reports/*``, ``voicemails/inbox/search`` and ``autodialer/reports/*``: searches, exports, audio.

Every paginated search is one ``Report`` row of ``REPORTS`` run through the shared query engine
(``emulator.simotel.query``): the collection it reads, the ``target`` it reports, its default
sort, the record field ``date_range`` applies to and how condition names map to record fields.
The ``ordered/id`` exports walk a collection in insertion order, 20 records at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.simotel import audio, query
from emulator.simotel.context import SimotelCall
from emulator.simotel.envelope import DONE, Binary
from emulator.simotel.errors import FileNotFound, OperationFailed

PAGE = 20


@dataclass(frozen=True)
class Report:
    """One paginated search: which records, how conditions and ``date_range`` apply, what it echoes."""

    collection: str
    default_sort: dict[str, int]
    date_field: str
    conditions: dict[str, str] = field(default_factory=dict)  # wire condition name -> record field
    target: str | None = None
    message: str = ""


_CDR_CONDITIONS = {"from": "src", "to": "dst", "cuid": "cuid"}
REPORTS: dict[str, Report] = {
    "reports/quick/search": Report("cdr", {"starttime": -1}, "starttime", _CDR_CONDITIONS, message=DONE),
    "reports/cdr": Report("cdr", {"starttime": -1}, "starttime", _CDR_CONDITIONS, message=DONE),  # quick search alias
    "reports/cdr/search": Report("cdr", {"starttime": -1}, "starttime", _CDR_CONDITIONS, target="cdr"),
    "reports/queue/search": Report(
        "queue_stat",
        {"starttime": -1},
        "starttime",
        {**_CDR_CONDITIONS, "qnum": "qnum", "queue": "qnum"},
        target="queue_stat",
    ),
    "reports/queue_details/search": Report(
        "queue_report",
        {"starttime": -1},
        "starttime",
        {**_CDR_CONDITIONS, "queue": "qnum", "qnum": "qnum", "queue_id": "queue_id"},
        target="queue",
    ),
    "reports/agent/search": Report(
        "agent",
        {"end": -1},
        "end",
        {"from": "start", "to": "end", "exten": "exten", "agent": "exten", "queue": "qnum"},
        target="agent",
    ),
    "reports/poll/search": Report(
        "poll",
        {"date": -1},
        "date",
        {"from": "src", "to": "dst", "label": "label", "queue": "qnum", "cuid": "uniqueid"},
        target="poll",
    ),
    "voicemails/inbox/search": Report(
        "voicemail_inbox", {"date": -1}, "date", {"src": "caller_id", "number": "number", "extension": "number"}
    ),
    "autodialer/reports/search": Report(
        "autodialer_reports",
        {"date": -1},
        "date",
        {"disposition": "disposition", "campaign_id": "campaign_id", "campaign": "campaign", "number": "number"},
    ),
}
ORDERED: dict[str, str] = {
    "reports/cdr/ordered/id": "cdr",
    "reports/queue/ordered/id": "queue_stat",
    "reports/queue_details/ordered/id": "queue_report",
    "autodialer/reports/ordered/id": "autodialer_reports",
}


def search(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """A paginated report search: ``{pagination, data}`` plus ``target``/``useGroupBy`` for reports."""
    report = REPORTS[call.service]
    data = query.run(
        call.state.collections.get(report.collection, []),
        call.params,
        default_sort=report.default_sort,
        fields=report.conditions,
        date_field=report.date_field,
        paginated=True,
    )
    if report.target is not None:
        data = {"target": report.target, "useGroupBy": False, **data}
    return data, report.message


def ordered(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """The next 20 records after ``_id`` in insertion order and the ``last_id`` to continue from.

    An empty ``_id`` starts at the first record. At the end of the table ``data`` is empty and
    ``last_id`` repeats the id that was sent, so a poller can keep calling with the same id.
    An ``_id`` that is not in the table answers ``Requested operation failed``.
    """
    collection = call.state.collections.get(ORDERED[call.service], [])
    after = str(call.params.get("_id") or call.params.get("id") or "")
    start = 0
    if after:
        index = next((i for i, record in enumerate(collection) if record.get("_id") == after), None)
        if index is None:
            raise OperationFailed()
        start = index + 1
    page = collection[start : start + PAGE]
    return {"last_id": page[-1]["_id"] if page else after, "data": page}, DONE


def quick_info(call: SimotelCall) -> tuple[list[dict[str, Any]], str]:
    """The queue legs of call ``cuid`` (empty for a call that never entered a queue)."""
    cuid = str(call.params.get("cuid", ""))
    return [leg for leg in call.state.collections.get("queue_report", []) if leg.get("cuid") == cuid], ""


def download_audio(call: SimotelCall) -> tuple[Binary, None]:
    """The recording (or voicemail message) named ``file``; plain 404 when there is none."""
    name = str(call.params.get("file") or "")
    record = audio.find(call.state, name)
    if record is None:
        raise FileNotFound()
    content, media_type = audio.render(name, audio.length_of(record))
    return Binary(content, media_type), None


def download_voicemail(call: SimotelCall) -> tuple[Binary, None]:
    """A voicemail message's audio by inbox ``_id`` (``id``), or by ``file`` name as in v3."""
    wanted = str(call.params.get("_id") or call.params.get("id") or "")
    name = str(call.params.get("file") or "")
    if wanted:
        message = next((m for m in call.state.collections.get("voicemail_inbox", []) if m.get("_id") == wanted), None)
        name = str(message.get("filename", "")) if message else ""
    record = audio.find(call.state, name)
    if record is None or "number" not in record:
        raise FileNotFound()
    content, media_type = audio.render(name, audio.length_of(record))
    return Binary(content, media_type), None


def autodialer_info(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """CDR details of one campaign try: ``_id`` is a ``tries[].cdr_id`` of an autodialer report."""
    wanted = str(call.params.get("_id") or "")
    record = next((r for r in call.state.collections.get("cdr", []) if r.get("_id") == wanted), None)
    if record is None:
        raise OperationFailed()
    return {key: record[key] for key in ("dcontext", "amaflags", "channel", "duration", "wait")}, DONE
