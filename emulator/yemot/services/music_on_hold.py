"""Music-on-hold classes: a named class bound to a folder of audio (semantics decided; the sources
name only the parameters of CreateMusicOnHolds, DeleteMusicOnHolds and GetMusicOnHoldByPath)."""

from __future__ import annotations

import re
from typing import Any

from emulator.yemot import ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import ExtensionNotFound, MusicOnHoldNameInvalid, MusicOnHoldNotFound
from emulator.yemot.paths import tree_path

_MOH_NAME = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def create_music_on_holds(call: YemotCall) -> dict[str, Any]:
    """CreateMusicOnHolds: bind class ``name`` to the audio folder ``folderPath`` (``status`` OK)."""
    system = call.require_system()
    name = call.params["name"]
    if not _MOH_NAME.fullmatch(name):
        raise MusicOnHoldNameInvalid()
    folder = ivrtree.canonical(call.params["folderPath"], "folderPath")
    if not ivrtree.folder_exists(system, folder):
        raise ExtensionNotFound()
    system.tree.music_on_hold[name] = folder
    return {"status": "OK", "name": name, "folderPath": tree_path(folder)}


def delete_music_on_holds(call: YemotCall) -> dict[str, Any]:
    """DeleteMusicOnHolds: remove class ``name``."""
    if call.require_system().tree.music_on_hold.pop(call.params["name"], None) is None:
        raise MusicOnHoldNotFound()
    return {}


def get_music_on_hold_by_path(call: YemotCall) -> dict[str, Any]:
    """GetMusicOnHoldByPath: ``data`` - the classes bound to the folder, comma-separated ('' for none)."""
    system = call.require_system()
    folder = ivrtree.canonical(call.params["path"])
    names = sorted(name for name, bound in system.tree.music_on_hold.items() if bound == folder)
    return {"data": ",".join(names)}
