"""Recorded audio the emulator can serve: call recordings and voicemail messages, synthesised.

A file exists when a CDR names it in ``record`` or a voicemail inbox message in ``filename``.
Its bytes are generated on demand (deterministic silence of about the recorded length, capped),
so snapshots stay small: ``.mp3`` names give silent MPEG-1 Layer III frames, anything else a WAV.
"""

from __future__ import annotations

import struct
from typing import Any

from emulator.simotel.state import SimotelState

MAX_SECONDS = 5
_MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)  # 128 kbit/s, 44.1 kHz, one silent frame of 1152 samples
_MP3_FRAMES_PER_SECOND = 38
_WAV_RATE = 8000


def find(state: SimotelState, name: str) -> dict[str, Any] | None:
    """The record that owns audio file ``name`` (a CDR or an inbox message), or None."""
    if not name:
        return None
    for record in state.collections.get("cdr", []):
        if record.get("record") == name:
            return record
    for record in state.collections.get("voicemail_inbox", []):
        if record.get("filename") == name:
            return record
    return None


def render(name: str, seconds: float) -> tuple[bytes, str]:
    """``(bytes, media type)`` of file ``name`` lasting ``seconds`` (at least 1, at most MAX_SECONDS)."""
    length = max(1, min(MAX_SECONDS, round(seconds)))
    if name.lower().endswith(".mp3"):
        return _MP3_FRAME * (_MP3_FRAMES_PER_SECOND * length), "audio/mpeg"
    samples = bytes([128]) * (_WAV_RATE * length)  # 8-bit unsigned PCM silence
    header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, _WAV_RATE, _WAV_RATE, 1, 8)
    header += b"data" + struct.pack("<I", len(samples))
    return header + samples, "audio/wav"


def length_of(record: dict[str, Any]) -> float:
    """Seconds of audio a record stands for (talk time of a call, length of a message)."""
    return float(record.get("billsec") or record.get("duration") or 1)
