"""Checks a decoded state tree must pass before it may replace the live one.

msgspec's typed decode already proves the schema (names, types, required fields) and refuses
numbers a float cannot hold. What a type cannot say is checked here, on the new tree, before any
swap: nesting depth, instants inside the clock's range, and the scheduler's ordering keys. A
tree that passes can be run, listed, snapshotted and written to a state file again; the first
problem found is raised as a ``SnapshotError`` naming its JSON path (``$.world.<...>``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from itertools import compress
from operator import not_
from typing import Any

import msgspec

from emulator.core.http.jsonsafe import MAX_DEPTH as BODY_DEPTH
from emulator.core.persist.store import SnapshotError
from emulator.core.sim.clock import EARLIEST, LATEST
from emulator.core.sim.scheduler import ScheduledEvent, SchedulerState

MAX_DEPTH = BODY_DEPTH + 32
"""Deepest nesting of a state tree: the tree's own levels plus the deepest JSON a request may carry."""

TIME_FIELDS = frozenset(
    {
        "at", "created", "due", "ended", "expires", "last_attempt", "last_request", "last_run", "last_use",
        "last_used", "mtime", "next_run", "path_since", "queue_since", "registered", "started", "time",
        "updated", "validation_window_start",
    }
)  # fmt: skip
"""Fields holding an instant of the emulator clock (besides every ``*_at``)."""

TIME_MAPS = frozenset({"folders"})
"""Mappings whose values are instants (an IVR tree's folders by path: their creation times)."""

_SCALARS = frozenset({str, int, float, bool, type(None)})
_IS_SCALAR = _SCALARS.__contains__
_NUMBERS = frozenset({int, float})
"""Types of a value an instant field may be checked as one (a field of that name holding text, such
as an MFA method's ``expires`` date as the user wrote it, or a flag, is not an instant)."""
_PLANS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def check_world(world: Any, knows: Callable[[str], bool], root: str = "$.world") -> None:
    """Raise ``SnapshotError`` (with ``path``) for the first problem of ``world``; None when it may be
    used. ``knows(kind)`` tells whether a scheduled event's kind has a handler."""
    if isinstance(getattr(world, "scheduler", None), SchedulerState):
        check_scheduler(world.scheduler, knows, f"{root}.scheduler")
    _check_tree(world, root)


def check_scheduler(state: SchedulerState, knows: Callable[[str], bool], root: str = "$.scheduler") -> None:
    """Every pending event due inside the clock's range, of a known kind, with a unique ``seq`` below
    ``next_seq``: the queue orders events by ``(due, seq)``, and two equal keys cannot be ordered."""
    seen: dict[int, str] = {}
    for name in ("pending", "in_order", "in_order_next"):
        events: list[ScheduledEvent] = getattr(state, name)
        for index, event in enumerate(events):
            path = f"{root}.{name}[{index}]"
            if not knows(event.kind):
                raise SnapshotError(f"pending events of unknown kind: {event.kind}", path=f"{path}.kind")
            _check_instant(event.due, f"{path}.due")
            if event.seq < 0 or event.seq >= state.next_seq:
                raise SnapshotError(
                    f"event seq {event.seq} is outside 0..next_seq-1 ({state.next_seq - 1})", path=f"{path}.seq"
                )
            if event.seq in seen:
                raise SnapshotError(f"event seq {event.seq} is also the seq of {seen[event.seq]}", path=f"{path}.seq")
            seen[event.seq] = path


def _check_instant(value: Any, path: str) -> None:
    if type(value) in (int, float) and not EARLIEST <= value <= LATEST:
        raise SnapshotError(
            f"instant {value!r} is outside the clock's range ({EARLIEST:.0f}..{LATEST:.0f} POSIX seconds)", path=path
        )


