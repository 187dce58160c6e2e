"""File bodies streamed from the state: bytes kept as base64 text, decoded a piece at a time.

A download of a stored file used to decode the whole file, then hand it to the server, whose
transport kept another copy of whatever the socket had not taken yet: eight concurrent downloads of
a 60 MiB file held over half a gigabyte. A ``Base64Body`` holds only a reference to the stored text
(an immutable ``str`` shared with the state) and yields ``PIECE`` decoded bytes at a time; the ASGI
server's flow control holds the next piece back until the socket drained the last, so a download in
flight costs a piece or two, whatever the file's size.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

PIECE = 256 * 1024  # bytes sent per ASGI message
_STEP = PIECE // 3 * 4  # base64 characters per piece (a multiple of 4: pieces decode on their own)


class Base64Body:
    """The bytes of base64 ``text`` (as ``base64.b64encode`` writes it), for a response body."""

    __slots__ = ("size", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text) // 4 * 3 - text[-2:].count("=")

    def __len__(self) -> int:
        return self.size

    def pieces(self) -> Iterator[bytes]:
        """The decoded bytes, ``PIECE`` at a time (the last piece may be shorter)."""
        text = self.text
        for start in range(0, len(text), _STEP):
            yield binascii.a2b_base64(text[start : start + _STEP], strict_mode=True)

    def __bytes__(self) -> bytes:
        return base64.b64decode(self.text)


def streamable(text: str) -> Base64Body | bytes:
    """A ``Base64Body`` of stored base64 ``text``; text whose length cannot be base64's (a hand-made
    snapshot may hold any) is decoded whole, leniently, as before. (Pieces decode strictly: a stray
    character further in ends the download early rather than send other bytes than stored.)"""
    if text.isascii() and len(text) % 4 == 0:
        return Base64Body(text)
    return base64.b64decode(text)
