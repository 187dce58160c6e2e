"""Restores that never half-apply, and one state budget for snapshot, restore and state file.

Every hostile snapshot is refused with 400, the control plane's error shape and the JSON path of
its first problem, and the running world is untouched (its snapshot is byte-identical after).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import msgspec
import pytest
from hostile import hostile_worlds

from emulator.core.persist.stream_json import PIECE_BYTES, SMALL, Budget, OverBudget, write_json

WORLDS = hostile_worlds()


@dataclass
class Holder:
    blob: str


@pytest.mark.parametrize(("path", "world"), WORLDS, ids=[f"{index}:{path}" for index, (path, _) in enumerate(WORLDS)])
def test_a_hostile_snapshot_is_refused_with_its_path_and_changes_nothing(wire, path, world):
    wire.control.control("POST", "clock", json={"freeze": True, "set": "2026-03-10T10:00:00Z"})
    before = wire.admin.get("snapshot").content
    response = wire.admin.post(
        "restore", content=f'{{"version":1,"world":{world}}}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("not a valid snapshot: ")
    assert body.get("path") == path
    assert set(body) == ({"error", "path"} if path else {"error"})
    assert wire.admin.get("snapshot").content == before
    assert wire.admin.post("restore", content=before).json() == {"restored": True}  # still serving, still whole


def test_equal_due_and_seq_no_longer_reach_the_queue(wire):
    """The probe's case: two pending events with equal (due, seq) made heapify raise TypeError after the swap."""
    snapshot = wire.admin.get("snapshot").json()
    event = {"due": 2e9, "seq": 0, "kind": "yemot.validation_reset", "payload": {}}
    snapshot["world"]["scheduler"].update(pending=[event, dict(event)], next_seq=1)
    response = wire.admin.post("restore", json=snapshot)
    assert response.json() == {
        "error": "not a valid snapshot: event seq 0 is also the seq of $.world.scheduler.pending[0]",
        "path": "$.world.scheduler.pending[1].seq",
    }
    assert wire.admin.post("clock", json={"advance": 0}).status_code == 200  # the live queue still runs


def test_a_snapshot_over_the_budget_is_refused_before_a_byte_is_sent(wire_factory):
    whole = len(wire_factory().admin.get("snapshot").content)
    for in_child in (True, False):
        small = wire_factory(max_snapshot_bytes=whole - 1, snapshot_in_child=in_child)
        response = small.admin.get("snapshot")
        assert response.status_code == 507
        assert response.json() == {
            "error": f"the state is larger than the state budget of {whole - 1} bytes (--max-snapshot-bytes, "
            "EMULATOR_MAX_SNAPSHOT_BYTES), the most a restore or a state file accepts; nothing was written",
            "budget": whole - 1,
        }
        fits = wire_factory(max_snapshot_bytes=whole, snapshot_in_child=in_child).admin.get("snapshot")
        assert fits.status_code == 200 and len(fits.content) == whole
        assert fits.headers["content-length"] == str(whole)


def test_a_streamed_snapshot_restores_to_the_same_state(wire):
    for number in ("7101", "7102"):
        body = {"name": f"user {number}", "number": number, "secret": "Secret123"}
        assert wire.simotel.put("pbx/users/add", json=body).json()["success"] == 1
    first = wire.admin.get("snapshot")
    assert wire.admin.post("reset").status_code == 200
    assert wire.admin.post("restore", content=first.content).json() == {"restored": True}
    assert wire.admin.get("snapshot").content == first.content


def test_the_piecewise_encoding_decodes_to_msgspecs_own():
    big = "x" * (PIECE_BYTES + 10)
    value = {
        "rows": [{"n": index, "date": {"$date": index}} for index in range(5 * SMALL)],
        "blobs": {f"b{index}": big if index == 3 else "small" for index in range(SMALL + 5)},
        "few": [1, 2, {"a": [3]}],
        "systems": {"one": Holder(blob=big)},  # a small dict of dataclasses holding the bulk is opened too
        "empty": {},
        "text": 'quote " and ש',
        "long": ('ש"\n𝄞' * PIECE_BYTES)[: PIECE_BYTES * 3 + 1],  # escapes and astral characters across slices
    }
    pieces: list[bytes] = []
    write_json(value, pieces.append)
    assert json.loads(b"".join(pieces)) == json.loads(msgspec.json.encode(value))
    assert max(bytes(piece).count(b"x") for piece in pieces) <= PIECE_BYTES  # no blob written whole
    assert max(len(piece) for piece in pieces) <= 4 * PIECE_BYTES + 64  # slices of PIECE_BYTES characters
    assert len(pieces) > 10


def test_the_budget_stops_before_the_piece_that_would_pass_it():
    written: list[bytes] = []
    budget = Budget(written.append, 10)
    budget(b"12345")
    budget(b"67890")
    with pytest.raises(OverBudget):
        budget(b"x")
    assert b"".join(written) == b"1234567890" and budget.written == 10
