"""What a ``kill -9`` loses with ``--state-file``, and what writing a large state costs in memory.

A ``telephony-emulator serve --state-file F --state-interval I`` process is filled to about
``--state-mb`` megabytes of state (Yemot IVR-tree files of random bytes). Each round, one client
adds Simotel users one after another (each acknowledged change is timed) while the server writes
its state every interval; after a few intervals the server is ``kill -9``ed and started again on
the same file, and the users it reloaded say which acknowledged changes were lost. Reported per
round: the age, at the kill, of the oldest lost change (the data the crash lost), against the
bound of one interval plus one write's duration (a write lasts from its temporary file's
appearance to its rename, watched in the folder). Memory, sampled while the writes run: how much
the server's resident set grows, plus the writing children's private memory (what they allocate
and the pages the server changed since the fork, which then exist twice), against the state
file's size.

    python benchmarks/state_file_crash.py [--state-mb 200] [--interval 1] [--rounds 3] [--round-s 12] [--smoke]

Targets: no lost change older than one interval plus one write's duration; writing a state costs
at most 20 % of its size in memory.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from processes import YEMOT_TOKEN, Server, free_port, memory_mb  # noqa: E402

SIMOTEL = {"auth": ("test", "Aa123456"), "headers": {"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"}}
SYSTEM = YEMOT_TOKEN.split(":")[0]
MB = 1_000_000
MEMORY_EVERY_S = 0.25


def start(path: Path, interval: float, budget: int) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--state-file", str(path),
               "--state-interval", str(interval), "--max-snapshot-bytes", str(budget),
               "--log-level", "warning"]  # fmt: skip
    return Server("emulator", command, port, "/__emulator__/clock").__enter__()


def fill(base: str, state_mb: int) -> None:
    """About ``state_mb`` MB of state: random files (kept as base64, 4/3 of their size)."""
    remaining = state_mb * MB * 3 // 4
    with httpx.Client(base_url=base, timeout=300) as client:
        index = 0
        while remaining > 0:
            size = min(remaining, 32 * MB)
            url = f"/__emulator__/yemot/systems/{SYSTEM}/files"
            client.put(url, params={"path": f"ivr2/9/{index:03}.bin"}, content=os.urandom(size)).raise_for_status()
            remaining -= size
            index += 1


def private_mb(pid: int) -> float:
    """The private memory of a process in MB: for a forked child, what it allocated plus the pages
    the server changed since the fork (each such page now exists twice): what the fork costs."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_")) / 1024


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Watch(threading.Thread):
    """Samples, every few milliseconds, the state folder's temporary files (each one a write, from
    its appearance to its rename) and the memory of the server and its writing children."""

    def __init__(self, folder: Path, pid: int) -> None:
        super().__init__(daemon=True)
        self.folder, self.pid = folder, pid
        self.stop = threading.Event()
        self.writes: list[tuple[float, float]] = []
        self.rss_before = memory_mb(pid, "VmRSS")
        self.server_growth = 0.0
        self.children_peak = 0.0
        self.growth = 0.0

    def run(self) -> None:
        seen: dict[str, float] = {}
        sampled = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            present = {name for name in os.listdir(self.folder) if name.endswith(".tmp")}
            for name in present - seen.keys():
                seen[name] = now
            for name in [name for name in seen if name not in present]:
                self.writes.append((seen.pop(name), now))
            if now - sampled > MEMORY_EVERY_S:  # reading smaps walks the page tables: not too often
                server = memory_mb(self.pid, "VmRSS") - self.rss_before
                writers = sum(private_mb(child) for child in children(self.pid))
                self.server_growth = max(self.server_growth, server)
                self.children_peak = max(self.children_peak, writers)
                self.growth = max(self.growth, server + writers)  # (pages the server frees turn private to a child)
                sampled = now
            time.sleep(0.005)


def changes(base: str, first: int, stop: threading.Event, acked: dict[int, float]) -> None:
    """Add users ``first``, ``first + 1``, ... until ``stop``; each one's acknowledgement time."""
    number = first
    with httpx.Client(base_url=base, timeout=30, **SIMOTEL) as client:
        while not stop.is_set():
            body = {"name": f"user {number}", "number": str(number), "secret": "Secret123"}
            try:
                answer = client.put("/api/v4/pbx/users/add", json=body).json()
            except httpx.HTTPError:
                return  # the server was killed under this request: it was never acknowledged
            if answer.get("success") == 1:
                acked[number] = time.monotonic()
            number += 1


def numbers(base: str) -> set[int]:
    body = {"alike": False, "conditions": {}}
    answer = httpx.put(f"{base}/api/v4/pbx/users/search", json=body, timeout=60, **SIMOTEL).json()
    return {int(user["number"]) for user in answer["data"] if user["number"].isdigit()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state-mb", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-s", type=float, default=12.0, help="changes made before each kill (several writes)")
    parser.add_argument("--smoke", action="store_true", help="a small state and one round: that it works")
    args = parser.parse_args()
    if args.smoke:
        args.state_mb, args.rounds, args.interval, args.round_s = 4, 1, 0.5, 2.0
    budget = max(256 * 1024 * 1024, 2 * args.state_mb * MB)
    folder = Path(tempfile.mkdtemp(prefix="state-crash-"))
    path = folder / "state.json"
    server = start(path, args.interval, budget)
    base = f"http://127.0.0.1:{server.port}"
    fill(base, args.state_mb)
    while not path.exists() or path.stat().st_size < args.state_mb * MB * 0.9:
        time.sleep(0.05)
    time.sleep(args.interval * 2)  # the first large write is done
    print(f"state file {path.stat().st_size / MB:.1f} MB, interval {args.interval} s")
    losses, bounds, first = [], [], 10_000_000
    for round_ in range(1, args.rounds + 1):
        watch = Watch(folder, server.process.pid)
        watch.start()
        acked: dict[int, float] = {}
        stop = threading.Event()
        writer = threading.Thread(target=changes, args=(base, first, stop, acked))
        writer.start()
        time.sleep(args.round_s + random.uniform(0, args.interval))
        killed = time.monotonic()
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        stop.set()
        writer.join()
        watch.stop.set()
        watch.join()
        server = start(path, args.interval, budget)
        base = f"http://127.0.0.1:{server.port}"
        kept = numbers(base)
        lost = sorted(number for number, at in acked.items() if number not in kept and at <= killed)
        oldest = killed - acked[lost[0]] if lost else 0.0
        holes = [number for number in acked if number in kept and lost and number > lost[0]]
        longest = max((end - begin for begin, end in watch.writes), default=float("nan"))
        size = path.stat().st_size / MB
        growth = watch.growth
        losses.append(oldest)
        bounds.append(args.interval + longest)
        print(
            f"round {round_}: {len(acked)} changes, {len(lost)} lost, oldest lost {oldest:.2f} s "
            f"(bound {args.interval:.1f} + longest write {longest:.2f} = {args.interval + longest:.2f} s); "
            f"{len(watch.writes)} writes; memory: server RSS +{watch.server_growth:.0f} MB, writing children "
            f"private {watch.children_peak:.0f} MB, together at most +{growth:.0f} MB = {growth / size:.0%} "
            f"of the {size:.0f} MB state" + (f"; {len(holes)} later changes kept past a lost one" if holes else "")
        )
        first = max(acked, default=first) + 1
    server.__exit__()
    verdict = "within" if all(loss <= bound + 0.05 for loss, bound in zip(losses, bounds, strict=True)) else "PAST"
    print(f"oldest lost change {max(losses):.2f} s: {verdict} one interval plus one write")


if __name__ == "__main__":
    main()
