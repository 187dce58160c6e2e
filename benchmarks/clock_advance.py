"""Advancing the clock 7 days through 500 scheduled calls, against a baseline of trivial events.

Each simulated call is placed by a scheduled event at a random instant of the week (a mix of
default numbers, every magic suffix, tzintuk timeouts and bridges), so the advance runs the
placements and every phase of every call. The baseline advances a fresh runtime through the same
number of no-op events, so the ratio says what the telephony engine costs per event.

    python benchmarks/clock_advance.py [--calls 500] [--days 7] [--check]

Target (issue 3): the 7-day advance with 500 calls takes < 2 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from emulator.config import EmulatorConfig
from emulator.core.sim.clock import parse_instant
from emulator.runtime import Emulator

TARGET_S = 2.0
START = parse_instant("2026-03-01T00:00:00Z")
NUMBERS = ["0501234567", "0521234901", "0531234902", "0541234903", "0551234904", "0581234905", "021234567"]


def fresh() -> Emulator:
    return Emulator(EmulatorConfig.from_env({}, frozen_at=START))


def with_calls(calls: int, seconds: float, seed: int = 7) -> Emulator:
    """A runtime with ``calls`` placements scheduled at random instants within ``seconds``."""
    emulator = fresh()
    engine = emulator.telephony

    def place(event) -> None:
        options = event.payload
        engine.place(
            api=options["api"],
            tenant="bench",
            kind=options["kind"],
            caller_id="0773137770",
            to=options["to"],
            campaign=f"C{options['n'] % 25}",
            bridge_to=options.get("bridge_to"),
            ring_timeout_s=options.get("timeout"),
        )

    emulator.scheduler.register("bench.place", place)
    rng = random.Random(seed)
    for n in range(calls):
        payload = {"n": n, "api": "yemot", "kind": "tts", "to": rng.choice(NUMBERS)}
        if n % 5 == 0:
            payload.update(kind="bridge", bridge_to=rng.choice(NUMBERS))
        elif n % 5 == 1:
            payload.update(kind="tzintuk", timeout=16.0)
        elif n % 5 == 2:
            payload.update(api="simotel", kind="originate", to=rng.choice([*NUMBERS, "09123456789", "1042"]))
        emulator.scheduler.at(START + rng.uniform(0, seconds), "bench.place", payload)
    return emulator


def with_trivial_events(count: int, seconds: float, seed: int = 7) -> Emulator:
    emulator = fresh()
    emulator.scheduler.register("bench.noop", lambda event: None)
    rng = random.Random(seed)
    for _ in range(count):
        emulator.scheduler.at(START + rng.uniform(0, seconds), "bench.noop", {})
    return emulator


def timed_advance(emulator: Emulator, seconds: float) -> tuple[float, int]:
    started = time.perf_counter()
    ran = emulator.scheduler.advance(seconds)
    return time.perf_counter() - started, ran


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when the advance takes {TARGET_S} s or more")
    args = parser.parse_args(argv)
    seconds = args.days * 86400

    calls_runtime = with_calls(args.calls, seconds)
    elapsed, ran = timed_advance(calls_runtime, seconds)
    placed = len(calls_runtime.telephony.calls())
    ended = len(calls_runtime.telephony.calls(phase="ended"))
    baseline, baseline_ran = timed_advance(with_trivial_events(ran, seconds), seconds)

    print(f"advance {args.days:g} days with {args.calls} scheduled calls: {elapsed:.4f} s")
    print(f"  events run {ran}, call records {placed} (bridge second legs included), ended {ended}")
    print(f"baseline: {baseline_ran} no-op events over the same span: {baseline:.4f} s")
    print(f"ratio calls/baseline: {elapsed / baseline if baseline else float('inf'):.1f}x")
    print(f"target < {TARGET_S} s: {'met' if elapsed < TARGET_S else 'MISSED'}")
    return 1 if args.check and elapsed >= TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
