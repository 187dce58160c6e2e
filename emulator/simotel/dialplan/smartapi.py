"""The SmartAPI command language (reference Part B2): ``PlayAnnouncement('x');GetData('y', 10, 1);Exit('go')``.

``parse`` turns a ``commands`` string into ``Command`` objects, or raises ``CommandError`` naming the
offending text. Tolerated, as the wiki's own samples need: spaces around ``;``, ``(`` and ``,``; a
trailing ``;``; empty commands between ``;;`` (the PHP client's ``MusicOnHold`` helper writes them);
typographic quotes; an unquoted ``SayClock(14:00)`` (the PHP client writes it so). Anything else
that does not fit a command's arguments is an error, which sends the call out by exit ``e``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_COMMANDS = 100
MAX_LENGTH = 10_000
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": "'", "\u201d": "'", '"': "'"}
_CALL = re.compile(r"\s*([A-Za-z]+)\s*\((.*)\)\s*", re.S)
_ARG = re.compile(r"\s*(?:'([^']*)'|([^,']*?))\s*(?:,|$)")
_INT = re.compile(r"[0-9]+")
_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?")
_DURATION = re.compile(r"([0-9]+\.)?[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
CALENDARS = ("gregorian", "jalali", "hijri")
# command -> argument kinds: "s" quoted text, "i" bare integer, "c" clock, "d" duration, "D" date, "k" calendar
SIGNATURES: dict[str, tuple[str, ...]] = {
    "PlayAnnouncement": ("s",),
    "Playback": ("s",),
    "SayNumber": ("i",),
    "SayDigit": ("i",),
    "SayDuration": ("d",),
    "SayClock": ("c",),
    "SayDate": ("D", "k"),
    "GetData": ("s", "i", "i"),
    "MusicOnHold": ("s", "i"),
    "SetExten": ("s",),
    "SetLimitOnCall": ("i",),
    "ClearUserData": (),
    "Exit": ("s",),
}


class CommandError(ValueError):
    """A command the PBX cannot run: the call leaves the SmartAPI component by exit ``e``."""


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str | int, ...]
    text: str


def parse(commands: str) -> list[Command]:
    """The commands of a SmartAPI reply, in order; CommandError on the first that is malformed."""
    if not isinstance(commands, str):
        raise CommandError("'commands' is not a string")
    if len(commands) > MAX_LENGTH:
        raise CommandError("'commands' is too long")
    for typographic, plain in QUOTES.items():
        commands = commands.replace(typographic, plain)
    parsed = [_command(part) for part in _split(commands) if part.strip()]
    if len(parsed) > MAX_COMMANDS:
        raise CommandError(f"more than {MAX_COMMANDS} commands")
    return parsed


def _split(commands: str) -> list[str]:
    """Split on ``;`` outside quotes."""
    parts, current, quoted = [], [], False
    for char in commands:
        if char == "'":
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if quoted:
        raise CommandError(f"unbalanced quote in {commands.strip()!r}")
    parts.append("".join(current))
    return parts


def _command(text: str) -> Command:
    match = _CALL.fullmatch(text)
    if match is None or match.group(1) not in SIGNATURES:
        raise CommandError(f"unknown command {text.strip()!r}")
    name, inner = match.group(1), match.group(2)
    raw = _arguments(inner, text)
    kinds = SIGNATURES[name]
    if len(raw) != len(kinds):
        raise CommandError(f"{name} takes {len(kinds)} argument(s): {text.strip()!r}")
    args = tuple(_argument(kind, value, quoted, text) for kind, (value, quoted) in zip(kinds, raw, strict=True))
    return Command(name, args, text)


def _arguments(inner: str, text: str) -> list[tuple[str, bool]]:
    if not inner.strip():
        return []
    found: list[tuple[str, bool]] = []
    position = 0
    while position < len(inner):
        match = _ARG.match(inner, position)
        if match is None or match.end() == position:
            raise CommandError(f"malformed arguments in {text.strip()!r}")
        quoted = match.group(1) is not None
        found.append((match.group(1) if quoted else match.group(2), quoted))
        position = match.end()
    return found


def _argument(kind: str, value: str, quoted: bool, text: str) -> str | int:
    value = value.strip()
    checks = {"c": _CLOCK, "d": _DURATION, "D": _DATE}
    if kind == "i":
        if quoted or not _INT.fullmatch(value):
            raise CommandError(f"expected a bare number, got {value!r} in {text.strip()!r}")
        return int(value)
    if kind == "s" and quoted:
        return value
    if kind == "c" and _CLOCK.fullmatch(value):
        return value  # quoted as the wiki writes it, or bare as the PHP client does
    if kind in checks and quoted and checks[kind].fullmatch(value):
        return value
    if kind == "k" and quoted and value in CALENDARS:
        return value
    raise CommandError(f"bad argument {value!r} in {text.strip()!r}")
