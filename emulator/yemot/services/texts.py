"""Text files and extension settings: GetTextFile, UploadTextFile, UpdateExtension.

Decisions: UploadTextFile into a folder that does not exist answers OK and writes nothing (observed
live by a third-party client; UpdateExtension is what creates extensions). UpdateExtension merges
the keys it is given into ext.ini; a key sent with an empty value is removed; keys not sent stay.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.yemot import entries, ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    FileNotFound,
    MissingParameter,
    NotATextFile,
    PathInvalid,
    SettingInvalid,
)
from emulator.yemot.paths import parent
from emulator.yemot.services.uploads import ALLOWED

_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
MAX_VALUE = 2000
NOT_SETTINGS = frozenset({"path", "token"})


def get_text_file(call: YemotCall) -> dict[str, Any]:
    """GetTextFile: ``contents`` and the file entry; bytes that are not UTF-8 are not a text file."""
    system = call.require_system()
    key = ivrtree.canonical(call.params["what"], "what")
    entry = ivrtree.get(system, key)
    if entry is None:
        raise FileNotFound()
    try:
        contents = ivrtree.read_bytes(system, key).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotATextFile() from exc
    return {"contents": contents, "file": entries.file_entry(key, entry)}


def upload_text_file(call: YemotCall) -> dict[str, Any]:
    """UploadTextFile: create or overwrite a text file of an existing extension."""
    system = call.require_system()
    key = ivrtree.canonical(call.params["what"], "what")
    contents = call.params.get("contents")
    if contents is None:
        raise MissingParameter("contents")
    if not isinstance(contents, str):
        contents = str(contents)
    if entries.extension(key) not in ALLOWED or ivrtree.folder_exists(system, key):
        raise PathInvalid()
    if ivrtree.folder_exists(system, parent(key)):
        ivrtree.write_text(system, key, contents, now=call.now, ip=call.client_ip or None)
    return {}


def _setting(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | str):
        text = str(value)
        if len(text) <= MAX_VALUE and "\n" not in text and "\r" not in text:
            return text
    raise SettingInvalid(key)


def update_extension(call: YemotCall) -> dict[str, Any]:
    """UpdateExtension: create the extension (and its parents) and merge the given ext.ini keys."""
    system = call.require_system()
    folder = ivrtree.canonical(call.params["path"])
    if ivrtree.exists(system, folder):
        raise PathInvalid()
    values: dict[str, str] = {}
    for key, value in call.params.items():
        if key in NOT_SETTINGS:
            continue
        if not _KEY.fullmatch(key):
            raise SettingInvalid(key[:64])
        values[key] = _setting(key, value)
    current = ivrtree.ext_ini(system, folder, inherited=False)
    merged = {**current, **values}
    if values:
        ivrtree.set_ext_ini(system, folder, merged, now=call.now, replace_all=True)
    else:
        ivrtree.make_folder(system, folder, now=call.now)
    return {}
