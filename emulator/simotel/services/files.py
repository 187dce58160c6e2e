"""Uploads (announcement, fax, autodialer CSV and audio) and the fax download (reference §3.7, §3.10, §3.12).

An upload is kept in the ``uploads`` collection under the server-generated name the API returns
(``file-<YYYYMMDDhhmmss>-<5 digits>-<slug of the original name>_.wav`` and the like); later calls
refer to it by that name (announcement/fax ``file``, group ``filename``). Contents are stored in
base64 so snapshots stay JSON.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from emulator.core.http.params import Upload
from emulator.core.http.streaming import streamable
from emulator.simotel import query, records
from emulator.simotel.context import SimotelCall
from emulator.simotel.dates import gregorian, jalali
from emulator.simotel.envelope import Binary
from emulator.simotel.errors import FileNotFound, MissingField

UPLOADED = "1 file(s) uploaded successfully"
COLLECTION = "uploads"
TIFF = "image/tiff"


@dataclass(frozen=True)
class UploadKind:
    """How one upload service names what it stores and what it answers."""

    prefix: str
    suffix: str
    message: str
    media_type: str


KINDS = {
    "pbx/announcements/upload": UploadKind("file-", "_.wav", UPLOADED, "audio/wav"),
    "pbx/faxes/upload": UploadKind("sen_file-", "_.tiff", UPLOADED, TIFF),
    "autodialer/groups/upload": UploadKind("file-", ".csv", "", "text/csv"),
    "autodialer/announcements/upload": UploadKind("file-", "_.wav", "", "audio/wav"),
}


def _slug(original: str) -> str:
    return re.sub(r"[^a-z0-9]", "", original.lower()) or "file"


def upload(call: SimotelCall) -> tuple[dict[str, str], str]:
    """Store the multipart ``file`` part; ``data.filename`` is the name to use in later calls."""
    part = call.params.get("file")
    if not isinstance(part, Upload):
        raise MissingField("file")
    kind = KINDS[call.service]
    stamp = re.sub(r"\D", "", gregorian(call.now))
    name = f"{kind.prefix}{stamp}-{call.emulator.rng.randrange(10_000, 100_000)}-{_slug(part.filename)}{kind.suffix}"
    records.append(
        call.state,
        COLLECTION,
        {
            "filename": name,
            "original": part.filename,
            "service": call.service,
            "media_type": kind.media_type,
            "size": len(part.data),
            "content": base64.b64encode(part.data).decode("ascii"),
            "date": jalali(call.now),
        },
    )
    return {"filename": name}, kind.message


def find(state: Any, filename: str) -> dict[str, Any] | None:
    """The stored upload named ``filename`` (as ``upload`` answered it), or None."""
    return query.first(state.collections.get(COLLECTION, []), "filename", filename)


def content(stored: dict[str, Any]) -> bytes:
    """The bytes of a stored upload."""
    return base64.b64decode(stored.get("content", ""))


def fax_download(call: SimotelCall) -> tuple[Binary, None]:
    """The fax ``_id``'s document: the uploaded file, or its ``text`` as a page; plain 404 otherwise."""
    wanted = str(call.params.get("_id") or "")
    fax = query.first(call.state.collections.get("faxes", []), "_id", wanted)
    if fax is None:
        raise FileNotFound()
    stored = find(call.state, str(fax.get("file") or ""))
    if stored is not None:
        return Binary(streamable(str(stored.get("content", ""))), TIFF), None  # (sent in pieces)
    if fax.get("text"):
        return Binary(b"II*\x00" + str(fax["text"]).encode("utf-8"), TIFF), None
    raise FileNotFound()
