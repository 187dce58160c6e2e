"""Input a live caller gives while the call runs: what a softphone or a client sends to a call
placed without a key script (``POST /__emulator__/calls/{id}/input``).

Both IVR interpreters (Yemot's extension tree, Simotel's dialplan) take a caller's input as one
script element: keys (``"12#"``), ``""`` for silence, a number of seconds for a recording
(``"5"``), or the recognised text of a speech read. A live caller has no script: when a step needs
input and none is queued, the interpreter raises ``AwaitInput`` and parks the call until input is
queued or the step's own timeout passes on the emulator clock (then the caller was silent).
"""

from __future__ import annotations

import re
from typing import Any

MAX_KEYS = 64  # keys in one input
MAX_SPEECH = 500  # characters of recognised speech
MAX_RECORD_S = 600  # seconds of one recording
MAX_PENDING = 50  # inputs queued ahead of the call
KINDS = ("keys", "silence", "record_s", "speech")
_KEYS = re.compile(r"[0-9*#]+")


class AwaitInput(Exception):
    """Raised by a step that needs input from a live caller and has none; ``wait_s`` is how long the
    step waits before the caller counts as silent (``None``: the line waits until hung up), and
    ``silent_s`` how much of that the step itself records as the silence (default all of it)."""

    def __init__(self, wait_s: float | None, silent_s: float | None = None) -> None:
        super().__init__("waiting for the caller's input")
        self.wait_s = None if wait_s is None else max(0.0, float(wait_s))
        self.silent_s = self.wait_s if silent_s is None or self.wait_s is None else min(self.wait_s, silent_s)


class InputRefused(ValueError):
    """The call takes no more input (it ended, was placed with a script, or too much is queued)."""


class InputError(ValueError):
    """An input body that is not one of the four forms."""


def parse_input(body: Any) -> tuple[str, str]:
    """``(kind, element)`` for a JSON input body with exactly one of ``keys``, ``silence``,
    ``record_s`` or ``speech``; raises ``InputError`` saying what is wrong."""
    if not isinstance(body, dict):
        raise InputError("the input must be a JSON object")
    given = [name for name in KINDS if name in body]
    unknown = sorted(set(body) - set(KINDS))
    if unknown or len(given) != 1:
        raise InputError("an input is exactly one of 'keys', 'silence', 'record_s' or 'speech'")
    kind, value = given[0], body[given[0]]
    if kind == "keys":
        if not isinstance(value, str) or len(value) > MAX_KEYS or not _KEYS.fullmatch(value):
            raise InputError(f"'keys' must be 1 to {MAX_KEYS} of the keys 0-9, * and #")
        return kind, value
    if kind == "silence":
        if value is not True:
            raise InputError("'silence' must be true")
        return kind, ""
    if kind == "record_s":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_RECORD_S:
            raise InputError(f"'record_s' must be a number of seconds above 0 and at most {MAX_RECORD_S}")
        return kind, f"{float(value):g}"
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_SPEECH or "\n" in value:
        raise InputError(f"'speech' must be one line of 1 to {MAX_SPEECH} characters")
    return kind, value.strip()
