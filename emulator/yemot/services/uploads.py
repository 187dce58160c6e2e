"""UploadFile: one multipart file (``file``), or Fine Uploader chunks (``qqfile``) closed by ``UploadFile?done``.

Simple mode: ``path`` is the full file path; a folder (existing, root or ending in ``/``) is
``path is invalid``; a last name without extension is a folder that gets the next message number.
``autoNumbering=true`` makes ``path`` a folder and names the file ``NNN`` (next free number).
Chunked mode: ``path`` is always a folder and the name is ``qqfilename``; decodable audio without
``autoNumbering`` nests as ``<folder>/<stem>/NNN.wav`` (observed platform behaviour); other bytes land
flat (whether bytes are audio is read from their header: nothing is decoded without ``convertAudio``).
``convertAudio=1`` turns decodable audio into 8 kHz mono 16-bit WAV named ``<stem>.wav``, decoded in a
worker thread; bytes the emulator cannot decode are stored unchanged and the answer has no
``convertedSize``/``duration``. Audio whose converted file would pass ``audio.decoded_cap`` (or with an
absurd sample rate) is refused from its header with UploadFile's ``105 System error``, before decoding.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any, NamedTuple

from emulator.core.http.params import Upload
from emulator.core.media import audio
from emulator.yemot import entries, ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    FileUploadExpected,
    PathInvalid,
    PathRequired,
    SingleUploadOnly,
    TreeFull,
    YemotError,
)
from emulator.yemot.paths import display_path, join, split
from emulator.yemot.state import ChunkedUpload, IvrTree, YemotSystem

SINGLE_UPLOAD_MAX = 64 * 1024 * 1024  # 50 MB documented (AF97/post/468); 60 MB measured accepted, 70 MB not
MAX_PARTS = 10_000
UPLOAD_TTL_S = 3600.0  # an unfinished chunked upload is dropped an hour (emulator clock) after its last part
ALLOWED = entries.AUDIO | {"tts", "txt", "ini", "ymgr", "html", "htm", "csv", "json", "xml", "pdf"} | {
    "jpg", "jpeg", "png", "gif",
}  # fmt: skip


class _Placed(NamedTuple):
    """Where an upload goes, decided before any conversion: folder, file name, bytes, convert or not,
    and the folders to create (only once the file is accepted: a refused upload changes nothing)."""

    folder: str
    name: str
    data: bytes
    convert: bool
    folders: tuple[str, ...] = ()


async def upload_file(call: YemotCall) -> dict[str, Any]:
    """UploadFile in any of its three shapes; every error also carries ``success: false``."""
    try:
        _expire(call.require_system().tree, call.now)
        if "done" in call.params:
            placed = _finish_chunked(call)
        else:
            upload, field = _single_upload(call.params)
            if field == "qqfile":
                return _store_part(call, upload)
            placed = _simple(call, upload)
        return await _save(call, placed)
    except YemotError as exc:
        exc.extra.setdefault("success", False)
        exc.extra.setdefault("error", exc.message)
        raise


def _single_upload(params: dict[str, Any]) -> tuple[Upload, str]:
    found = [
        (item, name)
        for name, value in params.items()
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, Upload)
    ]
    if len(found) > 1:
        raise SingleUploadOnly()
    if not found or found[0][1] not in ("file", "qqfile"):
        raise FileUploadExpected()
    return found[0]


def _path(params: dict[str, Any]) -> tuple[str, str]:
    """(raw text, canonical key) of ``path``: 109 when missing, 110 when not a tree path."""
    raw = params.get("path")
    if raw is None or raw == "":
        raise PathRequired()
    if not isinstance(raw, str):
        raise PathInvalid()
    return raw, ivrtree.canonical(raw)


def _flags(params: dict[str, Any]) -> tuple[bool, bool, bool]:
    return bool(params.get("autoNumbering")), bool(params.get("tts")), bool(params.get("convertAudio"))


async def _convert(call: YemotCall, data: bytes, name: str, wanted: bool) -> tuple[bytes, str, dict[str, Any]]:
    """(stored bytes, stored name, extra answer fields) after an optional conversion to telephony WAV,
    run in a worker thread; 105 when the header promises more than the decoded-size cap."""
    if not wanted or entries.extension(name) not in entries.AUDIO | {""}:
        return data, name, {}
    cap = audio.decoded_cap(call.emulator.config.max_upload_bytes)
    try:
        converted, duration = await asyncio.to_thread(audio.to_telephony_wav, data, cap)
    except audio.Undecodable:
        return data, name, {}
    except audio.TooLong as exc:
        raise TreeFull() from exc
    stem = name.rpartition(".")[0] if entries.extension(name) else name
    return converted, f"{stem}.wav", {"convertedSize": len(converted), "duration": duration}


def _numbered_name(system: YemotSystem, folder: str, original: str, tts: bool) -> str:
    ext = "tts" if tts else (entries.extension(original) or "wav")
    return f"{ivrtree.next_number(system, folder)}.{ext}"


async def _save(call: YemotCall, placed: _Placed) -> dict[str, Any]:
    folder, data = placed.folder, placed.data
    stored, name, extra = await _convert(call, data, placed.name, placed.convert)
    for made in placed.folders:
        ivrtree.make_folder(call.require_system(), made, now=call.now)
    if entries.extension(name) not in ALLOWED:
        raise PathInvalid()
    key = join(folder, name)
    system = call.require_system()
    if ivrtree.folder_exists(system, key):
        raise PathInvalid()
    ivrtree.put(system, key, stored, now=call.now, ip=call.client_ip or None, duration=audio.wav_duration(stored))
    return {"path": display_path(key), "size": len(data), **extra, "success": True}


def _simple(call: YemotCall, upload: Upload) -> _Placed:
    if len(upload.data) > SINGLE_UPLOAD_MAX:
        raise TreeFull()
    raw, key = _path(call.params)
    auto, tts, convert = _flags(call.params)
    system = call.require_system()
    if auto:
        return _Placed(key, _numbered_name(system, key, upload.filename, tts), upload.data, convert, (key,))
    if raw.rstrip().endswith("/") or ivrtree.folder_exists(system, key):
        raise PathInvalid()
    folder, name = split(key)
    if not entries.extension(name):  # a name without extension is a folder: ``000`` -> ``000/000.wav``
        folder, name = key, f"{ivrtree.next_number(system, key)}.{'tts' if tts else 'wav'}"
    return _Placed(folder, name, upload.data, convert)


# -- chunked --------------------------------------------------------------------------------------------


def _expire(tree: IvrTree, now: float) -> None:
    for uuid in [uuid for uuid, pending in tree.uploads.items() if pending.started + UPLOAD_TTL_S < now]:
        del tree.uploads[uuid]


def _pending_bytes(tree: IvrTree) -> int:
    return sum(len(part) * 3 // 4 for pending in tree.uploads.values() for part in pending.parts.values())


def _uuid(params: dict[str, Any]) -> str:
    uuid = params.get("qquuid")
    if not isinstance(uuid, str) or not 0 < len(uuid) <= 64:
        raise TreeFull(error="qquuid is required")
    return uuid


def _store_part(call: YemotCall, upload: Upload) -> dict[str, Any]:
    """One chunk: kept by ``qqpartindex`` (a repeated index replaces the earlier bytes)."""
    params = call.params
    _path(params)
    uuid = _uuid(params)
    index, parts, total = params.get("qqpartindex"), params.get("qqtotalparts"), params.get("qqtotalfilesize")
    tree = call.require_system().tree
    if not all(isinstance(value, int) for value in (index, parts, total)):
        raise TreeFull(error="qqpartindex, qqtotalparts and qqtotalfilesize are required")
    if not (0 < parts <= MAX_PARTS and 0 <= index < parts) or len(upload.data) > SINGLE_UPLOAD_MAX:
        raise TreeFull(error="part out of range")
    if params.get("qqchunksize") not in (None, len(upload.data)):
        raise TreeFull(error="qqchunksize does not match the part")
    if ivrtree.used_bytes(call.require_system()) + _pending_bytes(tree) + len(upload.data) > tree.quota_bytes:
        raise TreeFull()
    name = str(params.get("qqfilename") or upload.filename or "")
    pending = tree.uploads.get(uuid)
    if pending is None or (pending.total_parts, pending.total_size) != (parts, total):
        pending = tree.uploads[uuid] = ChunkedUpload(
            uuid=uuid, filename=name, total_parts=parts, total_size=total, started=call.now
        )
    pending.parts[str(index)] = base64.b64encode(upload.data).decode("ascii")
    pending.started = call.now
    return {"success": True}


def _finish_chunked(call: YemotCall) -> _Placed:
    """``UploadFile?done``: join the parts in index order and place the file in the ``path`` folder."""
    params = call.params
    _, folder = _path(params)
    tree = call.require_system().tree
    pending = tree.uploads.get(_uuid(params))
    if pending is None or sorted(pending.parts, key=int) != [str(i) for i in range(pending.total_parts)]:
        raise FileUploadExpected()
    data = b"".join(base64.b64decode(pending.parts[str(i)]) for i in range(pending.total_parts))
    del tree.uploads[pending.uuid]
    if len(data) != pending.total_size:
        raise TreeFull(error="qqtotalfilesize does not match the parts")
    name = str(params.get("qqfilename") or pending.filename)
    if not name or "/" in name or ivrtree.canonical(name) != name:
        raise PathInvalid()
    auto, tts, convert = _flags(params)
    system = call.require_system()
    if auto:
        return _Placed(folder, _numbered_name(system, folder, name, tts), data, convert, (folder,))
    if entries.extension(name) in entries.AUDIO | {""} and audio.is_audio(data):
        nested = join(folder, name.rpartition(".")[0] if entries.extension(name) else name)
        return _Placed(nested, f"{ivrtree.next_number(system, nested)}.wav", data, convert, (folder, nested))
    return _Placed(folder, name, data, convert, (folder,))
