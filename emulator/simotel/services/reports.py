"""``reports/*``, ``voicemails/inbox/search`` and ``autodialer/reports/*``: searches, exports, audio.

Every paginated search is one ``Report`` row of ``REPORTS`` run through the shared query engine
(``emulator.simotel.query``): the collection it reads, the record field ``date_range`` applies to
(also its default sort, newest first), how condition names map to record fields and the ``target``
it reports.
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
    """One paginated search: which records, how conditions and ``date_range`` apply, what it echoes.

    ``date_field`` is both the field ``date_range`` applies to and the default sort (descending).
    """

    collection: str
    date_field: str
    conditions: dict[str, str] = field(default_factory=dict)  # wire condition name -> record field
    target: str | None = None
    message: str = ""

    @property
    def default_sort(self) -> dict[str, int]:
        return {self.date_field: -1}


_CDR = {"from": "src", "to": "dst", "cuid": "cuid"}
_QUEUE = {**_CDR, "qnum": "qnum", "queue": "qnum"}
_AGENT = {"from": "start", "to": "end", "exten": "exten", "agent": "exten", "queue": "qnum"}
_POLL = {"from": "src", "to": "dst", "label": "label", "queue": "qnum", "cuid": "uniqueid"}
_INBOX = {"src": "caller_id", "number": "number", "extension": "number"}
_DIALER = {"disposition": "disposition", "campaign_id": "campaign_id", "campaign": "campaign", "number": "number"}
REPORTS: dict[str, Report] = {
    "reports/quick/search": Report("cdr", "starttime", _CDR, message=DONE),
    "reports/cdr": Report("cdr", "starttime", _CDR, message=DONE),  # quick search alias
    "reports/cdr/search": Report("cdr", "starttime", _CDR, target="cdr"),
    "reports/queue/search": Report("queue_stat", "starttime", _QUEUE, target="queue_stat"),
    "reports/queue_details/search": Report("queue_report", "starttime", {**_QUEUE, "queue_id": "queue_id"}, "queue"),
    "reports/agent/search": Report("agent", "end", _AGENT, target="agent"),
    "reports/poll/search": Report("poll", "date", _POLL, target="poll"),
    "voicemails/inbox/search": Report("voicemail_inbox", "date", _INBOX),
    "autodialer/reports/search": Report("autodialer_reports", "date", _DIALER),
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
        message = query.first(call.state.collections.get("voicemail_inbox", []), "_id", wanted)
        name = str(message.get("filename", "")) if message else ""
    record = audio.find(call.state, name)
    if record is None or "number" not in record:
        raise FileNotFound()
    content, media_type = audio.render(name, audio.length_of(record))
    return Binary(content, media_type), None


def autodialer_info(call: SimotelCall) -> tuple[dict[str, Any], str]:
    """CDR details of one campaign try: ``_id`` is a ``tries[].cdr_id`` of an autodialer report."""
    wanted = str(call.params.get("_id") or "")
    record = query.first(call.state.collections.get("cdr", []), "_id", wanted)
    if record is None:
        raise OperationFailed()
    return {key: record[key] for key in ("dcontext", "amaflags", "channel", "duration", "wait")}, DONE
