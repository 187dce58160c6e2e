"""Snapshot and restore of a runtime whose Yemot IVR tree holds many binary files.

The default system gets ``--files`` files of ``--size`` random bytes (plus a copy of each, which
shares content), then the runtime is snapshotted and restored ``--rounds`` times; the figure is
the mean of one snapshot plus one restore, in process (what tests and the control plane call).

    python benchmarks/tree_snapshot.py [--files 200] [--size 100000] [--rounds 5] [--check]

Target: 200 files of 100 KB, snapshot + restore < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from emulator.config import EmulatorConfig
from emulator.runtime import Emulator
from emulator.yemot import ivrtree

TARGET_MS = 200.0


def populated(files: int, size: int) -> Emulator:
    emulator = Emulator(EmulatorConfig.from_env({}))
    system = next(iter(emulator.world.yemot.systems.values()))
    system.tree.quota_bytes = 4 * files * size + 10_000_000
    for n in range(files):
        ivrtree.put(system, f"bench/{n // 100}/{n % 100:03d}.wav", os.urandom(size), now=0.0)
    if files:
        ivrtree.copy(system, "bench", "bench-copy", now=0.0)
    return emulator


def round_trips(emulator: Emulator, rounds: int) -> list[float]:
    """Milliseconds of each snapshot + restore."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        emulator.restore(emulator.snapshot())
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when a round takes {TARGET_MS} ms or more")
    args = parser.parse_args(argv)
    baseline = round_trips(populated(0, 0), args.rounds)
    emulator = populated(args.files, args.size)
    timings = round_trips(emulator, args.rounds)
    mean = sum(timings) / len(timings)
    system = next(iter(emulator.world.yemot.systems.values()))
    started = time.perf_counter()
    wire = json.dumps(emulator.snapshot())
    serialised = (time.perf_counter() - started) * 1000
    tree = system.tree
    print(f"{len(tree.files)} files ({args.files} x {args.size} bytes, each also copied), {len(tree.blobs)} contents")
    print(f"snapshot + restore in process: mean {mean:.1f} ms, worst {max(timings):.1f} ms over {args.rounds} rounds")
    print(f"baseline (the same fixture, no added files): mean {sum(baseline) / len(baseline):.1f} ms")
    print(f"snapshot as JSON text (control plane GET /snapshot): {len(wire) / 1e6:.1f} MB in {serialised:.0f} ms")
    print(f"target < {TARGET_MS:g} ms: {'met' if max(timings) < TARGET_MS else 'MISSED'}")
    return 1 if args.check and max(timings) >= TARGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
