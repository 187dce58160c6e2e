"""Call audio in one format, telephony WAV (8 kHz, mono, 16-bit PCM), so a call's prompts join into
one file: uploaded prompts (WAV, MP3, FLAC...) and espeak-ng's speech are decoded and resampled by
``core.media.audio`` (miniaudio). Decoding is CPU work: callers run ``pcm`` in a worker thread.
"""

from __future__ import annotations

import struct

from emulator.core.media import audio

RATE = audio.RATE
MAX_SECONDS = 1800.0  # of one WAV the emulator builds (a whole call): longer calls are cut here
_LIMIT = int(MAX_SECONDS * RATE) * 2
_HEADER = 44


class WavError(ValueError):
    """Bytes that are not audio the emulator can decode."""


def pcm(data: bytes) -> bytes:
    """The samples of any decodable audio file as telephony PCM (8 kHz mono 16-bit little-endian)."""
    try:
        telephony, _ = audio.to_telephony_wav(data, cap=_LIMIT + _HEADER)
    except (audio.Undecodable, audio.TooLong) as exc:
        raise WavError(str(exc) or "not audio") from exc
    return bytes(telephony[_HEADER:])


def silence(seconds: float) -> bytes:
    """``seconds`` of silence (at most ``MAX_SECONDS``)."""
    return b"\0\0" * int(RATE * max(0.0, min(seconds, MAX_SECONDS)))


def build(pieces: list[bytes]) -> bytes:
    """One telephony WAV file of PCM pieces (cut at ``MAX_SECONDS``)."""
    body = b"".join(pieces)[:_LIMIT]
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, RATE, RATE * 2, 2, 16)
    return b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE" + fmt + b"data" + struct.pack("<I", len(body)) + body
