"""The message files of a template in the IVR tree, and how long they play.

A template's files live in the system's root folder (reference §1.2; ``paths.template_file``):
``<id>.wav`` (the message, also ``tpl:<id>``), ``<id>.tts`` (SMS / TTS text, ``tpl:<id>:tts``) and
``<id>-MoreInfo.wav`` (played before a bridge, ``tpl:<id>:MoreInfo``). Every file method
(UploadFile, DownloadFile, FileAction...) reaches the same files through ``ivrtree``.

Durations are the tree's (read from the WAV header on upload); a file without one counts as
8 kHz 16-bit mono PCM (16,000 bytes a second), the telephony format. A ``.tts`` message without a
``.wav`` is read at 12 characters a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.yemot import ivrtree
from emulator.yemot.paths import template_file
from emulator.yemot.state import YemotSystem

PCM_BYTES_PER_SECOND = 16_000
TTS_CHARS_PER_SECOND = 12.0
KINDS = ("", "tts", "MoreInfo", "First")


@dataclass(frozen=True)
class MessageFile:
    exists: bool
    seconds: float = 0.0


def _audio(system: YemotSystem, key: str) -> MessageFile:
    entry = ivrtree.get(system, key)
    if entry is None:
        return MessageFile(False)
    seconds = entry.duration if entry.duration is not None else entry.size / PCM_BYTES_PER_SECOND
    return MessageFile(True, round(seconds, 3))


def message(system: YemotSystem, template_id: int) -> MessageFile:
    """The voice message: ``<id>.wav``, or the text of ``<id>.tts`` read at 12 characters a second."""
    voice = _audio(system, template_file(template_id))
    if voice.exists:
        return voice
    text = sms_text(system, template_id)
    if text:
        return MessageFile(True, round(max(1.0, len(text) / TTS_CHARS_PER_SECOND), 3))
    return MessageFile(False)


def moreinfo(system: YemotSystem, template_id: int) -> MessageFile:
    """``<id>-MoreInfo.wav``, played before a bridge."""
    return _audio(system, template_file(template_id, "MoreInfo"))


def sms_text(system: YemotSystem, template_id: int) -> str | None:
    """The text of ``<id>.tts`` (the SMS of ``withSMS`` runs), or None."""
    key = template_file(template_id, "tts")
    if not ivrtree.exists(system, key):
        return None
    return ivrtree.read_text(system, key).strip() or None


def remove_all(system: YemotSystem, template_id: int) -> None:
    """Drop every file of a deleted template."""
    for kind in KINDS:
        ivrtree.delete(system, template_file(template_id, kind))
