"""The virtual IVR tree of a system: the one home of every file (public API, used by all services).

Keys are canonical paths (``paths.normalize_path``): ``1/000.wav``, ``1/2`` for a folder, ``''`` for
the root. Nothing here touches the real file system. Summary of the API:

- ``canonical(text)``                      any client spelling -> key, ``PathInvalid`` if hostile
- ``get / exists / read_bytes / read_text``  one file (``FileNotFound`` when reading a missing one)
- ``put / write_text``                      create or overwrite a file (parents appear), quota-checked
- ``delete``                                a file, or a folder with everything below it
- ``make_folder / folder_exists / listing``  folders and their direct children
- ``copy / move``                           a file or a whole folder
- ``ext_ini(system, folder, inherited)``    settings of an extension (``extini``), parents' keys included
- ``next_number / move_numbered_file``      numbered messages ``000``, ``001``, ...
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace

from emulator.core.http.streaming import Base64Body, streamable
from emulator.yemot import extini
from emulator.yemot.errors import FileNotFound, PathInvalid, TreeFull, YemotError
from emulator.yemot.paths import ROOT, BadPath, ancestors, is_within, join, normalize_path, split
from emulator.yemot.state import IvrFile, IvrTree, YemotSystem

EXT_INI = "ext.ini"
_NUMBERED = re.compile(r"(\d+)\.([A-Za-z0-9]+)", re.ASCII)

__all__ = [
    "EXT_INI", "canonical", "join", "split", "get", "exists", "read_bytes", "read_text", "put", "write_text",
    "delete", "make_folder", "folder_exists", "listing", "copy", "move", "ext_ini", "set_ext_ini",
    "next_number", "move_numbered_file", "used_bytes",
]  # fmt: skip


def canonical(path: object, name: str = "path") -> str:
    """The canonical key of a path parameter; ERROR ``path is invalid`` if it is not a tree path."""
    try:
        return normalize_path(path)
    except BadPath as exc:
        raise PathInvalid() from exc


def _tree(system: YemotSystem) -> IvrTree:
    return system.tree


# -- files --------------------------------------------------------------------------------------------


def get(system: YemotSystem, key: str) -> IvrFile | None:
    """The file at ``key``, or None."""
    return _tree(system).files.get(key)


def exists(system: YemotSystem, key: str) -> bool:
    """Whether ``key`` is a file of the tree."""
    return key in _tree(system).files


def _stored_text(system: YemotSystem, key: str) -> str:
    """The file's bytes as stored (base64); ERROR ``file does not exist`` if there is none."""
    entry = get(system, key)
    if entry is None:
        raise FileNotFound()
    return _tree(system).blobs[entry.blob]


def read_bytes(system: YemotSystem, key: str) -> bytes:
    """The file's bytes; ERROR ``file does not exist`` if there is none."""
    return base64.b64decode(_stored_text(system, key))


def stream_bytes(system: YemotSystem, key: str) -> Base64Body | bytes:
    """The file's bytes as a body streamed from the stored text (no copy of the whole file)."""
    return streamable(_stored_text(system, key))


def read_text(system: YemotSystem, key: str) -> str:
    """The file as UTF-8 text (undecodable bytes replaced)."""
    return read_bytes(system, key).decode("utf-8", errors="replace")


def put(
    system: YemotSystem,
    key: str,
    data: bytes,
    *,
    now: float,
    phone: str | None = None,
    ip: str | None = None,
    source: str = "api",
    duration: float | None = None,
) -> IvrFile:
    """Create or overwrite the file ``key``; its folders appear. ERROR 105 past the system's quota."""
    tree = _tree(system)
    if key == ROOT or key in tree.folders:
        raise PathInvalid()
    old = tree.files.get(key)
    if used_bytes(system) - (old.size if old else 0) + len(data) > tree.quota_bytes:
        raise TreeFull()
    blob = hashlib.sha256(data).hexdigest()
    tree.blobs.setdefault(blob, base64.b64encode(data).decode("ascii"))
    entry = IvrFile(blob=blob, size=len(data), mtime=now, phone=phone, ip=ip, source=source, duration=duration)
    _place(tree, key, entry, now)
    if old is not None:
        _release(tree, old.blob)
    return entry


