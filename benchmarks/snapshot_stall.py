"""How long a served emulator stops answering while a large snapshot is taken.

A ``telephony-emulator serve`` process holds a world of ``--records`` records (the state_ops.py
world). One client keeps reading (``GetCustomerData``, one request at a time) while another takes
``GET /__emulator__/snapshot``; the longest read answered during the snapshot is the stall. Both
ways of snapshotting are measured in the same run:

- ``in child`` (the default): a forked child encodes a copy-on-write image of the instant,
- ``in place`` (``EMULATOR_SNAPSHOT_IN_CHILD=0``): the event loop encodes the world itself.

    python benchmarks/snapshot_stall.py [--records 100000] [--smoke]

Target: the server keeps answering other requests while a large snapshot is taken.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from processes import YEMOT_TOKEN, Server, free_port  # noqa: E402
from state_ops import fixture_text  # noqa: E402

READ = f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}"


def measure(fixture: Path, in_child: bool, rounds: int) -> dict[str, float]:
    port = free_port()
    command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--fixtures", str(fixture)]
    env = {"EMULATOR_SNAPSHOT_IN_CHILD": "1" if in_child else "0", "EMULATOR_LOG_LEVEL": "warning"}
    stalls, durations, sizes = [], [], []
    with Server("emulator", command, port, READ, env=env), httpx.Client(base_url=f"http://127.0.0.1:{port}") as admin:
        admin.get("/__emulator__/snapshot")  # warm up both paths once
        for _ in range(rounds):
            window: list[float] = []
            reads: list[tuple[float, float]] = []
            stop = threading.Event()

            def read(stop: threading.Event = stop, reads: list[tuple[float, float]] = reads) -> None:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                    while not stop.is_set():
                        started = time.perf_counter()
                        client.get(READ).raise_for_status()
                        reads.append((started, time.perf_counter()))

            reader = threading.Thread(target=read)
            reader.start()
            time.sleep(0.2)
            window.append(time.perf_counter())
            response = admin.get("/__emulator__/snapshot", timeout=120)
            window.append(time.perf_counter())
            response.raise_for_status()
            time.sleep(0.1)
            stop.set()
            reader.join()
            during = [end - start for start, end in reads if end >= window[0] and start <= window[1]]
            stalls.append(max(during, default=window[1] - window[0]) * 1000)
            durations.append((window[1] - window[0]) * 1000)
            sizes.append(len(response.content) / 1e6)
    return {
        "stall_ms": statistics.median(stalls),
        "snapshot_ms": statistics.median(durations),
        "size_mb": statistics.median(sizes),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="a small world, one round (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.records, args.rounds = 2_000, 1
    with tempfile.TemporaryDirectory() as directory:
        fixture = Path(directory) / "world.yaml"
        fixture.write_text(fixture_text(args.records))
        print(f"{'snapshot':>9} {'records':>8} {'size MB':>8} {'snapshot ms':>12} {'longest read ms':>16}")
        for label, in_child in (("in child", True), ("in place", False)):
            row = measure(fixture, in_child, args.rounds)
            print(
                f"{label:>9} {args.records:8d} {row['size_mb']:8.1f} {row['snapshot_ms']:12.1f} {row['stall_ms']:16.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
