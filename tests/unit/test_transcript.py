"""The shared call transcript: order, wire form, reserved keys and the size bound."""

from __future__ import annotations

import pytest

from emulator.core.persist import store
from emulator.core.sim.transcript import MAX_ENTRIES, Transcript


def test_entries_keep_order_and_render_with_iso_time():
    transcript = Transcript()
    transcript.add(1700000000.0, "play", parts=[{"type": "text", "text": "hi"}], seconds=1.5)
    transcript.add(1700000001.5, "input", variable="userId", keys="1234", mode="tap")
    assert [entry.kind for entry in transcript.entries] == ["play", "input"]
    assert transcript.to_json()[1] == {
        "at": "2023-11-14T22:13:21.500000Z",
        "kind": "input",
        "variable": "userId",
        "keys": "1234",
        "mode": "tap",
    }
    assert transcript.of_kind("input")[0].data["keys"] == "1234"


def test_unknown_kind_and_reserved_keys_are_refused():
    transcript = Transcript()
    with pytest.raises(ValueError, match="unknown transcript kind"):
        transcript.add(0.0, "dance")
    with pytest.raises(ValueError, match="reserved"):
        transcript.add(0.0, "note", at="x")


def test_transcript_is_bounded():
    transcript = Transcript()
    for n in range(MAX_ENTRIES + 10):
        transcript.add(float(n), "note", message=str(n))
    assert len(transcript) == MAX_ENTRIES
    assert transcript.truncated
    assert transcript.entries[-1].data == {"code": "limit", "message": "transcript is full"}


def test_transcript_survives_snapshot_round_trip():
    transcript = Transcript()
    transcript.add(5.0, "goto", **{"from": "", "to": "5", "reason": "menu"})
    assert store.load(store.dump(transcript), Transcript) == transcript


def test_cut_after_drops_what_never_happened():
    transcript = Transcript()
    for at in (1.0, 2.0, 3.0):
        transcript.add(at, "note", message=str(at))
    assert transcript.cut_after(2.0) == 1
    assert [entry.at for entry in transcript.entries] == [1.0, 2.0]
