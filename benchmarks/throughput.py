"""Throughput, latency, cold start and memory of the emulator against a bare Starlette app.

Both servers run under uvicorn in their own process on loopback and get the same concurrent load
from the same client, so the emulator/bare ratios are measured in one run on one machine.

    python benchmarks/throughput.py [--requests 4000] [--concurrency 32] [--check]

Targets (issue 2): emulator GetCustomerData >= 50 % of bare req/s; cold start < 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = textwrap.dedent(
    """
    import sys, uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hello(request):
        return JSONResponse({"hello": "world"})

    app = Starlette(routes=[Route("/hello", hello)])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
    """
)


@dataclass
class Result:
    name: str
    cold_start_s: float
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    peak_rss_mb: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _start(command: list[str], url: str, params: dict[str, str]) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 30
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url, params=params, timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.005)
    process.kill()
    raise RuntimeError(f"{command} did not answer 200 within 30 s")


async def _load(url: str, params: dict[str, str], total: int, concurrency: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for _ in remaining:
                begun = time.perf_counter()
                response = await client.get(url, params=params)
                latencies.append((time.perf_counter() - begun) * 1000)
                errors += response.status_code != 200

        for _ in range(50):  # warm-up
            await client.get(url, params=params)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors


def measure(name: str, command: list[str], url: str, params: dict[str, str], total: int, concurrency: int) -> Result:
    process, cold = _start(command, url, params)
    try:
        seconds, latencies, errors = asyncio.run(_load(url, params, total, concurrency))
        return Result(name, cold, total, seconds, latencies, errors, _peak_rss_mb(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    bare_port, emu_port = _free_port(), _free_port()
    bare = measure(
        "bare starlette /hello",
        [sys.executable, "-c", BARE_APP, str(bare_port)],
        f"http://127.0.0.1:{bare_port}/hello",
        {},
        args.requests,
        args.concurrency,
    )
    env_note = os.environ.get("EMULATOR_STRICT", "false")
    emulator = measure(
        "emulator GetCustomerData",
        [sys.executable, "-m", "emulator", "serve", "--port", str(emu_port), "--log-level", "warning"],
        f"http://127.0.0.1:{emu_port}/ym/api/GetCustomerData",
        {"token": "0773137770:1234"},
        args.requests,
        args.concurrency,
    )

    print(f"{args.requests} requests, concurrency {args.concurrency}, strict={env_note}")
    print(f"{'server':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cold s':>7} {'RSS MB':>7} {'errors':>6}")
    for result in (bare, emulator):
        print(
            f"{result.name:28} {result.rps:9.0f} {result.percentile(0.5):8.2f} {result.percentile(0.99):8.2f} "
            f"{result.cold_start_s:7.2f} {result.peak_rss_mb:7.1f} {result.errors:6d}"
        )
    ratio = emulator.rps / bare.rps
    print(f"emulator/bare throughput ratio: {ratio:.2f} (target >= 0.50)")
    print(f"emulator/bare p50 latency ratio: {emulator.percentile(0.5) / bare.percentile(0.5):.2f}")
    print(f"emulator/bare peak RSS ratio: {emulator.peak_rss_mb / bare.peak_rss_mb:.2f}")
    print(
        f"emulator cold start: {emulator.cold_start_s:.2f} s (target < 1.5 s); "
        f"ratio to bare: {emulator.cold_start_s / bare.cold_start_s:.2f}"
    )
    missed = ratio < 0.5 or emulator.cold_start_s >= 1.5 or emulator.errors
    print("targets:", "MISSED" if missed else "met")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
