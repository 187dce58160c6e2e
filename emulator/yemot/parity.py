"""Replaying a recording of Yemot traffic on a target (``telephony-emulator parity``).

The recording's placeholders stand for the target's first system: its token, password and number.
A text file the recording read successfully (``GetTextFile`` answered ``OK`` with its ``contents``)
before any recorded request wrote it existed on the real system: it is written to the target first
(``UploadTextFile`` with the target's token), so the replay reads what the recording read. Files
written during the recording are left to the replay itself. Other files (audio that
``DownloadFile`` fetched) need a fixture that holds them (``parity --fixtures``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

READS = {"GetTextFile": "contents"}  # a method reading a text file -> its answer's text field
WRITES = frozenset({"UploadTextFile", "UploadFile", "FileAction"})


def placeholders(system: dict[str, Any]) -> dict[str, str]:
    """What ``<token:1>``, ``<password:1>`` and ``<account:1>`` stand for on the target."""
    return {"token": system["token"], "password": system["password"], "account": system["number"]}


def files_read(exchanges: list[Any], params_of: Callable[[Any], dict[str, Any]]) -> dict[str, str]:
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


def prepare(
    client: Any, prefix: str, exchanges: list[Any], values: dict[str, str], params_of: Callable[[Any], dict[str, Any]]
) -> list[str]:
    """Write the files the recording read to the target; the paths written."""
    token = values.get("token")
    if token is None:
        return []
    done = []
    for what, contents in files_read(exchanges, params_of).items():
        answer = client.post(f"{prefix}/UploadTextFile", data={"token": token, "what": what, "contents": contents})
        if answer.status_code == 200:
            done.append(what)
    return done
