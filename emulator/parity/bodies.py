"""A body as an exchange file describes it, and the bytes a replay sends for that description.

Descriptions (one key says the kind):

- ``{}``: no body;
- ``{"json": value}``: a JSON body;
- ``{"form": [[name, value], ...]}``: ``application/x-www-form-urlencoded``, in order, repeats kept;
- ``{"multipart": [{"name": n, "value": v} | {"name": n, "filename": f, "content_type": t,
  "file": "0002-UploadFile.request.part-1.bin", "size": s}]}``: multipart form data;
- ``{"text": "..."}``: any other body that is UTF-8 text;
- ``{"file": "0002-X.response.bin", "size": n}``: binary, kept in a file beside the exchange;
- ``{"truncated": true, "size": n}``: larger than the recorder keeps (not replayable).
"""

from __future__ import annotations

import json
import uuid
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl, urlencode

from emulator.core.http import jsonsafe

TEXT_LIMIT = 256 * 1024  # a text body above this is kept in a side file


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def describe(content_type: str | None, data: bytes, side_name: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The description of ``data`` and the side files it names (``side_name`` + a suffix)."""
    if not data:
        return {}, {}
    kind = media_type(content_type)
    if kind == "multipart/form-data":
        described = _multipart(content_type or "", data, side_name)
        if described is not None:
            return described
    text = _text(data)
    if text is not None and (kind.endswith("json") or kind.endswith("+json") or text[:1] in "{["):
        try:
            return {"json": jsonsafe.loads(text)}, {}
        except ValueError:
            pass
    if text is not None and kind == "application/x-www-form-urlencoded":
        return {"form": parse_qsl_text(text)}, {}
    if text is not None and len(data) <= TEXT_LIMIT:
        return {"text": text}, {}
    name = f"{side_name}.bin"
    return {"file": name, "size": len(data)}, {name: data}


def parse_qsl_text(query: bytes | str) -> list[list[str]]:
    """A query string as ``[[name, value], ...]``, in order, repeats and empty values kept."""
    text = query.decode("latin-1") if isinstance(query, bytes) else query
    return [list(pair) for pair in parse_qsl(text, keep_blank_values=True)]


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if "\x00" not in text else None


def _multipart(content_type: str, data: bytes, side_name: str) -> tuple[dict[str, Any], dict[str, bytes]] | None:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + data)
    if not message.is_multipart():
        return None
    parts: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    for number, part in enumerate(message.iter_parts(), start=1):
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is None and _text(payload) is not None:
            parts.append({"name": name, "value": payload.decode("utf-8")})
            continue
        side = f"{side_name}.part-{number}.bin"
        files[side] = payload
        parts.append(
            {
                "name": name,
                "filename": filename,
                "content_type": part.get_content_type(),
                "file": side,
                "size": len(payload),
            }
        )
    return {"multipart": parts}, files


def build(description: dict[str, Any], read_side: Any) -> tuple[bytes, str | None]:
    """The bytes to send for ``description`` and the content type they need (``None``: keep the
    recorded one). ``read_side(name)`` returns a side file's bytes."""
    if "json" in description:
        return json.dumps(description["json"], ensure_ascii=False).encode("utf-8"), None
    if "form" in description:
        return urlencode([tuple(pair) for pair in description["form"]]).encode("ascii"), None
    if "text" in description:
        return str(description["text"]).encode("utf-8"), None
    if "file" in description:
        return read_side(description["file"]), None
    if "multipart" in description:
        return _build_multipart(description["multipart"], read_side)
    return b"", None


def _build_multipart(parts: list[dict[str, Any]], read_side: Any) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = bytearray()
    for part in parts:
        disposition = f'form-data; name="{part.get("name", "")}"'
        if "file" in part:
            disposition += f'; filename="{part.get("filename") or "file"}"'
            kind = part.get("content_type") or "application/octet-stream"
            head = f"Content-Disposition: {disposition}\r\nContent-Type: {kind}"
            content = read_side(part["file"])
        else:
            head, content = f"Content-Disposition: {disposition}", str(part.get("value", "")).encode("utf-8")
        out += f"--{boundary}\r\n{head}\r\n\r\n".encode() + content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"
