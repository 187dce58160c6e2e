"""Audio whose header promises far more than its bytes: FLAC and WAV built field by field.

A FLAC frame of CONSTANT subframes is 13 bytes whatever its block size, so ``flac()`` with one frame
is the 55-byte file that used to become a 320 MB WAV at a 1 Hz sample rate.
"""

from __future__ import annotations

import struct


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def flac(rate: int = 1, frames: int = 1, block: int = 65535, total: int | None = None, value: int = 1000) -> bytes:
    """Mono 16-bit FLAC of ``frames`` CONSTANT frames of ``block`` samples; STREAMINFO states
    ``rate`` and ``total`` samples (default: what the frames hold; 0 means "not stated")."""
    total = frames * block if total is None else total
    info = struct.pack(">HH", block, block) + bytes(6)  # block sizes; frame sizes unknown
    packed = (rate & 0xFFFFF) << 44 | 0 << 41 | 15 << 36 | (total & 0xFFFFFFFFF)  # rate, mono, 16 bits, samples
    info += packed.to_bytes(8, "big") + bytes(16)  # + MD5 left unset
    out = b"fLaC" + bytes([0x80, 0, 0, len(info)]) + info
    for number in range(frames):
        header = bytes([0xFF, 0xF8, 0x70, 0x00, number & 0x7F]) + struct.pack(">H", block - 1)
        frame = header + bytes([_crc8(header), 0x00]) + struct.pack(">h", value)
        out += frame + struct.pack(">H", _crc16(frame))
    return out


def wav(rate: int = 1, samples: int = 200, channels: int = 1, bits: int = 8, data_size: int | None = None) -> bytes:
    """A PCM WAV whose ``fmt `` chunk says ``rate`` Hz and whose ``data`` chunk claims ``data_size``
    bytes (default: the ``samples`` it holds)."""
    width = max(1, bits // 8)
    body = bytes([128]) * (samples * channels * width)
    size = len(body) if data_size is None else data_size
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", size) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def hostile_audio() -> dict[str, bytes]:
    """Named audio bombs and broken headers, each small enough to post in one request."""
    return {
        "flac 1 Hz (55 bytes)": flac(rate=1),
        "flac 1 Hz, many frames": flac(rate=1, frames=100),
        "flac 0 Hz": flac(rate=0),
        "flac 8 kHz claiming 10^10 samples": flac(rate=8000, total=10**10),
        "flac 8 kHz, length not stated, 3 hours of frames": flac(rate=8000, frames=1320, total=0),
        "flac 655 kHz": flac(rate=655_350),
        "flac header only": flac(rate=8000, frames=0, total=10**9),
        "flac truncated": flac(rate=8000)[:30],
        "wav 1 Hz (244 bytes)": wav(rate=1),
        "wav 0 Hz": wav(rate=0),
        "wav 3 Hz 16-bit": wav(rate=3, bits=16),
        "wav 4 GB data chunk": wav(rate=8000, data_size=0xFFFFFFFF),
        "wav no channels": wav(rate=8000, channels=0),
        "wav 1 MHz": wav(rate=1_000_000, samples=2000),
        "wav 255 channels": wav(rate=8000, channels=255, samples=10),
        "mp3 sync then garbage": b"\xff\xfb\x90\x64" + b"\xff" * 600,
        "ogg page header only": b"OggS" + bytes(60),
        "id3 tag then nothing": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    }


def multipart(fields: dict[str, str], filename: str, data: bytes, file_field: str = "file") -> tuple[bytes, dict]:
    """A multipart/form-data body and its content type, built by hand (the corpus sends raw bytes)."""
    boundary = "hostile-audio-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]  # fmt: skip
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
    parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    content_type = f"multipart/form-data; boundary={boundary}"
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), {"content-type": content_type}
