"""Phone numbers: validation and classification per API, and the magic-number outcome table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

Outcome = Literal["answered", "no_answer", "busy", "failed", "blocked", "invalid"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "no_answer", "busy", "failed", "blocked", "invalid")
NEVER_DIALLED: frozenset[str] = frozenset({"blocked", "invalid"})

# (kind, pattern); the first match wins. Only ASCII digits are digits on these wires. Which kinds
# an API accepts is its own declaration (``ApiSpec.number_kinds``), handed to ``accept``.
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("il_mobile", re.compile(r"05\d{8}", re.ASCII)),
    ("il_voip", re.compile(r"07\d{8}", re.ASCII)),
    ("il_landline", re.compile(r"0[23489]\d{7}", re.ASCII)),
    ("ir_mobile", re.compile(r"09\d{9}", re.ASCII)),
    ("ir_landline", re.compile(r"0\d{10}", re.ASCII)),
    ("extension", re.compile(r"\d{2,6}", re.ASCII)),
)
KINDS: frozenset[str] = frozenset(kind for kind, _ in _FORMS)

# Per API, its forms as one alternation: a single match finds the first form that fits.
_FORMS_OF: dict[str, re.Pattern[str]] = {}


def accept(api: str, kinds: frozenset[str]) -> None:
    """Make ``api`` accept the number ``kinds`` (``KINDS``), tried in the table's order."""
    unknown = set(kinds) - KINDS
    if unknown:
        raise ValueError(f"unknown number kinds {sorted(unknown)}; kinds are {sorted(KINDS)}")
    alternation = "|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in _FORMS if kind in kinds)
    _FORMS_OF[api] = re.compile(alternation or r"(?!)", re.ASCII)
    _classify_text.cache_clear()


class PhoneClass(NamedTuple):
    """What a number is for one API: ``kind`` is ``invalid`` when the API does not accept it."""

    number: str
    kind: str
    valid: bool


def normalize(number: object) -> str:
    """The number as text without surrounding whitespace (no other rewriting: ``+972...`` stays invalid)."""
    return str(number if number is not None else "").strip()


def classify(number: object, api: str) -> PhoneClass:
    """Classify ``number`` for ``api`` by the kinds it accepts (``accept``): ``il_mobile`` ``05XXXXXXXX``,
    ``il_voip`` ``07XXXXXXXX``, ``il_landline`` ``0[2-4,8-9]XXXXXXX``, ``ir_mobile`` ``09XXXXXXXXX``,
    ``ir_landline`` ``0XXXXXXXXXX``, ``extension`` (2-6 digits). Anything else is ``invalid``."""
    if type(number) is str and len(number) <= _CACHED_LENGTH:
        return _classify_text(number, api)  # (a client dials the same few numbers again and again)
    return _classify_text.__wrapped__(normalize(number), api)


_CACHED_LENGTH = 32  # numbers are short; longer text is classified (as invalid) without being kept


@lru_cache(maxsize=4096)
def _classify_text(number: str, api: str) -> PhoneClass:
    text = number.strip()
    forms = _FORMS_OF.get(api)
    match = forms.fullmatch(text) if forms is not None else None
    if match is None:
        return PhoneClass(text, "invalid", False)
    return PhoneClass(text, match.lastgroup or "invalid", True)


def is_valid(number: object, api: str) -> bool:
    """Whether ``api`` accepts ``number`` as a destination."""
    return classify(number, api).valid


@dataclass(frozen=True)
class Plan:
    """How a simulated handset treats a call: final outcome, seconds of ringing, seconds of talk.

    ``ring_s`` is the time until the handset answers (``answered``) or until the network gives up
    (any other outcome; 0 means at once). ``talk_s`` only matters for ``answered``. ``machine``
    marks an answer by a voicemail box rather than a person (answering-machine detection sees it).
    """

    outcome: Outcome
    ring_s: float
    talk_s: float = 0.0
    machine: bool = False


DEFAULT_PLAN = Plan("answered", 5.0, 20.0)
BRIDGE_SECOND_LEG_PLAN = Plan("answered", 10.0, 50.0)
MAGIC_SUFFIXES: dict[str, Plan] = {
    "901": Plan("no_answer", 30.0),
    "902": Plan("busy", 0.0),
    "903": Plan("blocked", 0.0),
    "904": Plan("answered", 5.0, 3.0),
    "905": Plan("failed", 0.0),
    "906": Plan("answered", 5.0, 30.0, machine=True),
}
DEFAULT_RING_S: dict[str, float] = {"answered": 5.0, "no_answer": 30.0}


def default_plan(number: object, api: str, *, second_leg: bool = False) -> Plan:
    """The built-in plan of a number: ``invalid`` if ``api`` rejects it, else by its last three digits."""
    info = classify(number, api)
    if not info.valid:
        return Plan("invalid", 0.0)
    magic = MAGIC_SUFFIXES.get(info.number[-3:])
    if magic is not None:
        return magic
    return BRIDGE_SECOND_LEG_PLAN if second_leg else DEFAULT_PLAN


def plan_from_rule(
    outcome: Outcome, ring_s: float | None, talk_s: float | None, *, second_leg: bool = False, machine: bool = False
) -> Plan:
    """A plan from a per-number override; missing times take the defaults of the outcome."""
    base = BRIDGE_SECOND_LEG_PLAN if second_leg else DEFAULT_PLAN
    if ring_s is None:
        ring_s = base.ring_s if outcome == "answered" else DEFAULT_RING_S.get(outcome, 0.0)
    if talk_s is None:
        talk_s = base.talk_s if outcome == "answered" else 0.0
    return Plan(outcome, float(ring_s), float(talk_s), machine=machine and outcome == "answered")
