"""Compressed answers of web services, inflated no further than the reader's cap.

httpx inflates each piece of a ``gzip`` or ``deflate`` body whole: a 64 KiB piece of zeros
becomes 64 MiB at once, whatever the reader then keeps. ``Inflater`` inflates with zlib's
``max_length``, so a reader that wants ``room`` more bytes gets at most ``room + 1`` (one more
tells it the body is longer) and the rest of the input is never inflated.
"""

from __future__ import annotations

import zlib

import httpx

ACCEPTED_ENCODINGS = "gzip, deflate"
"""The ``Accept-Encoding`` of service exchanges: the codings ``Inflater`` reads."""

_GZIP = {"gzip", "x-gzip"}
_IDENTITY = {"", "identity"}


class Inflater:
    """Inflates one body whose ``Content-Encoding`` is ``encoding``; raises ``httpx.DecodingError``
    for an encoding it cannot read or a body that does not inflate."""

    def __init__(self, encoding: str | None) -> None:
        codings = [part.strip().lower() for part in (encoding or "").split(",")]
        codings = [coding for coding in codings if coding not in _IDENTITY]
        if len(codings) > 1 or (codings and codings[0] not in _GZIP | {"deflate"}):
            raise httpx.DecodingError(f"content encoding {encoding!r} is not supported")
        self._coding = codings[0] if codings else ""
        self._zlib: zlib._Decompress | None = None
        if self._coding in _GZIP:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._first = True

    @property
    def identity(self) -> bool:
        return not self._coding

    def feed(self, data: bytes, room: int) -> bytes:
        """The next inflated bytes of ``data``, at most ``room + 1`` of them."""
        if self.identity:
            return data
        if self._zlib is None:  # deflate: a zlib stream, or (as some servers send it) a raw one
            self._zlib = zlib.decompressobj()
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error as exc:
            if not (self._first and self._coding == "deflate"):
                raise httpx.DecodingError(f"the {self._coding} body does not inflate ({exc})") from exc
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._first = False
            return self.feed(data, room)
        self._first = False
        return out
