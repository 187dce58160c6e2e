"""Telephony audio: reading WAV durations and converting uploads to 8 kHz mono 16-bit PCM WAV.

Decoding and resampling use ``miniaudio`` (maintained bindings of the miniaudio C library): it reads
WAV (PCM 8/16/24/32-bit, float, mu-law, A-law), MP3, FLAC and Ogg Vorbis from memory. Anything it
cannot decode raises ``Undecodable``; the caller decides what that means for the API.
"""

from __future__ import annotations

import io
import struct
import wave

import miniaudio

RATE = 8000
MAX_INPUT = 64 * 1024 * 1024


class Undecodable(ValueError):
    """Bytes that are not audio the emulator can decode."""


def to_telephony_wav(data: bytes) -> tuple[bytes, float]:
    """(8 kHz mono 16-bit PCM WAV bytes, duration in seconds) of any decodable audio."""
    if not data or len(data) > MAX_INPUT:
        raise Undecodable("empty or too large")
    try:
        decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE)
    except miniaudio.MiniaudioError as exc:
        raise Undecodable(str(exc)) from exc
    pcm = decoded.samples.tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(pcm)
    return out.getvalue(), round(decoded.num_frames / RATE, 3)


def wav_duration(data: bytes) -> float | None:
    """Seconds of a RIFF/WAVE file from its ``fmt `` and ``data`` chunks; None if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    offset, byte_rate, data_size = 12, None, None
    while offset + 8 <= len(data) and (byte_rate is None or data_size is None):
        chunk, size = struct.unpack_from("<4sI", data, offset)
        body = offset + 8
        if chunk == b"fmt " and size >= 16 and body + 16 <= len(data):
            byte_rate = struct.unpack_from("<I", data, body + 8)[0]
        elif chunk == b"data":
            data_size = min(size, len(data) - body)
        offset = body + size + (size & 1)
    if not byte_rate or data_size is None:
        return None
    return round(data_size / byte_rate, 3)
