"""The virtual IVR tree of a system: path checks, file lookups and numbered-file moves."""

from __future__ import annotations

import base64
import re

from emulator.yemot.errors import FileNotFound, PathInvalid, YemotError
from emulator.yemot.paths import BadPath, normalize_path
from emulator.yemot.state import IvrFile, YemotSystem

_NUMBERED = re.compile(r"(\d+)\.([A-Za-z0-9]+)", re.ASCII)


def canonical(path: object, name: str = "path") -> str:
    """The canonical form of a path parameter (``1/ext.ini``); PathInvalid if it leaves the tree."""
    if not isinstance(path, str) or ".." in re.split(r"[/:\\]", path):
        raise PathInvalid()
    try:
        return normalize_path(path)
    except BadPath as exc:
        raise PathInvalid() from exc


def join(folder: str, name: str) -> str:
    """``folder/name`` of canonical paths (the root folder is '')."""
    return f"{folder}/{name}" if folder else name


def split(path: str) -> tuple[str, str]:
    """(folder, file name) of a canonical path."""
    folder, _, name = path.rpartition("/")
    return folder, name


def file_exists(system: YemotSystem, path: str) -> bool:
    """Whether ``path`` (canonical) is a file of the tree."""
    return path in system.files


def folder_exists(system: YemotSystem, path: str) -> bool:
    """Whether any file lives under ``path`` (the root always exists)."""
    return path == "" or any(key.startswith(path + "/") for key in system.files)


def read_bytes(system: YemotSystem, path: str) -> bytes:
    """The file's bytes; FileNotFound if there is none."""
    entry = system.files.get(path)
    if entry is None:
        raise FileNotFound()
    return base64.b64decode(entry.data)


def read_text(system: YemotSystem, path: str) -> str:
    """The file as UTF-8 text (undecodable bytes replaced)."""
    return read_bytes(system, path).decode("utf-8", errors="replace")


def children(system: YemotSystem, folder: str) -> dict[str, IvrFile]:
    """The files directly inside ``folder``, by name."""
    out = {}
    for key, entry in system.files.items():
        parent, name = split(key)
        if parent == folder:
            out[name] = entry
    return out


def _numbered(files: dict[str, IvrFile]) -> dict[int, list[str]]:
    stems: dict[int, list[str]] = {}
    for name in files:
        match = _NUMBERED.fullmatch(name)
        if match:
            stems.setdefault(int(match.group(1)), []).append(name)
    return stems


def move_numbered_file(
    system: YemotSystem, *, source: str, target: str, newest: bool, block_minutes: int | None, now: float
) -> str:
    """Move the highest (``newest``) or lowest numbered file of ``source`` to the next number of ``target``.

    Every file sharing the number moves together (``005.wav`` with ``005.txt``) and counts as new in
    ``target`` (its time becomes ``now``). Refused when
    ``source`` has no numbered file, or when ``target`` got a file within ``block_minutes``.
    Returns the new stem, e.g. ``"007"``.
    """
    stems = _numbered(children(system, source))
    if not stems:
        raise YemotError("No file to move in folder")
    in_target = children(system, target)
    if block_minutes and any(entry.mtime >= now - block_minutes * 60 for entry in in_target.values()):
        raise YemotError("A new file exists in the target folder")
    stem = max(stems) if newest else min(stems)
    taken = _numbered(in_target)
    new_stem = f"{(max(taken) + 1) if taken else 0:03d}"
    for name in stems[stem]:
        extension = name.rsplit(".", 1)[1]
        moved = system.files.pop(join(source, name))
        system.files[join(target, f"{new_stem}.{extension}")] = IvrFile(data=moved.data, mtime=now)
    return new_stem
