"""One recorded exchange: its file (JSON, one per exchange, numbered in order) and a folder of them.

A file reads::

    {"exchange": 3, "api": "yemot", "direction": "api", "source": "...",
     "request": {"method": "POST", "path": "/ym/api/SendSms", "query": [["token", "<token:1>"]],
                 "headers": {"content-type": "..."}, "body": {"form": [["phones", "0501234567"]]}},
     "response": {"status": 200, "headers": {"content-type": "application/json"},
                  "body": {"json": {"responseStatus": "OK", ...}}}}

``direction`` is ``api`` (a client calling the platform) or ``webhook`` (the platform calling the
user's service). Bodies are described by ``bodies.py``; a binary body is a file beside the exchange
(``0003-SendSms.response.bin``). Files are written atomically: a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator import apis

DIRECTIONS = ("api", "webhook")
MAX_EXCHANGE_FILE_BYTES = 64 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class RecordingError(ValueError):
    """A recording folder or exchange file that cannot be used; the message says which and why."""


def api_of(path: str) -> str:
    """The registered API whose prefix ``path`` is under (``yemot`` for ``/ym/api/...``), else ``other``."""
    for spec in apis.registered():
        if path.startswith(spec.prefix + "/"):
            return spec.name
    return "other"


def operation_of(path: str) -> str:
    """The operation a path names: ``SendSms`` for ``/ym/api/SendSms``, ``pbx/users/add`` for Simotel."""
    api = api_of(path)
    return path[len(apis.named(api).prefix) + 1 :] if api != "other" else path.strip("/")


@dataclass
class Exchange:
    """A request and its answer as recorded (already redacted)."""

    index: int
    request: dict[str, Any]
    response: dict[str, Any]
    api: str = "other"
    direction: str = "api"
    source: str = ""
    folder: Path | None = field(default=None, compare=False)

    @property
    def operation(self) -> str:
        return operation_of(self.request.get("path", ""))

    @property
    def stem(self) -> str:
        name = _UNSAFE.sub("-", self.operation.replace("/", "_"))[:60] or "root"
        return f"{self.index:04d}-{name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "exchange": self.index,
            "api": self.api,
            "direction": self.direction,
            "source": self.source,
            "request": self.request,
            "response": self.response,
        }

    @classmethod
    def from_json(cls, data: Any, folder: Path | None = None, name: str = "?") -> Exchange:
        if not isinstance(data, dict):
            raise RecordingError(f"{name}: an exchange is a JSON object")
        request, response = data.get("request"), data.get("response")
        if not isinstance(request, dict) or not isinstance(request.get("path"), str):
            raise RecordingError(f"{name}: 'request' needs at least a 'path'")
        if not isinstance(response, dict) or not isinstance(response.get("status"), int):
            raise RecordingError(f"{name}: 'response' needs an integer 'status'")
        _check_request(request, name)
        if not isinstance(response.get("body", {}), dict) or not isinstance(response.get("headers", {}), dict):
            raise RecordingError(f"{name}: the response's 'body' and 'headers' are objects")
        direction = data.get("direction", "api")
        if direction not in DIRECTIONS:
            raise RecordingError(f"{name}: 'direction' is one of {', '.join(DIRECTIONS)}")
        index = data.get("exchange", 0)
        return cls(
            index=index if isinstance(index, int) else 0,
            request=request,
            response=response,
            api=str(data.get("api") or api_of(request["path"])),
            direction=direction,
            source=str(data.get("source", "")),
            folder=folder,
        )

    def side_file(self, part: str) -> Path | None:
        """The file a binary body of ``part`` (``request`` or ``response``) is kept in, if any."""
        name = getattr(self, part).get("body", {}).get("file")
        if not isinstance(name, str) or self.folder is None or "/" in name or "\\" in name or name.startswith("."):
            return None
        return self.folder / name


def _check_request(request: dict[str, Any], name: str) -> None:
    query = request.get("query", [])
    if not isinstance(query, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in query
    ):
        raise RecordingError(f"{name}: the request's 'query' is a list of [name, value] text pairs")
    headers = request.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(value, str) for value in headers.values()):
        raise RecordingError(f"{name}: the request's 'headers' map names to text")
    if not isinstance(request.get("body", {}), dict) or not isinstance(request.get("method", "GET"), str):
        raise RecordingError(f"{name}: the request's 'body' is an object and its 'method' text")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_exchange(exchange: Exchange, folder: Path, side_files: dict[str, bytes] | None = None) -> Path:
    """Write the exchange (and its binary bodies, named in its body descriptions) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (side_files or {}).items():
        write_atomic(folder / name, content)
    path = folder / f"{exchange.stem}.json"
    text = json.dumps(exchange.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path


def exchange_files(folder: Path) -> list[Path]:
    """The exchange files of a recording, in recorded order (their names start with the number)."""
    if not folder.is_dir():
        raise RecordingError(f"{folder}: not a folder")
    return sorted(path for path in folder.glob("*.json") if path.name[:4].isdigit())


def load_recording(folder: Path) -> Iterator[Exchange]:
    """Every exchange of ``folder`` in order; a malformed file raises ``RecordingError``."""
    for path in exchange_files(folder):
        if path.stat().st_size > MAX_EXCHANGE_FILE_BYTES:
            raise RecordingError(f"{path.name}: larger than {MAX_EXCHANGE_FILE_BYTES} bytes")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RecordingError(f"{path.name}: not JSON ({exc})") from None
        yield Exchange.from_json(data, folder, path.name)


def next_index(folder: Path) -> int:
    """The number the next exchange written to ``folder`` takes (recordings can be continued)."""
    if not folder.is_dir():
        return 1
    numbers = [int(path.name[:4]) for path in exchange_files(folder)]
    return max(numbers, default=0) + 1
