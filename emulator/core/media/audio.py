"""Telephony audio: reading WAV durations and converting uploads to 8 kHz mono 16-bit PCM WAV.

Decoding and resampling use ``miniaudio`` (maintained bindings of the miniaudio C library): it reads
WAV (PCM 8/16/24/32-bit, float, mu-law, A-law), MP3, FLAC and Ogg Vorbis from memory. Anything it
cannot decode raises ``Undecodable``; the caller decides what that means for the API.

A few bytes of FLAC can claim hours of samples (constant subframes compress without limit) and a
1 Hz WAV is resampled 8,000-fold, so conversion reads the header first and refuses (``TooLong``),
before decoding anything, a stream whose sample rate is outside ``MIN_RATE``..``MAX_RATE`` or whose
telephony WAV would pass the cap (``decoded_cap``). The decode itself streams in blocks and stops
at the cap too, for streams whose header does not say how long they are. Callers run it in a
worker thread: a full hour of audio takes seconds to convert.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple

import miniaudio

RATE = 8000
BYTES_PER_SECOND = RATE * 2  # mono, 16-bit
MAX_SECONDS = 3600
MIN_RATE, MAX_RATE = 4_000, 384_000
UPLOAD_MULTIPLE = 4  # the converted file may be at most this many times the upload cap
_BLOCK_FRAMES = RATE * 8  # frames decoded per step of the stream
_WAV_HEADER = 44


class Undecodable(ValueError):
    """Bytes that are not audio the emulator can decode."""


class TooLong(ValueError):
    """Audio whose telephony WAV would pass the decoded-size cap (or with an absurd sample rate)."""


class Header(NamedTuple):
    """What an audio stream's header says: sample rate, channels and frames (0: not stated)."""

    rate: int
    channels: int
    frames: int


HOUR_CAP = MAX_SECONDS * BYTES_PER_SECOND + _WAV_HEADER  # bytes of an hour's telephony WAV


def decoded_cap(max_upload_bytes: int) -> int:
    """Bytes a converted file may hold: 4x the upload cap and at most an hour at 8 kHz."""
    return min(UPLOAD_MULTIPLE * max_upload_bytes, HOUR_CAP)


def read_header(data: bytes) -> Header | None:
    """The header of a WAV, FLAC, Ogg Vorbis or MP3 stream, without decoding it; None if not audio."""
    reader = _header_reader(data)
    if reader is None:
        return None
    try:
        info = reader(data)
    except Exception:  # miniaudio's DecodeError, and a ZeroDivisionError for a zero sample rate
        return None
    return Header(int(info.sample_rate), int(info.nchannels), max(0, int(info.num_frames)))


def _header_reader(data: bytes) -> Callable[[bytes], miniaudio.SoundFileInfo] | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return miniaudio.wav_get_info
    if data[:4] == b"fLaC":
        return miniaudio.flac_get_info
    if data[:4] == b"OggS":
        return miniaudio.vorbis_get_info
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return miniaudio.mp3_get_info  # (counts frames by their headers, decoding none)
    return None


def is_audio(data: bytes) -> bool:
    """Whether ``data`` starts like audio: a WAV, FLAC or Ogg Vorbis header that reads, or an MP3's
    ID3 tag or frame sync (an MP3's length takes a scan of all its frames, not needed here)."""
    reader = _header_reader(data)
    if reader is miniaudio.mp3_get_info:
        return True
    return reader is not None and read_header(data) is not None


def refuse_if_too_long(header: Header, cap: int) -> None:
    """``TooLong`` when the header's rate is absurd or its frames make more than ``cap`` bytes at 8 kHz."""
    if not MIN_RATE <= header.rate <= MAX_RATE or header.channels < 1:
        raise TooLong(f"sample rate {header.rate} Hz, {header.channels} channels")
    if _WAV_HEADER + header.frames * RATE // header.rate * 2 > cap:
        raise TooLong(f"{header.frames} frames at {header.rate} Hz")


def to_telephony_wav(data: bytes, cap: int = HOUR_CAP) -> tuple[bytes, float]:
    """(8 kHz mono 16-bit PCM WAV bytes, duration in seconds) of any decodable audio within ``cap``."""
    header = read_header(data) if data else None
    if header is None:
        raise Undecodable("not audio")
    refuse_if_too_long(header, cap)
    wav = _decode_within(data, cap)
    samples = len(wav) - _WAV_HEADER
    struct.pack_into("<4sI4s4sIHHIIHH4sI", wav, 0, b"RIFF", 36 + samples, b"WAVE", b"fmt ", 16, 1, 1, RATE,
                     BYTES_PER_SECOND, 2, 16, b"data", samples)  # fmt: skip
    return wav, round(samples // 2 / RATE, 3)  # (a bytearray: the file is never copied whole)


def _decode_within(data: bytes, limit: int) -> bytearray:
    """Room for a WAV header, then the stream as 8 kHz mono 16-bit samples, decoded block by block;
    ``TooLong`` past ``limit`` bytes in all."""
    try:
        stream = miniaudio.stream_memory(
            data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE,
            frames_to_read=_BLOCK_FRAMES,
        )  # fmt: skip
    except miniaudio.MiniaudioError as exc:
        raise Undecodable(str(exc)) from exc
    pcm = bytearray(_WAV_HEADER)
    try:
        for block in stream:
            pcm += block
            if len(pcm) > limit:
                raise TooLong(f"more than {limit} bytes decoded")
    except miniaudio.MiniaudioError as exc:
        raise Undecodable(str(exc)) from exc
    finally:
        stream.close()
    return pcm


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
