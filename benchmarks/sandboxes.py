"""Sandboxes at scale on one machine: memory and creation time of 1,000, and 100 concurrent CI jobs.

One ``telephony-emulator serve`` process; everything goes over loopback HTTP as a CI job would:

1. ``--cycles`` times, create ``--count`` sandboxes and delete them all: the server's RSS after each
   creation and deletion (the curve; the last cycle's peak must stay within 10% of the first's);
2. create ``--count`` sandboxes of the default fixture, one after another: creation latency p50/p99
   and the server's resident memory before and after (RSS per sandbox);
3. run ``--jobs`` simulated CI jobs at once, each in its own new sandbox: SendSms with a text only
   it uses, a clock advance, a task, a Simotel user added, a tzintuk; then each job reads back its
   own journal, units, calls and messages and checks they hold its own work and nothing else.

    python benchmarks/sandboxes.py [--count 1000] [--jobs 100] [--cycles 3] [--smoke]

Targets: 1,000 sandboxes alive < 1.5 GB total; creation p50 < 20 ms; zero cross-talk; RSS at the
third cycle's peak within 10% of the first's. Measured (2 cores, 3 x 1,000): peaks 761, 768,
772 MB (+1.4%), back to 429-497 MB once all are deleted; before deleted sandboxes were collected
and trimmed (``emulator/core/persist/memory.py``) the peaks were 770, 916, 1,062 MB (+38%).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import YEMOT_TOKEN, Server, free_port, memory_mb

ADMIN_TOKEN = "bench-admin"
SIMOTEL = {"auth": ("test", "Aa123456"), "headers": {"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"}}


def create_many(admin: httpx.Client, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        response = admin.post("/__emulator__/sandboxes", json={})
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return latencies


def cycles(admin: httpx.Client, pid: int, count: int, rounds: int) -> list[tuple[float, float]]:
    """``rounds`` cycles of creating ``count`` sandboxes and deleting them all: the server's RSS
    (MB) after each cycle's creations and after its deletions."""
    curve = []
    for _ in range(rounds):
        ids = []
        for _ in range(count):
            response = admin.post("/__emulator__/sandboxes", json={})
            response.raise_for_status()
            ids.append(response.json()["id"])
        full = memory_mb(pid, "VmRSS")
        for sandbox_id in ids:
            admin.delete(f"/__emulator__/sandboxes/{sandbox_id}").raise_for_status()
        time.sleep(0.5)  # the deleted sandboxes' clients close on the server's loop
        curve.append((full, memory_mb(pid, "VmRSS")))
    return curve


def job(base: str, number: int) -> list[str]:
    """One CI job in its own sandbox; the problems it saw (empty when isolated)."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=base, timeout=60) as http:
        made = http.post("/__emulator__/sandboxes", json={"seed": number}, headers=headers).json()
        prefix, auth = f"/sb/{made['id']}", {"Authorization": f"Bearer {made['token']}"}
        marker = f"job-{number}-only"
        before = http.get(f"{prefix}/ym/api/GetCustomerData", params={"token": YEMOT_TOKEN}).json()["units"]
        for _ in range(3):
            sent = http.post(
                f"{prefix}/ym/api/SendSms", data={"token": YEMOT_TOKEN, "phones": "0527777701", "message": marker}
            ).json()
            assert sent["responseStatus"] == "OK", sent
        http.post(
            f"{prefix}/ym/api/RunTzintuk", data={"token": YEMOT_TOKEN, "phones": f"05277{number:05d}", "callerId": ""}
        )
        http.post(f"{prefix}/__emulator__/clock", json={"advance": 600}, headers=auth)
        http.post(
            f"{prefix}/ym/api/CreateTask",
            data={"token": YEMOT_TOKEN, "taskType": "MoveOnFile", "folder": "ivr2:/2", "target": "ivr2:/4"},
        )
        user = {"name": marker, "number": f"{700 + number}", "secret": "Sec1234567", "user_type": "SIP"}
        http.post(f"{prefix}/api/v4/pbx/users/add", json=user, **SIMOTEL)

        problems = []
        after = http.get(f"{prefix}/ym/api/GetCustomerData", params={"token": YEMOT_TOKEN}).json()["units"]
        journal = http.get(f"{prefix}/__emulator__/journal", headers=auth).json()["entries"]
        texts = {entry["params"].get("message") for entry in journal if entry["operation"] == "SendSms"}
        if texts != {marker}:
            problems.append(f"journal SMS texts {texts}")
        users = http.post(f"{prefix}/api/v4/pbx/users/search", json={"conditions": {}}, **SIMOTEL).json()["data"]
        foreign = [u["name"] for u in users if u["name"].startswith("job-") and u["name"] != marker]
        if foreign:
            problems.append(f"foreign Simotel users {foreign}")
        messages = http.get(f"{prefix}/__emulator__/messages", headers=auth).json()["messages"]
        if {m["text"] for m in messages} != {marker}:
            problems.append(f"messages {[m['text'] for m in messages]}")
        calls = http.get(f"{prefix}/__emulator__/calls", headers=auth).json()["calls"]
        if any(call["to"] != f"05277{number:05d}" for call in calls):
            problems.append(f"calls to {[call['to'] for call in calls]}")
        if before - after <= 0:
            problems.append(f"units {before} -> {after}")
        http.delete(f"/__emulator__/sandboxes/{made['id']}", headers=headers)
        return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=3, help="create/delete cycles of --count sandboxes")
    parser.add_argument("--smoke", action="store_true", help="20 sandboxes, 10 jobs, 3 cycles of 20 (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.count, args.jobs = 20, 10

    port = free_port()
    command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--log-level", "warning"]
    env = {"EMULATOR_ADMIN_TOKEN": ADMIN_TOKEN, "EMULATOR_MAX_SANDBOXES": str(args.count + args.jobs + 10)}
    with Server("emulator", command, port, "/ym/api/GetCustomerData?token=" + YEMOT_TOKEN, env) as server:
        assert server.process is not None
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=60) as admin:
            rss_start = memory_mb(server.process.pid, "VmRSS")
            curve = cycles(admin, server.process.pid, args.count, args.cycles)
            rss_before = memory_mb(server.process.pid, "VmRSS")
            latencies = sorted(create_many(admin, args.count))
            rss_after = memory_mb(server.process.pid, "VmRSS")
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                results = list(pool.map(lambda n: job(base, n), range(args.jobs)))
            jobs_s = time.perf_counter() - started

    p50, p99 = statistics.median(latencies), latencies[int(0.99 * (len(latencies) - 1))]
    per = (rss_after - rss_before) / args.count
    crosstalk = [(n, problems) for n, problems in enumerate(results) if problems]
    print(f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"{args.count} sandboxes: creation p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"RSS {rss_before:.0f} MB -> {rss_after:.0f} MB ({per:.2f} MB per sandbox)")
    if curve:
        steps = ", ".join(f"{full:.0f} -> {empty:.0f}" for full, empty in curve)
        growth = curve[-1][0] / curve[0][0] - 1
        print(f"RSS from {rss_start:.0f} MB over {args.cycles} cycles of {args.count} created -> all deleted: {steps}")
        print(f"last cycle's peak vs the first's: {growth:+.1%} (target within 10%)")
    print(f"{args.jobs} concurrent CI jobs in {jobs_s:.1f} s; jobs with cross-talk: {len(crosstalk)}")
    for number, problems in crosstalk[:5]:
        print(f"  job {number}: {'; '.join(problems)}")
    return 1 if crosstalk or (curve and not args.smoke and growth > 0.10) else 0


if __name__ == "__main__":
    raise SystemExit(main())
