"""What a recording read, put on the target before the replay.

A Yemot text file the recording read successfully (``GetTextFile`` answered ``OK`` with its
``contents``) before any recorded request wrote it existed on the real system: it is written to the
target first (``UploadTextFile`` with the target's token), so the replay reads what the recording
read. Files written during the recording are left to the replay itself. Other files (audio that
``DownloadFile`` fetched) need a fixture that holds them (``parity --fixtures``).
"""

from __future__ import annotations

from typing import Any

import httpx

from emulator.parity.exchange import Exchange
from emulator.parity.playback import body_params
from emulator.runtime import PREFIXES

READS = {"GetTextFile": "contents"}  # a Yemot method reading a text file -> its answer's text field
WRITES = frozenset({"UploadTextFile", "UploadFile", "FileAction"})


def params_of(exchange: Exchange) -> dict[str, Any]:
    """A recorded request's parameters, query and body together (the last of a repeated name)."""
    request = exchange.request
    return dict(list(request.get("query") or []) + body_params(request.get("body") or {}))


def files_read(exchanges: list[Exchange]) -> dict[str, str]:
    """``{path: text}`` of the text files the recording read before writing them."""
    found: dict[str, str] = {}
    written: set[str] = set()
    for exchange in exchanges:
        if exchange.api != "yemot" or exchange.direction != "api":
            continue
        what = params_of(exchange).get("what")
        if not isinstance(what, str):
            continue
        if exchange.operation in WRITES:
            written.add(what)
            continue
        field = READS.get(exchange.operation)
        answer = (exchange.response.get("body") or {}).get("json")
        if field and isinstance(answer, dict) and answer.get("responseStatus") == "OK" and what not in written:
            contents = answer.get(field)
            if isinstance(contents, str):
                found.setdefault(what, contents)
    return found


def prepare(client: httpx.Client, exchanges: list[Exchange], token: str | None) -> list[str]:
    """Write the files the recording read to the target; the paths written."""
    if token is None:
        return []
    done = []
    for what, contents in files_read(exchanges).items():
        form = {"token": token, "what": what, "contents": contents}
        answer = client.post(f"{PREFIXES['yemot']}/UploadTextFile", data=form)
        if answer.status_code == 200:
            done.append(what)
    return done
