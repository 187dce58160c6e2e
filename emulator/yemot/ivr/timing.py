"""How long things take on a simulated call: speech, digits, keying, waiting (emulator seconds)."""

from __future__ import annotations

TTS_SECONDS_PER_CHAR = 0.08  # text spoken by TTS: about 12 characters a second
SPEECH_PAUSE_S = 0.3  # added once per spoken part
DIGIT_S = 0.5  # one digit or letter read out
SYSTEM_MESSAGE_S = 2.0  # a system message without a known text
DATE_S = 2.5  # a date or a time read out
KEY_S = 0.3  # the caller presses one key
MENU_WAIT_S = 7.0  # a menu without ``timeout`` waits this long for a key
HOLD_MUSIC_S = 10.0  # ``music_on_hold`` without seconds
EMPTY_FILE_S = 1.0  # an audio file whose length the emulator cannot read


def spoken(text: str) -> float:
    """Seconds TTS takes to say ``text``."""
    return round(SPEECH_PAUSE_S + TTS_SECONDS_PER_CHAR * len(text), 3)


def keyed(keys: str) -> float:
    """Seconds the caller takes to press ``keys``."""
    return round(KEY_S * max(1, len(keys)), 3)
