"""What the outside world does to the PBX beyond calls: faxes arriving, and survey answers.

``receive_fax`` stores an inbound fax in the ``faxes`` collection (``type`` ``inbox``; its document is
a one-page TIFF naming the sender, so ``pbx/faxes/download`` serves it) and fires ``IncomingFax``.
``survey`` stores a ``reports/poll`` record and fires ``Survey``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.simotel import events, records
from emulator.simotel.dates import jalali
from emulator.simotel.records import CallFacts

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

FAX_FAILURE = "Unexpected message received"


def receive_fax(
    emulator: Emulator, *, src: str, dst: str, entry_point: str = "main", pages: int = 1, success: bool = True
) -> dict[str, Any]:
    """An inbound fax from ``src`` to ``dst``; the stored record."""
    state = emulator.world.simotel
    now = emulator.clock.now()
    sequence = emulator.telephony.new_call_number()
    status = "SUCCESS" if success else "FAILED"
    record = records.append(
        state,
        "faxes",
        {"type": "inbox", "src": src, "dst": dst, "status": status, "file": "", "text": f"Fax from {src}",
         "description": "", "ext": dst, "trunk": entry_point, "channel": f"SIP/{entry_point}",
         "date": jalali(now)},
    )  # fmt: skip
    description = {
        "REMOTESTATIONID": "unknown",
        "FAXRESOLUTION": "8031x7700",
        "FAXBITRATE": "14400" if success else "9600",
        "FAXERROR": "None" if success else FAX_FAILURE,
        "FAXSTATUS": status,
        "FAXPAGES": str(pages if success else 0),
        "FAXSTATUSSTRING": "OK" if success else FAX_FAILURE,
    }
    events.emit(
        emulator,
        "IncomingFax",
        {"fax_id": record["_id"], "entry_point": entry_point, "unique_id": f"{int(now)}.{sequence}",
         "date": events.stamp(emulator), "description": description, "src": src, "state": status, "dst": dst},
    )  # fmt: skip
    return record


def survey(emulator: Emulator, facts: CallFacts, *, point: int, label: str, queue: str) -> dict[str, Any]:
    """A caller's survey answer ``point`` at the end of ``facts``' call (``dst`` = the agent)."""
    state = emulator.world.simotel
    record = records.append(state, "poll", records.poll(facts, point=point, label=label, qnum=queue))
    events.emit(
        emulator,
        "Survey",
        {"unique_id": facts.uniqueid, "src": facts.src, "dst": facts.dst, "queue": queue,
         "date": events.stamp(emulator), "point": point, "label": label},
    )  # fmt: skip
    return record