def write_text(system: YemotSystem, key: str, text: str, *, now: float, **who: str | None) -> IvrFile:
    """``put`` of UTF-8 text."""
    return put(system, key, text.encode("utf-8"), now=now, **who)


def _place(tree: IvrTree, key: str, entry: IvrFile, now: float) -> None:
    for folder in ancestors(key)[1:]:
        if folder in tree.files:
            raise PathInvalid()  # a file stands where a folder would go
        tree.folders.setdefault(folder, now)
    tree.files[key] = entry


def _release(tree: IvrTree, blob: str) -> None:
    if not any(entry.blob == blob for entry in tree.files.values()):
        tree.blobs.pop(blob, None)


def used_bytes(system: YemotSystem) -> int:
    """Bytes the tree's files take (each file counted, shared content or not)."""
    return sum(entry.size for entry in _tree(system).files.values())


# -- folders ------------------------------------------------------------------------------------------


def folder_exists(system: YemotSystem, key: str) -> bool:
    """Whether ``key`` is a folder: the root, a created folder, or one holding files."""
    tree = _tree(system)
    return key == ROOT or key in tree.folders or any(path.startswith(key + "/") for path in tree.files)


def make_folder(system: YemotSystem, key: str, *, now: float) -> bool:
    """Create the folder ``key`` and its parents; False if it already existed. ERROR if a file is there."""
    tree = _tree(system)
    if key == ROOT or key in tree.folders:
        return False
    for folder in [*ancestors(key)[1:], key]:
        if folder in tree.files:
            raise PathInvalid()
        tree.folders.setdefault(folder, now)
    return True


def listing(system: YemotSystem, folder: str) -> tuple[list[str], dict[str, IvrFile]]:
    """(names of sub-folders, files by name) directly inside ``folder``, both sorted by name."""
    tree = _tree(system)
    dirs: set[str] = set()
    files: dict[str, IvrFile] = {}
    for key in tree.folders:
        if key != folder and split(key)[0] == folder:
            dirs.add(split(key)[1])
    for key, entry in tree.files.items():
        if not is_within(key, folder) or key == folder:
            continue
        rest = key[len(folder) + 1 :] if folder else key
        head, sep, _ = rest.partition("/")
        if sep:
            dirs.add(head)
        else:
            files[head] = entry
    return sorted(dirs), dict(sorted(files.items()))


def delete(system: YemotSystem, key: str) -> bool:
    """Remove a file, or a folder with everything below it (its ext.ini too); False if nothing was there."""
    tree = _tree(system)
    if key in tree.files:
        entry = tree.files.pop(key)
        _release(tree, entry.blob)
        return True
    if key == ROOT or not folder_exists(system, key):
        return False
    for path in [path for path in tree.files if path.startswith(key + "/")]:
        del tree.files[path]
    for path in [path for path in tree.folders if path == key or path.startswith(key + "/")]:
        del tree.folders[path]
    _collect(tree)
    return True


def _collect(tree: IvrTree) -> None:
    live = {entry.blob for entry in tree.files.values()}
    for blob in [blob for blob in tree.blobs if blob not in live]:
        del tree.blobs[blob]


def copy(system: YemotSystem, source: str, target: str, *, now: float) -> None:
    """Copy a file or a folder (with its contents) to ``target``; content is shared, not duplicated."""
    _transfer(system, source, target, now=now, keep_source=True)


def move(system: YemotSystem, source: str, target: str, *, now: float) -> None:
    """Move (rename) a file or a folder to ``target``."""
    _transfer(system, source, target, now=now, keep_source=False)


