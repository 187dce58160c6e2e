"""Snapshot and restore are exact inverses, for any World and over the wire."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.core.persist import store
from emulator.world import World

_json_scalars = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=8)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def strategy_for(kind: Any) -> st.SearchStrategy[Any]:
    """A strategy for any type the state tree uses, following dataclass and msgspec Struct type hints."""
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(kind) if f.init}
        return st.builds(kind, **fields)
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        hints = typing.get_type_hints(kind)
        return st.builds(kind, **{name: strategy_for(hints[name]) for name in kind.__struct_fields__})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return _json
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=3)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(strategy_for(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*(strategy_for(arg) for arg in args))
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=3)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy_for(arg) for arg in args))
    if kind is type(None):
        return st.none()
    if kind is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind in (str, int, bool):
        return {str: st.text(max_size=8), int: st.integers(-(2**31), 2**31), bool: st.booleans()}[kind]
    raise TypeError(f"no strategy for {kind!r}: teach strategy_for about it")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=strategy_for(World))
def test_restore_of_snapshot_is_identity_for_any_world(world):
    dumped = store.dump(world)
    through_json = json.loads(json.dumps(dumped))
    assert store.load(through_json, World) == world
    assert store.dump(store.load(through_json, World)) == dumped


def test_snapshot_then_restore_over_the_wire_gives_identical_state(emulator):
    login = emulator.yemot.get("Login", params={"username": "0773137770", "password": "1234"}).json()
    emulator.yemot.get("GetCustomerData", params={"token": login["token"]})
    before = emulator.control("GET", "snapshot")

    emulator.yemot.get("Logout", params={"token": login["token"]})
    emulator.control("POST", "reset")
    assert emulator.control("GET", "snapshot") != before

    assert emulator.control("POST", "restore", json=before) == {"restored": True}
    assert emulator.control("GET", "snapshot") == before
    again = emulator.yemot.get("GetSession", params={"token": login["token"]}).json()
    assert again["responseStatus"] == "OK"


def test_restore_rejects_a_malformed_snapshot_with_400(emulator):
    response = emulator.admin.post("restore", json={"version": 1, "world": {"yemot": {"systems": 5}}})
    assert response.status_code == 400
    assert response.json()["error"].startswith("not a valid snapshot")
    assert emulator.admin.post("restore", json=[1, 2]).status_code == 400
    assert emulator.admin.post("restore", content=b"{nope").status_code == 400


def _send(emulator, to: str) -> str:
    return emulator.runtime.telephony.send_sms(api="yemot", tenant="0773137770", sender="a", to=to, text="hi").id


def test_a_snapshot_lists_the_schedulers_queue_under_pending_and_leaves_the_queue_alone(emulator):
    emulator.freeze("2026-03-01T10:00:00Z")
    sent = [_send(emulator, f"05012345{index:02d}") for index in range(3)]  # reports due in time order: the queue
    scheduler = emulator.runtime.scheduler
    queued = scheduler.events()
    assert scheduler.state.pending == [] and len(queued) == 3

    saved = emulator.control("GET", "snapshot")["world"]["scheduler"]
    assert set(saved) == {"pending", "next_seq", "fired"}  # the queue is no part of the snapshot's form
    assert [event["payload"]["message"] for event in saved["pending"]] == sent
    assert scheduler.state.pending == [] and scheduler.events() == queued  # nothing moved

    emulator.control("POST", "restore", json=emulator.control("GET", "snapshot"))
    emulator.advance(60)
    assert [emulator.runtime.telephony.state.messages[id].final for id in sent] == [True, True, True]


def test_a_snapshot_written_with_queue_fields_restores_every_event(emulator):
    emulator.freeze("2026-03-01T10:00:00Z")
    message = _send(emulator, "0501234567")
    document = emulator.control("GET", "snapshot")
    scheduler = document["world"]["scheduler"]
    scheduler["in_order"], scheduler["pending"] = scheduler["pending"], []  # as an older emulator could write it
    assert emulator.control("POST", "restore", json=document) == {"restored": True}
    assert emulator.control("GET", "snapshot")["world"]["scheduler"]["pending"] == scheduler["in_order"]
    emulator.advance(60)
    assert emulator.runtime.telephony.state.messages[message].final