def _plan(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The instant fields and the other fields of a dataclass or msgspec Struct class (cached)."""
    plan = _PLANS.get(cls)
    if plan is None:
        if issubclass(cls, msgspec.Struct):
            names = tuple(cls.__struct_fields__)
        else:
            names = tuple(spec.name for spec in dataclasses.fields(cls))
        instants = tuple(name for name in names if name in TIME_FIELDS or name.endswith("_at"))
        plan = _PLANS[cls] = (instants, tuple(name for name in names if name not in instants))
    return plan


def _check_tree(root: Any, root_path: str) -> None:
    """Depth and instants of every node: ``_sound`` answers for a tree that passes; only a tree that
    fails is walked again here, iteratively, to raise its first problem with its path."""
    if _sound(root, MAX_DEPTH - 1):
        return
    _find_problem(root, root_path)


def _sound(value: Any, room: int) -> bool:
    """Whether the node ``value``, with ``room`` levels left below it, and everything under it pass.

    The fast path, without paths or a stack of tuples: recursion is bounded by ``room`` (at most
    ``MAX_DEPTH`` frames, however deep a hostile tree), and the members of a dict or list are sorted
    in C, so Python only visits those that are not scalars. ``_find_problem`` applies the same rules
    where this answers False.
    """
    kind = type(value)
    if kind is dict:
        inner = _non_scalars(value.values())
        return not inner or _members_sound(inner, room)
    if kind is list or kind is tuple:
        inner = _non_scalars(value)
        return not inner or _members_sound(inner, room)
    instants, others = _plan(kind)
    for name in instants:
        item = getattr(value, name)
        if type(item) in _NUMBERS and not EARLIEST <= item <= LATEST:
            return False
    for name in others:
        item = getattr(value, name)
        if type(item) in _SCALARS:
            continue
        if room <= 0:
            return False
        if name in TIME_MAPS and type(item) is dict and not all(EARLIEST <= at <= LATEST for at in item.values()):
            return False
        if not _sound(item, room - 1):
            return False
    return True


def _non_scalars(members: Any) -> list[Any]:
    """The members of a dict's values or a list that are not scalars, picked in C."""
    return list(compress(members, map(not_, map(_IS_SCALAR, map(type, members)))))


def _members_sound(members: list[Any], room: int) -> bool:
    """``_sound`` for the members (none a scalar) of a dict or list with ``room`` levels below it."""
    if room <= 0:
        return False
    below = room - 1
    for item in members:
        kind = type(item)
        if kind is dict:
            values = item.values()
            inner = list(compress(values, map(not_, map(_IS_SCALAR, map(type, values)))))
        elif kind is list or kind is tuple:
            inner = list(compress(item, map(not_, map(_IS_SCALAR, map(type, item)))))
        else:
            if not _sound(item, below):
                return False
            continue
        if inner and not _members_sound(inner, below):
            return False
    return True


def _find_problem(root: Any, root_path: str) -> None:
    """Raise the first problem of a tree ``_sound`` refused, iteratively (a hostile tree cannot
    exhaust the stack).

    A dict or list holding scalars only is passed over in C (``issuperset`` of its members' types),
    so the millions of values of a large state cost little. Paths are built only for the node that
    fails: each stack entry keeps its parent entry and key.
    """
    stack: list[tuple[Any, Any, Any, int]] = [(root, None, root_path, 1)]
    scalars = _SCALARS
    while stack:
        entry = stack.pop()
        value, _parent, _key, depth = entry
        if depth > MAX_DEPTH:
            raise SnapshotError(f"the state nests deeper than {MAX_DEPTH} levels", path=_path(entry))
        below = depth + 1
        kind = type(value)
        if kind is dict:
            if not scalars.issuperset(map(type, value.values())):
                _push(stack, value.items(), entry, below)
        elif kind is list or kind is tuple:
            if not scalars.issuperset(map(type, value)):
                _push(stack, enumerate(value), entry, below)
        else:
            instants, others = _plan(kind)
            for name in instants:
                item = getattr(value, name)
                if type(item) in _NUMBERS and not EARLIEST <= item <= LATEST:
                    _check_instant(item, _path((item, entry, name, below)))
            for name in others:
                item = getattr(value, name)
                if type(item) in scalars:
                    continue
                if name in TIME_MAPS and type(item) is dict:
                    for key, instant in item.items():
                        if not EARLIEST <= instant <= LATEST:
                            _check_instant(instant, _path((instant, (item, entry, name, below), key, below + 1)))
                stack.append((item, entry, name, below))


def _push(stack: list[tuple[Any, Any, Any, int]], members: Any, entry: Any, depth: int) -> None:
    """Put the container members of a dict or list on ``stack``, except those holding scalars only
    (the leaves of most states: a record's little ``{"$date": ...}``), which are checked here."""
    scalars = _SCALARS
    leaves_fit = depth < MAX_DEPTH
    for key, item in members:
        kind = type(item)
        if kind in scalars:
            continue
        if leaves_fit and (
            (kind is dict and scalars.issuperset(map(type, item.values())))
            or (kind is list and scalars.issuperset(map(type, item)))
        ):
            continue
        stack.append((item, entry, key, depth))


def _path(entry: tuple[Any, Any, Any, int]) -> str:
    """The JSON path of a stack entry: ``$.world.a.b[3]["key with dots"]``."""
    parts: list[str] = []
    while entry is not None:
        _value, parent, key, _depth = entry
        if parent is None:
            parts.append(str(key))
        elif isinstance(key, int):
            parts.append(f"[{key}]")
        elif isinstance(key, str) and key.isidentifier():
            parts.append(f".{key}")
        else:
            parts.append(f"[{msgspec.json.encode(key).decode()}]")
        entry = parent
    return "".join(reversed(parts))