def _transfer(system: YemotSystem, source: str, target: str, *, now: float, keep_source: bool) -> None:
    tree = _tree(system)
    if source == ROOT or target == ROOT or is_within(target, source):
        raise PathInvalid()
    if source in tree.files:
        entry = tree.files[source]
        if keep_source and used_bytes(system) + entry.size > tree.quota_bytes:
            raise TreeFull()
        if not keep_source:
            del tree.files[source]
        old = tree.files.get(target)
        _place(tree, target, replace(entry, mtime=now) if keep_source else entry, now)
        if old is not None:
            _collect(tree)
        return
    if not folder_exists(system, source):
        raise FileNotFound()
    moved = {path: entry for path, entry in tree.files.items() if path.startswith(source + "/")}
    if keep_source and used_bytes(system) + sum(entry.size for entry in moved.values()) > tree.quota_bytes:
        raise TreeFull()
    folders = [path for path in tree.folders if path == source or path.startswith(source + "/")]
    if not keep_source:
        for path in moved:
            del tree.files[path]
        for path in folders:
            del tree.folders[path]
    make_folder(system, target, now=now)
    for path in folders:
        tree.folders.setdefault(target + path[len(source) :], now)
    for path, entry in moved.items():
        _place(tree, target + path[len(source) :], replace(entry, mtime=now) if keep_source else entry, now)
    _collect(tree)


# -- extension settings ---------------------------------------------------------------------------------


def ext_ini(system: YemotSystem, folder: str, *, inherited: bool = True) -> dict[str, str]:
    """The settings of extension ``folder``; with ``inherited``, parents' keys fill in what it lacks.

    ``type`` and ``title`` describe one extension and are never inherited (``extini.OWN_KEYS``).
    """
    own = _own_ini(system, folder)
    if not inherited:
        return own
    merged: dict[str, str] = {}
    for above in ancestors(join(folder, EXT_INI))[:-1]:
        merged.update({k: v for k, v in _own_ini(system, above).items() if k not in extini.OWN_KEYS})
    merged.update(own)
    return merged


def _own_ini(system: YemotSystem, folder: str) -> dict[str, str]:
    key = join(folder, EXT_INI)
    return extini.parse(read_text(system, key)) if exists(system, key) else {}


def set_ext_ini(
    system: YemotSystem, folder: str, values: dict[str, str], *, now: float, replace_all: bool = False
) -> dict[str, str]:
    """Create extension ``folder`` if needed and merge ``values`` into its ext.ini (or replace it)."""
    make_folder(system, folder, now=now)
    settings = {} if replace_all else _own_ini(system, folder)
    settings.update(values)
    write_text(system, join(folder, EXT_INI), extini.render(settings), now=now)
    return settings


# -- numbered messages ----------------------------------------------------------------------------------


def numbered(files: dict[str, IvrFile]) -> dict[int, list[str]]:
    """File names of a folder grouped by their number (``005.wav`` and ``005.tts`` share 5)."""
    stems: dict[int, list[str]] = {}
    for name in files:
        match = _NUMBERED.fullmatch(name)
        if match:
            stems.setdefault(int(match.group(1)), []).append(name)
    return stems


def next_number(system: YemotSystem, folder: str) -> str:
    """The next free message number of ``folder``, zero-padded to 3 digits (``000`` when empty)."""
    taken = numbered(listing(system, folder)[1])
    return f"{(max(taken) + 1) if taken else 0:03d}"


def move_numbered_file(
    system: YemotSystem, *, source: str, target: str, newest: bool, block_minutes: int | None, now: float
) -> str:
    """Move the highest (``newest``) or lowest numbered file of ``source`` to the next number of ``target``.

    Every file sharing the number moves together (``005.wav`` with ``005.txt``) and counts as new in
    ``target`` (its time becomes ``now``). Refused when ``source`` has no numbered file, or when
    ``target`` got a file within ``block_minutes``. Returns the new stem, e.g. ``"007"``.
    """
    stems = numbered(listing(system, source)[1])
    if not stems:
        raise YemotError("No file to move in folder")
    in_target = listing(system, target)[1]
    if block_minutes and any(entry.mtime >= now - block_minutes * 60 for entry in in_target.values()):
        raise YemotError("A new file exists in the target folder")
    stem = max(stems) if newest else min(stems)
    new_stem = next_number(system, target)
    tree = _tree(system)
    for name in stems[stem]:
        extension = name.rsplit(".", 1)[1]
        moved = tree.files.pop(join(source, name))
        _place(tree, join(target, f"{new_stem}.{extension}"), replace(moved, mtime=now), now)
    return new_stem
