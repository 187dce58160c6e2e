"""Reading the IVR tree: GetIVR2Dir, GetIVR2DirStats, GetFile, CheckIfFolderExists, GetIvrTree."""

from __future__ import annotations

from typing import Any

from emulator.yemot import entries, ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import ExtensionNotFound, FileNotFound
from emulator.yemot.paths import display_path, join, tree_path
from emulator.yemot.state import IvrFile, YemotSystem

_ORDER_KEYS = {
    "name": lambda name, entry: name,
    "date": lambda name, entry: entry.mtime,
    "mtime": lambda name, entry: entry.mtime,
    "size": lambda name, entry: entry.size,
    "uploader": lambda name, entry: entry.phone or entry.ip or "",
    "source": lambda name, entry: entry.source,
    "customerdid": lambda name, entry: "",
}


def _folder(call: YemotCall, name: str = "path") -> tuple[YemotSystem, str]:
    system = call.require_system()
    key = ivrtree.canonical(call.params[name], name)
    if not ivrtree.folder_exists(system, key):
        raise ExtensionNotFound()
    return system, key


def _grouped(system: YemotSystem, folder: str) -> dict[str, list[tuple[str, IvrFile]]]:
    groups: dict[str, list[tuple[str, IvrFile]]] = {"files": [], "ini": [], "html": []}
    for name, entry in ivrtree.listing(system, folder)[1].items():
        kind = entries.file_type(name)
        group = entries.LISTED_AS.get(kind, "files")
        if group is not None:
            groups[group].append((name, entry))
    return groups


def get_ivr2_dir(call: YemotCall) -> dict[str, Any]:
    """GetIVR2Dir: sub-extensions, files (ordered and paged by filesFrom/filesLimit), ini, html, extIni."""
    system, folder = _folder(call)
    params = call.params
    groups = _grouped(system, folder)
    order = _ORDER_KEYS[params.get("orderBy") or "name"]
    files = sorted(groups["files"], key=lambda item: order(*item), reverse=params.get("orderDir") == "desc")
    start = params.get("filesFrom") or 0
    limit = params.get("filesLimit")
    files = files[start : None if limit is None else start + limit]
    return {
        "extIni": ivrtree.ext_ini(system, folder),
        "thisPath": tree_path(folder),
        "parentPath": entries.parent_path(folder),
        "dirs": [entries.folder_entry(system, join(folder, name)) for name in ivrtree.listing(system, folder)[0]],
        "files": [entries.file_entry(join(folder, name), entry) for name, entry in files],
        "ini": [entries.file_entry(join(folder, name), entry) for name, entry in groups["ini"]],
        "messages": [],
        "html": [entries.file_entry(join(folder, name), entry) for name, entry in groups["html"]],
        "msgDescriptions": {},
    }


def get_ivr2_dir_stats(call: YemotCall) -> dict[str, Any]:
    """GetIVR2DirStats: counts, and the lowest and highest numbered message (``minFile``/``maxFile``)."""
    system, folder = _folder(call)
    dirs, files = ivrtree.listing(system, folder)
    groups = _grouped(system, folder)
    messages = {
        number: names
        for number, names in ivrtree.numbered(files).items()
        if any(entries.file_type(name) in ("AUDIO", "TTS") for name in names)
    }

    def pick(number: int | None) -> dict[str, Any] | None:
        if number is None:
            return None
        names = sorted(messages[number], key=lambda name: entries.file_type(name) != "AUDIO")
        key = join(folder, names[0])
        return {**entries.file_entry(key, files[names[0]]), "path": "/" + key}

    return {
        "type": ivrtree.ext_ini(system, folder, inherited=False).get("type"),
        "thisPath": tree_path(folder),
        "parentPath": entries.parent_path(folder),
        "dirsCount": len(dirs),
        "filesCount": sum(len(group) for group in groups.values()),
        "contentFilesCount": sum(len(names) for names in messages.values()),
        "minFile": pick(min(messages) if messages else None),
        "maxFile": pick(max(messages) if messages else None),
    }


def get_file(call: YemotCall) -> dict[str, Any]:
    """GetFile: the entry of a file, or of a folder (``fileType`` EXT); ERROR ``file does not exist``."""
    system = call.require_system()
    found = entries.entry_at(system, ivrtree.canonical(call.params["what"], "what"))
    if found is None:
        raise FileNotFound()
    return {"file": found}


def check_if_folder_exists(call: YemotCall) -> dict[str, Any]:
    """CheckIfFolderExists: ``folderExists`` and the path in ``ivr/...`` form."""
    key = ivrtree.canonical(call.params["path"])
    return {"folderExists": ivrtree.folder_exists(call.require_system(), key), "path": display_path(key)}


def get_ivr_tree(call: YemotCall) -> dict[str, Any]:
    """GetIvrTree (shape decided): the folder and every sub-folder below it, nested, with file counts."""
    system, folder = _folder(call)

    def node(key: str) -> dict[str, Any]:
        dirs, files = ivrtree.listing(system, key)
        own = ivrtree.ext_ini(system, key, inherited=False)
        return {
            "name": key.rpartition("/")[2],
            "what": tree_path(key),
            "extType": own.get("type"),
            "extTitle": own.get("title"),
            "filesCount": len(files),
            "dirs": [node(join(key, name)) for name in dirs],
        }

    return {"tree": node(folder)}
