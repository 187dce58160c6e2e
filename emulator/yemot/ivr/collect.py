"""What a caller's scripted input means to a ``read``: tap rules, speech text, recordings.

``tap_answer`` applies the tap fields in the platform's order: ``#`` ends typing, blocked keys are
ignored, keys beyond the maximum are not taken, then the length and allowed-keys checks; the
character replacement applies to the value sent. It returns the value or the system message the
caller hears instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.yemot.ivr.messages import Part
from emulator.yemot.ivr.reads import KEYBOARD_MODES, TapRead, answer_allowed


@dataclass
class TapAnswer:
    """``value`` when the answer counts; otherwise ``code``: M1002 nothing keyed, M1035 too short,
    M1224 not allowed."""

    keys: str
    value: str | None = None
    code: str | None = None


def tap_answer(read: TapRead, keys: str) -> TapAnswer:
    """Judge one scripted answer against a tap read (see the module docstring)."""
    typed = keys.split("#", 1)[0] if read.mode not in KEYBOARD_MODES else keys
    if read.block_asterisk:
        typed = typed.replace("*", "")
    if read.block_zero and read.mode not in KEYBOARD_MODES:
        typed = typed.replace("0", "")
    if read.max_digits is not None:
        typed = typed[: read.max_digits]
    if not typed:
        return TapAnswer(keys, code="M1002")
    if len(typed) < read.min_digits:
        return TapAnswer(keys, code="M1035")
    if not answer_allowed(read, typed):
        return TapAnswer(keys, code="M1224")
    return TapAnswer(keys, value=typed)


def replaced(read: TapRead, value: str) -> str:
    """The value as sent: field 9's replacement applied (``*/`` turns every ``*`` into ``/``)."""
    if read.replace is None:
        return value
    return value.replace(read.replace[0], read.replace[1])


def read_back(read: TapRead, value: str) -> list[Part]:
    """How the platform reads an answer back before asking to confirm it."""
    if read.mode in ("Number", "Price") and value.isdigit():
        return [Part("number", value)]
    if value.isdigit():
        return [Part("digits", value)]
    return [Part("alpha", value)]
