"""Near misses for names: "did you mean" suggestions for operation names, filter keys and the like."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_names(word: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to ``word``, best first; a spelling that differs only in case wins alone."""
    by_lower: dict[str, str] = {}
    for name in candidates:
        by_lower.setdefault(name.lower(), name)
    same_but_case = by_lower.get(word.lower())
    if same_but_case is not None and same_but_case != word:
        return [same_but_case]
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=limit, cutoff=cutoff)
    return [by_lower[lower] for lower in found if by_lower[lower] != word]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'X'?"`` (or ``'X' or 'Y'``), or an empty string when nothing is close."""
    names = close_names(word, candidates)
    if not names:
        return ""
    return "; did you mean " + " or ".join(repr(name) for name in names) + "?"
