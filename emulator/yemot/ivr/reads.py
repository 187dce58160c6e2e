"""The field list of a ``read`` (``userId,no,4,4,7,Digits,...``) in tap, record and speech modes.

The same field lists appear in ext.ini ``api_000=...`` keys. Where the known layouts disagree the
parser accepts both (see the ``ivr`` notes of the Yemot contract): record min/max seconds in
either order, allowed keys ``.``-joined or written together, the speech engine flag anywhere in
fields 7-9.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Typing/playback modes of field 6 (case as the platform writes them; matched case-insensitively).
TAP_MODES = (
    "No",
    "Number",
    "Digits",
    "Price",
    "Time",
    "Date",
    "HebrewDate",
    "TeudatZehut",
    "Phone",
    "Alpha",
    "File",
    "TTS",
    "HebrewKeyboard",
    "EnglishKeyboard",
    "EmailKeyboard",
    "DigitsKeyboard",
)
_MODES = {mode.lower(): mode for mode in TAP_MODES}
# Modes whose length is fixed by the platform, whatever fields 3-4 say.
PRESET_LENGTHS = {"Date": (8, 8), "HebrewDate": (8, 8), "Time": (4, 4), "TeudatZehut": (8, 9), "Phone": (9, 10)}
KEYBOARD_MODES = ("HebrewKeyboard", "EnglishKeyboard", "EmailKeyboard", "DigitsKeyboard")
DEFAULT_WAIT_S = 7.0
MAX_WAIT_S = 600.0
MAX_DIGITS = 1000
MAX_FIELDS = 32


class ReadError(ValueError):
    """A read field list the platform could not run."""


@dataclass
class TapRead:
    """A DTMF read: the 15 positional fields, parsed."""

    name: str
    reuse: bool = False
    max_digits: int | None = None
    min_digits: int = 1
    wait_s: float = DEFAULT_WAIT_S
    mode: str = "No"
    block_asterisk: bool = False
    block_zero: bool = False
    replace: tuple[str, str] | None = None
    allowed: list[str] | None = None
    tries: int | None = None
    allow_empty: bool = False
    empty_value: str = "None"
    block_language_change: bool = False
    confirm: bool = False
    kind: str = field(default="tap", init=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["replace"] = None if self.replace is None else "".join(self.replace)
        return data


@dataclass
class RecordRead:
    """A recording read: where to save, the confirm menu, and the length limits (seconds)."""

    name: str
    reuse: bool = False
    folder: str | None = None
    file: str | None = None
    confirm_menu: bool = True
    keep_on_hangup: bool = False
    append: bool = False
    min_s: float | None = None
    max_s: float | None = None
    kind: str = field(default="record", init=False)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SpeechRead:
    """A speech-recognition read; fields 7-9 are kept as written (their layouts disagree)."""

    name: str
    reuse: bool = False
    lang: str | None = None
    allow_typing: bool = True
    max_digits: int | None = None
    records_engine: bool = False
    extra: list[str] = field(default_factory=list)
    kind: str = field(default="speech", init=False)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Read = TapRead | RecordRead | SpeechRead


def _yes(value: str) -> bool:
    return value.strip().lower() == "yes"


def _count(value: str, what: str, *, default: int | None) -> int | None:
    text = value.strip()
    if text in ("", "*"):
        return default
    if not text.isdigit() or int(text) > MAX_DIGITS:
        raise ReadError(f"{what} must be a whole number up to {MAX_DIGITS}, not {value!r}")
    return int(text)


def _seconds(value: str, what: str) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        raise ReadError(f"{what} must be a number of seconds, not {value!r}") from None
    if not 0 <= seconds <= MAX_WAIT_S * 100:
        raise ReadError(f"{what} out of range: {value!r}")
    return seconds


def _field(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def parse_read_fields(text: str) -> Read:
    """Parse the comma-separated fields of a read; ReadError if they cannot run."""
    fields = text.split(",")
    if len(fields) > MAX_FIELDS:
        raise ReadError(f"a read takes at most {MAX_FIELDS} fields")
    name = fields[0].strip()
    if not name:
        raise ReadError("a read needs a variable name (field 1)")
    mode = _field(fields, 2).strip().lower()
    if mode == "record":
        return _record(name, fields)
    if mode == "voice":
        return _speech(name, fields)
    return _tap(name, fields)


def _tap(name: str, fields: list[str]) -> TapRead:
    mode_text = _field(fields, 5).strip() or "No"
    mode = _MODES.get(mode_text.lower())
    if mode is None:
        raise ReadError(f"unknown typing mode {mode_text!r} (field 6)")
    max_digits = _count(_field(fields, 2), "max digits (field 3)", default=None)
    min_digits = _count(_field(fields, 3), "min digits (field 4)", default=1) or 0
    if mode in PRESET_LENGTHS:
        min_digits, max_digits = PRESET_LENGTHS[mode]
    wait = _seconds(_field(fields, 4), "seconds to wait (field 5)")
    replace_text = _field(fields, 8)
    if replace_text and len(replace_text) != 2:
        raise ReadError(f"character replacement must be two characters (field 9), not {replace_text!r}")
    allowed_text = _field(fields, 9).strip()
    tries = _count(_field(fields, 10), "tries (field 11)", default=None)
    return TapRead(
        name=name,
        reuse=_yes(_field(fields, 1)),
        max_digits=max_digits,
        min_digits=min_digits,
        wait_s=DEFAULT_WAIT_S if wait is None else min(wait, MAX_WAIT_S),
        mode=mode,
        block_asterisk=_yes(_field(fields, 6)),
        block_zero=_yes(_field(fields, 7)),
        replace=(replace_text[0], replace_text[1]) if replace_text else None,
        allowed=_allowed(allowed_text),
        tries=tries or None,
        allow_empty=_field(fields, 11).strip().lower() == "ok",
        empty_value=_field(fields, 12) or "None",
        block_language_change=_field(fields, 13).strip() == "InsertLettersTypeChangeNo",
        confirm=_field(fields, 14).strip().lower() != "no" and mode not in ("No", *KEYBOARD_MODES),
    )


def _allowed(text: str) -> list[str] | None:
    """``1.2.10`` lists whole answers; ``123`` (written together) lists single keys and itself."""
    if not text:
        return None
    if "." in text:
        return [item for item in text.split(".") if item]
    return sorted({text, *text})


def answer_allowed(read: TapRead, answer: str) -> bool:
    """Whether an answer passes the allowed-keys field: a listed answer, or only listed single keys."""
    if read.allowed is None:
        return True
    if answer in read.allowed:
        return True
    keys = {item for item in read.allowed if len(item) == 1}
    return bool(answer) and all(key in keys for key in answer)


def _record(name: str, fields: list[str]) -> RecordRead:
    folder = _field(fields, 3).strip() or None
    if folder is not None and not folder.startswith("/"):
        folder = "/" + folder
    low = _seconds(_field(fields, 8), "minimum length (field 9)")
    high = _seconds(_field(fields, 9), "maximum length (field 10)")
    if low is not None and high is not None and low > high:
        low, high = high, low  # the max-then-min layout
    return RecordRead(
        name=name,
        reuse=_yes(_field(fields, 1)),
        folder=folder.rstrip("/") or "/" if folder else None,
        file=_field(fields, 4).strip() or None,
        confirm_menu=_field(fields, 5).strip().lower() != "no",
        keep_on_hangup=_yes(_field(fields, 6)),
        append=_yes(_field(fields, 7)),
        min_s=low,
        max_s=high,
    )


def _speech(name: str, fields: list[str]) -> SpeechRead:
    extra = [_field(fields, index) for index in (6, 7, 8)]
    return SpeechRead(
        name=name,
        reuse=_yes(_field(fields, 1)),
        lang=_field(fields, 3).strip() or None,
        allow_typing=_field(fields, 4).strip().lower() != "no",
        max_digits=_count(_field(fields, 5), "max digits (field 6)", default=None),
        records_engine=any(value.strip().lower() in ("record", "yes") for value in extra),
        extra=extra,
    )
