"""What the dashboard asks of a full journal: 10,000 entries, one page, with and without filters.

Fills the journal of an in-process emulator with 10,000 entries (the journal's bound), then times
the page the dashboard asks for every second (`order=desc&limit=50`), the same page filtered by
operation, tenant and a parameter subset, a deep page, and one failed verification with its near
misses, each over the control plane in process.

    python benchmarks/journal_pages.py [--entries 10000] [--rounds 20] [--check]

Target: every one of these answers in < 100 ms (median), so a one-second refresh stays light.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from emulator.config import EmulatorConfig
from emulator.testing.harness import InProcessEmulator

TARGET_S = 0.1
OPERATIONS = ["SendSms", "GetSession", "RunTzintuk", "GetTasks"]


def fill(emulator: InProcessEmulator, entries: int) -> None:
    journal = emulator.runtime.journal
    for n in range(entries):
        journal.record(
            time=float(n), api="yemot", operation=OPERATIONS[n % 4], method="GET", path="/ym/api/x",
            client="127.0.0.1", params={"phones": f"05{n:08d}", "message": "hello"}, status=200,
            response={"responseStatus": "OK", "rows": list(range(20))}, tenant=f"07731377{n % 10}0",
        )  # fmt: skip


def median_s(call, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - started)
        assert response.status_code in (200, 409), response.text
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when a median is {TARGET_S} s or more")
    args = parser.parse_args(argv)
    emulator = InProcessEmulator(EmulatorConfig.from_env({}))
    try:
        fill(emulator, args.entries)
        admin = emulator.admin
        cases = {
            "newest page": lambda: admin.get("journal", params={"order": "desc", "limit": 50}),
            "filtered page": lambda: admin.get(
                "journal",
                params={"operation": "SendSms", "tenant": "0773137700", "params": '{"message": "hello"}', "limit": 50},
            ),
            "deep page": lambda: admin.get("journal", params={"order": "desc", "limit": 50, "offset": 9_000}),
            "failed verify": lambda: admin.post(
                "journal/verify", json={"operation": "SendSms", "params": {"phones": "0599999999"}}
            ),
        }
        worst = 0.0
        for name, call in cases.items():
            elapsed = median_s(call, args.rounds)
            worst = max(worst, elapsed)
            print(f"{name:14} {elapsed * 1000:7.1f} ms (median of {args.rounds}, {args.entries} entries)")
    finally:
        emulator.close()
    print(f"worst median {worst * 1000:.1f} ms; target < {TARGET_S * 1000:.0f} ms")
    return 1 if args.check and worst >= TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
