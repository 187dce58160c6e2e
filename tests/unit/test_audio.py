"""Telephony audio conversion and WAV durations; hostile bytes never raise anything but Undecodable."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.core.media import audio
from emulator.yemot.paths import BadPath, display_path, normalize_path, tree_path


def pcm_wav(rate: int, channels: int, width: int, frames: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        fmt = {1: "B", 2: "<h", 4: "<i"}[width]
        scale = {1: 100, 2: 8000, 4: 1 << 28}[width]
        offset = 128 if width == 1 else 0
        sample = lambda i: struct.pack(fmt, offset + int(scale * math.sin(i / 7)))  # noqa: E731
        writer.writeframes(b"".join(sample(i) * channels for i in range(frames)))
    return out.getvalue()


def mulaw_wav(rate: int, frames: int) -> bytes:
    """A WAVE_FORMAT_MULAW (7) file, which the stdlib wave module cannot write."""
    data = bytes((i * 37) % 256 for i in range(frames))
    fmt = struct.pack("<HHIIHH", 7, 1, rate, rate, 1, 8)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data))
        + b"WAVE"
        + (b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data)
    )


@pytest.mark.parametrize(
    ("source", "seconds"),
    [
        (pcm_wav(44100, 2, 2, 44100), 1.0),
        (pcm_wav(22050, 1, 1, 11025), 0.5),
        (pcm_wav(48000, 1, 4, 24000), 0.5),
        (pcm_wav(8000, 1, 2, 16000), 2.0),
        (mulaw_wav(8000, 4000), 0.5),
    ],
)
def test_conversion_gives_8khz_mono_16bit_pcm(source, seconds):
    converted, duration = audio.to_telephony_wav(source)
    assert duration == seconds
    with wave.open(io.BytesIO(converted)) as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (8000, 1, 2)
        assert reader.getnframes() == int(8000 * seconds)
    assert audio.wav_duration(converted) == seconds


@pytest.mark.parametrize("junk", [b"", b"not audio", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"\xff" * 4096])
def test_undecodable_bytes(junk):
    with pytest.raises(audio.Undecodable):
        audio.to_telephony_wav(junk)


def test_wav_duration_of_non_wav_is_none():
    assert audio.wav_duration(b"hello") is None
    assert audio.wav_duration(pcm_wav(8000, 1, 2, 800)[:40]) is None  # header only, no data chunk


@given(st.binary(max_size=200))
def test_wav_duration_never_raises(data):
    value = audio.wav_duration(b"RIFF\x10\x00\x00\x00WAVE" + data)
    assert value is None or value >= 0


@given(st.text(max_size=60))
def test_echoed_forms_of_a_key_name_the_same_key(text):
    try:
        key = normalize_path(text)
    except BadPath:
        return
    assert normalize_path(tree_path(key)) == key and normalize_path(display_path(key)) == key
    assert ".." not in key.split("/") and not key.startswith("/") and not key.endswith("/")
