"""One recorded answer against a live one: every difference, at its field, of one kind.

Kinds: ``status``; ``envelope`` (a documented string: ``responseStatus``, ``success``, ``message``);
``missing`` / ``extra`` (a field name only one side has); ``type`` (JSON types differ; integers and
floats are both numbers); ``length`` (arrays); ``value``; and ``volatile`` (a value the rules let
differ: shown, never failing). Paths read ``$.data[0].name``.

A recorded value holding placeholders (``<token:1>``, ``<phone:2>``) matches through ``Bindings``:
a bound placeholder stands for its value; an unbound one takes the live value (so a token a
``Login`` answer gave is the one later requests send).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from emulator.parity.redaction import PLACEHOLDER
from emulator.parity.rules import Rules

PASSING = frozenset({"volatile"})
_MAX_DEPTH = 64


@dataclass
class Difference:
    path: str
    kind: str
    expected: Any
    actual: Any

    @property
    def failing(self) -> bool:
        return self.kind not in PASSING

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "failing": self.failing}


class Bindings:
    """Placeholders of a recording and the values they stand for in this replay.

    ``defaults`` gives the first placeholder of a kind (``<token:1>``), unbound when a request uses it,
    the target's credential of that kind (``token``, ``password``, ``basic``, ``apikey``; ``account``:
    the Yemot system number); a later one still unbound is sent as written (a wrong credential);
    ``<phone:N>`` becomes ``05`` + N in 8 digits.
    """

    def __init__(self, defaults: dict[str, str] | None = None) -> None:
        self.defaults = defaults or {}
        self.values: dict[str, str] = {}

    def fill(self, value: Any) -> Any:
        """A request value with its placeholders replaced (recursing into lists and objects)."""
        if isinstance(value, str):
            return PLACEHOLDER.sub(self._value_of, value) if "<" in value else value
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value

    def _value_of(self, match: re.Match[str]) -> str:
        placeholder, kind = match.group(0), match.group(1)
        if placeholder not in self.values:
            if kind == "phone":
                self.values[placeholder] = f"05{int(match.group(2)):08d}"
            elif kind in self.defaults and match.group(2) == "1":  # (a later one: another, wrong, credential)
                self.values[placeholder] = self.defaults[kind]
            else:
                return placeholder
        return self.values[placeholder]

    def match(self, recorded: str, live: Any) -> bool:
        """Whether ``live`` is ``recorded`` with its placeholders filled; binds the unbound ones."""
        if not isinstance(live, str):
            live = str(live) if isinstance(live, int | float) and not isinstance(live, bool) else None
            if live is None:
                return False
        pattern, names, position = [], [], 0
        for found in PLACEHOLDER.finditer(recorded):
            pattern.append(re.escape(recorded[position : found.start()]))
            bound = self.values.get(found.group(0))
            if bound is not None:
                pattern.append(re.escape(bound))
            else:
                pattern.append("(.+?)")
                names.append(found.group(0))
            position = found.end()
        pattern.append(re.escape(recorded[position:]))
        matched = re.fullmatch("".join(pattern), live, re.DOTALL)
        if matched is None:
            return False
        for name, value in zip(names, matched.groups(), strict=True):
            self.values.setdefault(name, value)
        return True


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def compare(
    api: str, recorded: dict[str, Any], live: dict[str, Any], rules: Rules, bindings: Bindings
) -> list[Difference]:
    """The differences of a live answer (``{"status", "body"}`` described as in a recording)."""
    found: list[Difference] = []
    if recorded.get("status") != live.get("status"):
        found.append(Difference("status", "status", recorded.get("status"), live.get("status")))
    expected, actual = recorded.get("body") or {}, live.get("body") or {}
    if "json" in expected and "json" in actual:
        _walk(api, "$", "", expected["json"], actual["json"], rules, bindings, found, 0)
    elif "truncated" in expected:
        pass  # (the recorder kept only part of it: nothing to compare)
    elif _body_kind(expected) != _body_kind(actual):
        found.append(Difference("body", "type", _body_kind(expected), _body_kind(actual)))
    elif "text" in expected and not bindings.match(expected["text"], actual["text"]):
        found.append(Difference("body", "value", expected["text"], actual["text"]))
    elif "file" in expected and expected.get("size") != actual.get("size"):
        found.append(Difference("body", "value", f"{expected.get('size')} bytes", f"{actual.get('size')} bytes"))
    return found


def _body_kind(body: dict[str, Any]) -> str:
    return next(iter(body), "empty")


def _walk(
    api: str, path: str, key: str, expected: Any, actual: Any, rules: Rules, bindings: Bindings,
    found: list[Difference], depth: int,
) -> None:  # fmt: skip
    if depth > _MAX_DEPTH:
        return
    if isinstance(expected, str) and "<" in expected and PLACEHOLDER.search(expected):
        if json_type(actual) not in {"string", "number"}:  # (a secret or a phone: text, or digits)
            found.append(Difference(path, "type", "string", json_type(actual)))
        elif not bindings.match(expected, actual):
            kind = "volatile" if rules.volatile(key) else "value"
            found.append(Difference(path, kind, expected, actual))
        return
    if json_type(expected) != json_type(actual):
        found.append(Difference(path, "type", json_type(expected), json_type(actual)))
        return
    if isinstance(expected, dict):
        for name, value in expected.items():
            child = f"{path}.{name}"
            if name not in actual:
                found.append(Difference(child, "missing", value, None))
            else:
                _walk(api, child, name, value, actual[name], rules, bindings, found, depth + 1)
        found.extend(
            Difference(f"{path}.{name}", "extra", None, actual[name]) for name in actual if name not in expected
        )
        return
    if isinstance(expected, list):
        if len(expected) != len(actual):
            kind = "volatile" if rules.volatile(key) else "length"
            found.append(Difference(path, kind, len(expected), len(actual)))
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            _walk(api, f"{path}[{index}]", key, left, right, rules, bindings, found, depth + 1)
        return
    if expected == actual:
        return
    if rules.is_envelope(api, key):
        found.append(Difference(path, "envelope", expected, actual))
    elif rules.volatile(key, expected, actual):
        found.append(Difference(path, "volatile", expected, actual))
    else:
        found.append(Difference(path, "value", expected, actual))
