"""Message parts of a Yemot reply (``t-שלום.d-1234.m-1399``) and the system messages the engine plays."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The letter before the dash names what a part plays; ``date``/``dateH`` are whole words.
PART_TYPES = {
    "t": "text",
    "f": "file",
    "s": "tts_file",
    "d": "digits",
    "n": "number",
    "a": "alpha",
    "m": "system_message",
    "z": "time",
    "h": "music_on_hold",
    "g": "go_to_folder",
    "date": "date",
    "dateH": "hebrew_date",
}

# The platform's own recorded messages the engine plays, with their Hebrew text (the codes the
# API module, menus and reads meet). Any other ``m-####`` part plays too, with ``text`` null.
SYSTEM_MESSAGES = {
    "M1000": "זהו תפריט בחירה. אנא הקישו את מספר השלוחה המבוקש",
    "M1001": "המקש שֶהוֹקַש שגוי",
    "M1002": "לא הוקשה בחירה",
    "M1005": "סוף הודעות",
    "M1009": "לשמיעת ההקלטה הקישו 1. לאישור ההקלטה הקישו 2. להקלטה מחודשת 3. לביטול וחזרה הקישו 4",
    "M1034": "לאישור הקישו 1, להקשה מחודשת 2.",
    "M1035": "לא הקּשתּם את מינימום הספרות הנדרשות",
    "M1042": "שלוחה זו אינה מוגדרת במערכת",
    "M1224": "בחירה לא חוקית",
    "M1399": "תגובתך התקבלה בהצלחה",
    "M1607": "אין מענה משרת API",
    "M1608": "שגיאה בההעברה לשלוחה הבאה",
    "M1609": "לא מוגדר לינק",
    "M4186": "שינוי שפת הקלדה חסום בכתיבה זו.",
}

_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_SYSTEM_CODE = re.compile(r"M?(\d{4})")
_NUMBER = re.compile(r"-?\d+(?:,\d+)*")
_PART_START = re.compile("|".join(re.escape(prefix) + "-" for prefix in sorted(PART_TYPES, key=len, reverse=True)))
_DOT_SEGMENTS = (".", "..")
MAX_PART_LENGTH = 2000


class PartError(ValueError):
    """A message part the platform could not play; ``text`` is the offending part."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.message = message


@dataclass(frozen=True)
class Part:
    """One decoded message part: ``type`` (see PART_TYPES) and its ``data`` as written."""

    type: str
    data: str

    def to_json(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {"type": self.type, "data": self.data}
        if self.type == "system_message":
            out["code"] = self.data
            out["text"] = SYSTEM_MESSAGES.get(self.data)
        return out


def system_message(code: str) -> Part:
    """The part that plays system message ``code`` (``M1607``)."""
    return Part("system_message", code)


def parse_part(text: str) -> Part:
    """Decode one ``<prefix>-<data>`` part; PartError when the platform could not play it."""
    prefix, dash, data = text.partition("-")
    if not dash or prefix not in PART_TYPES:
        raise PartError(text, f"unknown message part {text!r}")
    if len(data) > MAX_PART_LENGTH:
        raise PartError(text[:80], f"message part longer than {MAX_PART_LENGTH} characters")
    kind = PART_TYPES[prefix]
    if kind == "system_message":
        match = _SYSTEM_CODE.fullmatch(data.strip())
        if match is None:
            raise PartError(text, f"system message must be 4 digits: {text!r}")
        data = "M" + match.group(1)
    elif kind == "digits" and not data.isdigit():
        raise PartError(text, f"digits part must hold digits only: {text!r}")
    elif kind == "number" and not _NUMBER.fullmatch(data):
        raise PartError(text, f"number part must hold a number: {text!r}")
    elif kind in ("date", "hebrew_date") and not _DATE.fullmatch(data):
        raise PartError(text, f"date part must be DD/MM/YYYY: {text!r}")
    elif kind in ("file", "tts_file", "go_to_folder") and not data:
        raise PartError(text, f"{kind} part needs a path: {text!r}")
    return Part(kind, data)


def parse_message(text: str) -> tuple[list[Part], list[PartError]]:
    """All parts of a ``.``-joined message, plus the parts that could not be played.

    Empty parts (``t-a..t-b``, a trailing dot) are skipped; a ``g-`` part ends the message, so
    anything after it is reported as an error and not played. A ``g-`` part's path is kept whole
    (``g-.``, ``g-..``, ``g-../x``): see ``split_parts``.
    """
    parts: list[Part] = []
    problems: list[PartError] = []
    pieces = split_parts(text)
    for index, piece in enumerate(pieces):
        try:
            part = parse_part(piece)
        except PartError as exc:
            problems.append(exc)
            continue
        parts.append(part)
        if part.type == "go_to_folder" and index < len(pieces) - 1:
            rest = ".".join(pieces[index + 1 :])
            problems.append(PartError(rest, "a g- part must be the last part of a message"))
            break
    return parts, problems


def split_parts(text: str) -> list[str]:
    """The non-empty ``.``-separated pieces of a message, a ``g-`` piece's path kept whole.

    A folder path may hold dots (``g-.`` the current folder, ``g-..`` its parent, ``g-../2``), so a
    ``g-`` piece runs on over the following pieces until one starts like a part of its own
    (``g-/1.t-x``: ``t-x`` is reported as following the ``g-``). A dot that ends a path and is no
    ``.``/``..`` segment is a separator, as elsewhere in a message (``g-/1.`` goes to ``/1``).
    """
    raw = text.split(".")
    pieces: list[str] = []
    index = 0
    while index < len(raw):
        piece = raw[index]
        index += 1
        if piece.startswith("g-"):
            while index < len(raw) and not _PART_START.match(raw[index]):
                piece += "." + raw[index]
                index += 1
            if piece.rsplit("/", 1)[-1].removeprefix("g-") not in _DOT_SEGMENTS:
                piece = piece.rstrip(".")
        if piece:
            pieces.append(piece)
    return pieces
