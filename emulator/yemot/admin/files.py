"""Control-plane view of a Yemot system's IVR tree: list or read, put and delete files for tests.

``GET    /__emulator__/yemot/systems/{number}/files?path=P``  a folder: its sub-folders and files
                                                            (``recursive=1``: everything below);
                                                            a file: its entry with ``base64`` content
                                                            (``raw=1``: the bytes themselves)
``PUT    ...?path=P``  the request body becomes the file (any bytes, up to the upload cap)
``DELETE ...?path=P``  a file, or a folder with everything in it
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import BadRequest, guarded, ok
from emulator.core.media import audio
from emulator.core.sim.clock import format_instant
from emulator.yemot import ivrtree
from emulator.yemot.errors import YemotError
from emulator.yemot.paths import BadPath, is_within, normalize_path, tree_path
from emulator.yemot.state import IvrFile, YemotSystem

MAX_PUT = 64 * 1024 * 1024


def _target(request: Request) -> tuple[YemotSystem, str]:
    number = request.path_params["number"]
    system = request.app.state.emulator.world.yemot.systems.get(number)
    if system is None:
        raise BadRequest(f"no Yemot system {number!r}")
    try:
        return system, normalize_path(request.query_params.get("path", ""))
    except BadPath as exc:
        raise BadRequest("'path' is not a valid IVR tree path") from exc


def _file_json(key: str, entry: IvrFile) -> dict[str, Any]:
    return {
        "path": tree_path(key),
        "size": entry.size,
        "mtime": format_instant(entry.mtime),
        "sha256": entry.blob,
        "source": entry.source,
        "phone": entry.phone,
        "ip": entry.ip,
        "duration": entry.duration,
    }


async def files(request: Request) -> Response:
    system, key = _target(request)
    if request.method == "PUT":
        return await _put(request, system, key)
    if request.method == "DELETE":
        if not ivrtree.delete(system, key):
            return ok({"error": f"nothing at {tree_path(key)}"}, status=404)
        return ok({"deleted": tree_path(key)})
    entry = ivrtree.get(system, key)
    if entry is not None:
        data = ivrtree.read_bytes(system, key)
        if request.query_params.get("raw") in ("1", "true"):
            return Response(data, media_type="application/octet-stream")
        return ok({**_file_json(key, entry), "base64": base64.b64encode(data).decode("ascii")})
    if not ivrtree.folder_exists(system, key):
        return ok({"error": f"nothing at {tree_path(key)}"}, status=404)
    if request.query_params.get("recursive") in ("1", "true"):
        tree = system.tree
        folders = sorted(path for path in tree.folders if is_within(path, key) and path != key)
        found = {path: entry for path, entry in sorted(tree.files.items()) if is_within(path, key)}
    else:
        names, children = ivrtree.listing(system, key)
        folders = [ivrtree.join(key, name) for name in names]
        found = {ivrtree.join(key, name): entry for name, entry in children.items()}
    return ok(
        {
            "path": tree_path(key),
            "folders": [tree_path(path) for path in folders],
            "files": [_file_json(path, entry) for path, entry in found.items()],
            "used_bytes": ivrtree.used_bytes(system),
            "quota_bytes": system.tree.quota_bytes,
        }
    )


async def _put(request: Request, system: YemotSystem, key: str) -> Response:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_PUT:
        raise BadRequest(f"a file may have at most {MAX_PUT} bytes")
    data = await request.body()
    if len(data) > MAX_PUT:
        raise BadRequest(f"a file may have at most {MAX_PUT} bytes")
    now = request.app.state.emulator.clock.now()
    try:
        entry = ivrtree.put(system, key, data, now=now, source="admin", duration=audio.wav_duration(data))
    except YemotError as exc:
        raise BadRequest(f"cannot store {tree_path(key)}: a folder is in the way or the quota is full") from exc
    return ok(_file_json(key, entry))


routes = [Route("/yemot/systems/{number}/files", guarded(files), methods=["GET", "PUT", "DELETE"])]
