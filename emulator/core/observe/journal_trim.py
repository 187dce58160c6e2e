"""Shortening what the journal keeps of one request, when its parameters or answer are too long.

Only entries over their cap come here (the hot path compares one length). The JSON is decoded,
secrets are redacted first (a shortened secret would otherwise escape redaction on read), and every
text longer than the value cap becomes ``{"$truncated": <its first characters>, "length": <real
length>}``; a list longer than the item cap becomes ``{"$truncated": <its first items>, "length":
<real length>}``. A document still over the cap after a second, tighter pass keeps only
``{"$truncated": null, "length": <its size in bytes>}``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from emulator.core.observe.redact import redact_mapping

MARK = "$truncated"
ENTRY_CAP = 64 * 1024  # bytes of parameters, and of answer, kept per entry
UNAUTHENTICATED_CAP = 4 * 1024  # the same for a request no tenant was found for
_ITEMS = (100, 10)  # list items kept by the first and the second pass

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def trimmed(raw: bytes, cap: int) -> bytes:
    """``raw`` (JSON) shortened to at most ``cap`` bytes, with markers where something was cut."""
    try:
        document = _decode(raw)
    except msgspec.DecodeError:
        return _encode({MARK: None, "length": len(raw)})
    if isinstance(document, dict):
        document = redact_mapping(document)
    value_cap = max(16, cap // 64)
    for text_cap, item_cap in ((value_cap, _ITEMS[0]), (max(8, value_cap // 16), _ITEMS[1])):
        shortened = _encode(_shorten(document, text_cap, item_cap))
        if len(shortened) <= cap:
            return shortened
    return _encode({MARK: None, "length": len(raw)})


def _shorten(value: Any, text_cap: int, item_cap: int) -> Any:
    if isinstance(value, str):
        return {MARK: value[:text_cap], "length": len(value)} if len(value) > text_cap else value
    if isinstance(value, dict):
        return {name: _shorten(item, text_cap, item_cap) for name, item in value.items()}
    if isinstance(value, list):
        kept = [_shorten(item, text_cap, item_cap) for item in value[:item_cap]]
        return {MARK: kept, "length": len(value)} if len(value) > item_cap else kept
    return value
