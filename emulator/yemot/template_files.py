"""The message files of a template in the IVR tree, and how long they play.

A template's files live in the system's root folder (reference §1.2): ``<id>.wav`` (the message,
also reached as ``tpl:<id>``), ``<id>.tts`` (SMS / TTS text, ``tpl:<id>:tts``) and
``<id>-MoreInfo.wav`` (played before a bridge, ``tpl:<id>:MoreInfo``). ``tpl_path`` maps the
``tpl:`` spellings onto those names, so every file method sees one file.

Durations come from the WAV header (stdlib ``wave``); bytes that are not a readable WAV count as
8 kHz 16-bit mono PCM (16,000 bytes a second), the telephony format.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

from emulator.yemot import ivrtree
from emulator.yemot.state import YemotSystem

PCM_BYTES_PER_SECOND = 16_000
TTS_CHARS_PER_SECOND = 12.0


@dataclass(frozen=True)
class MessageFile:
    exists: bool
    seconds: float = 0.0


def message_name(template_id: int) -> str:
    return f"{template_id}.wav"


def tts_name(template_id: int) -> str:
    return f"{template_id}.tts"


def moreinfo_name(template_id: int) -> str:
    return f"{template_id}-MoreInfo.wav"


def tpl_path(path: str) -> str | None:
    """The canonical tree path of a ``tpl:<id>``, ``tpl:<id>:tts`` or ``tpl:<id>:MoreInfo`` path, else None."""
    text = path.strip()
    if not text.lower().startswith("tpl:"):
        return None
    ident, _, kind = text[4:].partition(":")
    ident = ident.strip().strip("/")
    if not ident.isdigit():
        return None
    kind = kind.strip().lower()
    if kind == "":
        return message_name(int(ident))
    if kind == "tts":
        return tts_name(int(ident))
    if kind == "moreinfo":
        return moreinfo_name(int(ident))
    return None


def _read(system: YemotSystem, name: str) -> bytes | None:
    if not ivrtree.file_exists(system, name):
        return None
    return ivrtree.read_bytes(system, name)


def audio_seconds(data: bytes) -> float:
    """How long ``data`` plays: from its WAV header, else as raw 8 kHz 16-bit mono PCM."""
    try:
        with wave.open(io.BytesIO(data)) as audio:
            rate = audio.getframerate()
            return round(audio.getnframes() / rate, 3) if rate else 0.0
    except (wave.Error, EOFError, ValueError):
        return round(len(data) / PCM_BYTES_PER_SECOND, 3)


def message(system: YemotSystem, template_id: int) -> MessageFile:
    """The voice message: ``<id>.wav``, or the text of ``<id>.tts`` read at 12 characters a second."""
    data = _read(system, message_name(template_id))
    if data is not None:
        return MessageFile(True, audio_seconds(data))
    text = sms_text(system, template_id)
    if text:
        return MessageFile(True, round(max(1.0, len(text) / TTS_CHARS_PER_SECOND), 3))
    return MessageFile(False)


def moreinfo(system: YemotSystem, template_id: int) -> MessageFile:
    data = _read(system, moreinfo_name(template_id))
    return MessageFile(False) if data is None else MessageFile(True, audio_seconds(data))


def sms_text(system: YemotSystem, template_id: int) -> str | None:
    """The text of ``<id>.tts`` (the SMS of ``withSMS`` runs), or None."""
    data = _read(system, tts_name(template_id))
    return None if data is None else data.decode("utf-8", errors="replace").strip() or None


def remove_all(system: YemotSystem, template_id: int) -> None:
    """Drop every file of a deleted template."""
    for name in (message_name(template_id), tts_name(template_id), moreinfo_name(template_id)):
        system.files.pop(name, None)
