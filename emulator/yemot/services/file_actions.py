"""DownloadFile and FileAction (copy, move or rename, delete) on the IVR tree.

FileAction takes its sources from ``what`` and ``what0``..``whatN``. ``target`` that is an existing
folder (or any target of several sources) receives each source under its own name - except numbered
messages (``005.wav``), which take the folder's next number, like the admin site's paste; otherwise
``target`` is the new full path (rename). An existing file at the destination is overwritten.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.core.http.streaming import Base64Body
from emulator.yemot import ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import FileNotFound, MissingParameter, PathInvalid, YemotError
from emulator.yemot.paths import join, split, tree_path

_WHAT_N = re.compile(r"what(\d{1,4})")
_MESSAGE = re.compile(r"\d+\.([A-Za-z0-9]+)")


def download_file(call: YemotCall) -> Base64Body | bytes:
    """DownloadFile: the file's bytes, streamed from the stored copy (the wire answers every error
    with HTTP 404)."""
    system = call.require_system()
    return ivrtree.stream_bytes(system, ivrtree.canonical(call.params["path"]))


def _sources(params: dict[str, Any]) -> list[Any]:
    numbered = sorted(
        ((int(match.group(1)), value) for name, value in params.items() if (match := _WHAT_N.fullmatch(name))),
        key=lambda item: item[0],
    )
    sources = ([params["what"]] if params.get("what") not in (None, "") else []) + [v for _, v in numbered]
    if not sources:
        raise MissingParameter("what")
    return sources


def file_action(call: YemotCall) -> dict[str, Any]:
    """FileAction: one report per source; ``success`` is true when every source succeeded."""
    params = call.params
    action = params["action"]
    sources = _sources(params)
    target = None
    if action != "delete":
        if params.get("target") in (None, ""):
            raise MissingParameter("target")
        target = ivrtree.canonical(params["target"], "target")
    system = call.require_system()
    into_folder = target is not None and (len(sources) > 1 or ivrtree.folder_exists(system, target))
    reports = []
    failure = ""
    for raw in sources:
        report: dict[str, Any] = {"what": str(raw), "target": None, "success": False}
        try:
            source = ivrtree.canonical(raw, "what")
            report["what"] = tree_path(source)
            if action == "delete":
                if not ivrtree.delete(system, source):
                    raise FileNotFound()
            else:
                assert target is not None
                destination = _destination(system, source, target) if into_folder else target
                transfer = ivrtree.copy if action == "copy" else ivrtree.move
                transfer(system, source, destination, now=call.now)
                report["target"] = tree_path(destination)
            report["success"] = True
        except YemotError as exc:
            failure = failure or exc.message
        reports.append(report)
    return {"action": action, "success": not failure, "message": failure, "reports": reports}


def _destination(system: Any, source: str, folder: str) -> str:
    if not ivrtree.exists(system, source) and not ivrtree.folder_exists(system, source):
        raise FileNotFound()
    name = split(source)[1]
    if not name:
        raise PathInvalid()
    message = _MESSAGE.fullmatch(name)
    if message and ivrtree.exists(system, source):
        name = f"{ivrtree.next_number(system, folder)}.{message.group(1)}"
    return join(folder, name)
