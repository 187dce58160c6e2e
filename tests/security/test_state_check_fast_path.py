"""The restore check's fast path (``_sound``) and its walk with paths (``_find_problem``) apply the
same rules: at every depth around the limit, in dicts, lists and typed records, and for instants."""

from __future__ import annotations

import pytest

from emulator.core.persist import state_check
from emulator.core.persist.store import SnapshotError
from emulator.core.sim.scheduler import ScheduledEvent
from emulator.yemot.state import MfaMethod

LIMIT = state_check.MAX_DEPTH


def nested(levels: int, leaf: object, kind: str) -> object:
    """``levels`` containers of ``kind`` (dict, list or mixed) around ``leaf``."""
    value = leaf
    for level in range(levels):
        shape = kind if kind != "mixed" else ("dict", "list")[level % 2]
        value = {"k": value} if shape == "dict" else [1, value]
    return value


def event(payload: object) -> ScheduledEvent:
    return ScheduledEvent(due=2e9, seq=0, kind="k", payload={"p": payload})


RECORD = MfaMethod(1, "EMAIL", "v")
CASES = [
    (f"{kind} {levels} levels of {leaf_name}", nested(levels, leaf, kind))
    for kind in ("dict", "list", "mixed")
    for levels in (LIMIT - 2, LIMIT - 1, LIMIT, LIMIT + 1)
    for leaf_name, leaf in (("scalar", 1), ("empty dict", {}), ("empty list", []), ("record", RECORD))
] + [
    (f"event payload {depth} levels", [event(nested(depth, "x", "mixed"))]) for depth in (LIMIT - 5, LIMIT - 3, LIMIT)
] + [
    ("instant out of range", [MfaMethod(1, "EMAIL", "v", last_used=-1.0)]),
    ("instant in range", [MfaMethod(1, "EMAIL", "v", last_used=1.0)]),
    ("a date text named like an instant", [MfaMethod(1, "EMAIL", "v", expires="2999-99-99")]),
    ("instant out of range deep in dicts", nested(10, MfaMethod(1, "EMAIL", "v", last_used=1e20), "dict")),
    ("due out of range", [ScheduledEvent(due=-5.0, seq=0, kind="k")]),
]  # fmt: skip


def walk_refuses(tree: object) -> bool:
    try:
        state_check._find_problem(tree, "$.world")
    except SnapshotError:
        return True
    return False


@pytest.mark.parametrize(("name", "tree"), CASES, ids=[name for name, _ in CASES])
def test_the_fast_path_and_the_walk_agree(name, tree):
    sound = state_check._sound(tree, LIMIT - 1)
    assert sound is not walk_refuses(tree)


def test_the_depth_limit_falls_where_it_always_did():
    assert state_check._sound(nested(LIMIT, 1, "dict"), LIMIT - 1)  # 96 containers: 96 levels
    assert not state_check._sound(nested(LIMIT + 1, 1, "dict"), LIMIT - 1)
    with pytest.raises(SnapshotError, match=f"deeper than {LIMIT} levels"):
        state_check._check_tree(nested(LIMIT + 1, 1, "list"), "$.world")


def test_a_tree_far_deeper_than_the_limit_neither_recurses_nor_passes():
    deep = nested(200_000, 1, "mixed")
    assert not state_check._sound(deep, LIMIT - 1)
    with pytest.raises(SnapshotError):
        state_check._check_tree(deep, "$.world")
