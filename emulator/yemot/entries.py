"""How the IVR tree shows a file or folder in listings (GetIVR2Dir, GetFile, GetIVR2DirStats).

``fileType`` vocabulary (decided; only ``EXT`` is attested): ``EXT`` folders, ``AUDIO``, ``TTS``,
``INI``, ``HTML``, ``YMGR``, ``PDF``, ``TEXT`` and ``OTHER``. ``uniqueId`` is derived from the path,
so it is stable across listings and snapshots. ``mtime`` is Israel time ``dd/MM/yyyy HH:mm``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from emulator.yemot import ivrtree
from emulator.yemot.paths import ROOT, parent, split, tree_path
from emulator.yemot.state import IvrFile, YemotSystem
from emulator.yemot.timefmt import local

AUDIO = frozenset({"wav", "mp3", "ogg", "oga", "flac", "m4a", "aac", "wma", "amr", "opus", "webm", "gsm"})
_KINDS = {"tts": "TTS", "ini": "INI", "html": "HTML", "htm": "HTML", "ymgr": "YMGR", "pdf": "PDF", "txt": "TEXT"}
LISTED_AS = {"INI": "ini", "HTML": "html", "TEXT": None}  # every other kind is listed in ``files``


def extension(name: str) -> str:
    """Lower-case extension of a file name ('' if none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def file_type(name: str) -> str:
    ext = extension(name)
    return "AUDIO" if ext in AUDIO else _KINDS.get(ext, "OTHER")


def unique_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]  # an id, not a secret


def mtime_text(seconds: float) -> str:
    return local(seconds).strftime("%d/%m/%Y %H:%M")


def duration_text(seconds: float) -> str:
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def folder_entry(system: YemotSystem, key: str) -> dict[str, Any]:
    """A ``dirs`` entry: ``fileType`` EXT with the folder's own ``type`` and ``title``."""
    own = ivrtree.ext_ini(system, key, inherited=False)
    return {
        "exists": True,
        "name": split(key)[1],
        "uniqueId": unique_id(key),
        "what": tree_path(key),
        "fileType": "EXT",
        "extType": own.get("type"),
        "extTitle": own.get("title"),
    }


def file_entry(key: str, entry: IvrFile) -> dict[str, Any]:
    """A file entry; audio and TTS files add duration and who uploaded them, where known."""
    name = split(key)[1]
    kind = file_type(name)
    out: dict[str, Any] = {
        "exists": True,
        "name": name,
        "uniqueId": unique_id(key),
        "what": tree_path(key),
        "fileType": kind,
        "mtime": mtime_text(entry.mtime),
        "size": entry.size,
    }
    if kind in ("AUDIO", "TTS"):
        if entry.duration is not None:
            out["duration"] = entry.duration
            out["durationStr"] = duration_text(entry.duration)
        out["source"] = entry.source
        out["date"] = local(entry.mtime).strftime("%Y-%m-%d %H:%M:%S")
        out.update({field: value for field, value in (("phone", entry.phone), ("ip", entry.ip)) if value})
    return out


def entry_at(system: YemotSystem, key: str) -> dict[str, Any] | None:
    """The entry of a file or a folder at ``key``, or None if nothing is there."""
    found = ivrtree.get(system, key)
    if found is not None:
        return file_entry(key, found)
    return folder_entry(system, key) if ivrtree.folder_exists(system, key) else None


def parent_path(key: str) -> str:
    """``parentPath`` of a folder: its parent in ``ivr2:/`` form; '' for the root (it has none)."""
    return "" if key == ROOT else tree_path(parent(key))
