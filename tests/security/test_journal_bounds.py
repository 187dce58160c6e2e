"""The journal is bounded in bytes as well as entries, shortens oversized entries with markers and
keeps little of requests that found no tenant (issue: 3.5 MB of parameters per bad-token request)."""

from __future__ import annotations

import json

from emulator.core.observe.journal import ENTRY_OVERHEAD, Journal
from emulator.core.observe.journal_trim import ENTRY_CAP, UNAUTHENTICATED_CAP

TOKEN = "0773137770:1234"


def _record(journal: Journal, params: dict, tenant: str | None = "0773137770", path: str = "/ym/api/X") -> None:
    journal.record(0.0, "yemot", "X", "GET", path, None, json.dumps(params).encode(), 200, b'{"ok":1}', None, tenant)


def test_the_byte_budget_drops_the_oldest_entries_and_counts_them():
    journal = Journal(max_bytes=10 * (ENTRY_OVERHEAD + 1000))
    for index in range(30):
        _record(journal, {"n": index, "pad": "x" * 900})
    kept = journal.entries()
    assert journal.bytes <= journal.max_bytes
    assert journal.bytes == sum(entry.size for entry in kept)
    assert len(kept) < 30 and journal.evicted == 30 - len(kept)
    assert [entry.params["n"] for entry in kept] == list(range(30 - len(kept), 30))  # the newest stay
    journal.clear()
    assert (journal.bytes, journal.evicted, len(journal)) == (0, 0, 0)


def test_the_entry_count_cap_also_counts_as_evictions():
    journal = Journal(limit=3)
    for index in range(5):
        _record(journal, {"n": index})
    assert [entry.params["n"] for entry in journal.entries()] == [2, 3, 4]
    assert journal.evicted == 2 and journal.bytes == sum(entry.size for entry in journal.entries())


def test_long_values_are_kept_shortened_with_a_marker_and_their_real_length():
    journal = Journal()
    _record(journal, {"message": "א" * 200_000, "phones": "0501234567", "list": list(range(5000))})
    [entry] = journal.entries()
    assert entry.size <= ENTRY_OVERHEAD + len("/ym/api/X") + ENTRY_CAP + 64
    params = entry.params
    assert params["phones"] == "0501234567"
    assert params["message"] == {"$truncated": "א" * (ENTRY_CAP // 64), "length": 200_000}
    assert params["list"] == {"$truncated": list(range(100)), "length": 5000}


def test_a_shortened_secret_is_still_redacted():
    journal = Journal()
    _record(journal, {"password": "s" * 100_000 + "42", "pad": "y" * 100_000})
    assert journal.entries()[0].params["password"] == "***42"


def test_a_document_too_wide_to_shorten_keeps_only_its_length():
    journal = Journal()
    wide = {f"field{index:05}": index for index in range(20_000)}
    _record(journal, wide, tenant=None)
    [entry] = journal.entries()
    assert entry.params == {"$truncated": None, "length": len(json.dumps(wide))}


def test_bad_token_requests_keep_only_a_small_entry_over_the_wire(emulator):
    big = "z" * 3_500_000
    for _ in range(3):
        body = emulator.yemot.post("SendSms", data={"token": "nope", "message": big, "phones": "0501234567"}).json()
        assert body["responseStatus"] == "EXCEPTION"
    entries = emulator.control("GET", "journal", params={"operation": "SendSms"})["entries"]
    assert len(entries) == 3
    for entry in entries:
        assert entry["tenant"] is None
        assert entry["params"]["message"] == {"$truncated": "z" * (UNAUTHENTICATED_CAP // 64), "length": 3_500_000}
        assert entry["params"]["phones"] == "0501234567"  # what verify filters on is still there
    journal = emulator.runtime.journal
    assert journal.bytes < 3 * (ENTRY_OVERHEAD + 2 * UNAUTHENTICATED_CAP + 100)
    verified = emulator.admin.post("journal/verify", json={"operation": "SendSms", "params": {"phones": "0501234567"}})
    assert verified.json()["matched"] == 3


def test_get_journal_says_how_many_entries_were_evicted(emulator_factory):
    emulator = emulator_factory(max_journal_bytes=4 * (ENTRY_OVERHEAD + 200))
    assert emulator.control("GET", "journal")["evicted"] == 0
    for _ in range(10):
        assert emulator.yemot.get("GetSession", params={"token": TOKEN}).status_code == 200
    page = emulator.control("GET", "journal")
    assert page["evicted"] == 10 - page["count"] > 0
    emulator.control("DELETE", "journal")
    assert emulator.control("GET", "journal")["evicted"] == 0
