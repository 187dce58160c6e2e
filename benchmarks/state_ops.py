"""Reset, snapshot and restore of worlds of 1k, 10k and 100k records, and memory of 1 M stored rows.

Each world is the default tenants plus generated Yemot rows (half SMS log, half incoming calls) and
Simotel CDRs, built from an inline fixture, so the figures cover the real state types. Times are
the median of several runs, in-process (no HTTP), for:

- reset: back to the fixture's world (what ``POST /__emulator__/reset`` does) when the server has had
  a moment between requests to decode the next world ahead ("reset"), and when it has not ("cold"),
- snapshot: the world as JSON bytes (``GET /__emulator__/snapshot``),
- restore: a world from a snapshot's JSON bytes, swapped in (``POST /__emulator__/restore``); the
  world it replaces is freed by the idle ticker between requests, as on a server, not in the timing,

then the resident memory of a process holding 1,000,000 stored SMS rows (``--rss-rows``).

    python benchmarks/state_ops.py [--sizes 1000 10000 100000] [--rss-rows 1000000] [--smoke]

Targets: snapshot + restore of 10k < 100 ms and of 100k < 1 s; reset of 10k < 10 ms; RSS with 1 M
rows < 600 MB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator.config import EmulatorConfig  # noqa: E402
from emulator.fixtures import parse  # noqa: E402
from emulator.runtime import Emulator  # noqa: E402


def fixture_text(records: int) -> str:
    yemot_rows, cdrs = records // 2, records - records // 2
    per_kind = yemot_rows // 2
    return f"""
seed: 7
anchor: "2026-01-01T00:00:00Z"
yemot:
  systems:
    - number: "0773137770"
      password: "1234"
      units: 1000
      generate: {{sms_out_log: {per_kind}, incoming_calls: {yemot_rows - per_kind}}}
simotel:
  accounts:
    - {{username: test, password: Aa123456, auth_mode: basic, permissions: ["*"]}}
  generate: {{cdr: {cdrs}}}
"""


def median_ms(action, repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(records: int, repeat: int) -> dict[str, float]:
    emulator = Emulator(EmulatorConfig.from_env({}))
    emulator.use_fixture(parse(fixture_text(records), f"{records} records"))
    raw = emulator.snapshot_bytes()
    return {
        "records": records,
        "reset_ms": median_ms(emulator.reset, repeat, before=emulator.prepare_spare),
        "cold_reset_ms": median_ms(emulator.reset, repeat),
        "snapshot_ms": median_ms(emulator.snapshot_bytes, repeat),
        # What POST /__emulator__/restore does with the request body: decode it straight into a World,
        # swap. The world it replaces is freed later by the idle ticker, off the request (as between
        # two restores on a server); each run starts after that moment.
        "restore_ms": median_ms(
            lambda: emulator.set_world(emulator.world_from_snapshot_bytes(raw)), repeat, before=emulator.prepare_spare
        ),
    }


RSS_PROBE = """
import sys
sys.path.insert(0, sys.argv[2])
from emulator.config import EmulatorConfig
from emulator.runtime import Emulator
from msgspec.structs import replace
emulator = Emulator(EmulatorConfig.from_env({}))
system = next(iter(emulator.world.yemot.systems.values()))
template = system.sms_out_log[0] if system.sms_out_log else None
for i in range(int(sys.argv[1])):
    system.sms_out_log.append(replace(template, to=f"05{i:08d}"))
# VmHWM belongs to this process image; ru_maxrss would carry the forking parent's peak across exec.
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(int(hwm.split()[1]) / 1024)
"""


def rss_with_rows(rows: int) -> float:
    """Peak RSS (MB) of a fresh process that stores ``rows`` SMS log rows."""
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(rows), str(ROOT)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rss-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="small sizes, one repeat (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.rss_rows, args.repeat = [1_000], 10_000, 1

    print(
        f"{'records':>8} {'reset ms':>9} {'cold reset ms':>14} {'snapshot ms':>12} {'restore ms':>11} "
        f"{'snap+restore ms':>16}"
    )
    for records in args.sizes:
        row = measure(records, args.repeat)
        total = row["snapshot_ms"] + row["restore_ms"]
        print(
            f"{records:8d} {row['reset_ms']:9.1f} {row['cold_reset_ms']:14.1f} {row['snapshot_ms']:12.1f} "
            f"{row['restore_ms']:11.1f} {total:16.1f}"
        )
    print(f"peak RSS with {args.rss_rows:,} stored SMS rows: {rss_with_rows(args.rss_rows):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
