"""Simulated calls waiting for slow web services do not slow the server down.

One ``telephony-emulator serve`` process on a running clock. ``--calls`` simulated callers walk
an API extension of four Yemot systems; their service (a local threaded HTTP server) answers each
request after ``--service-ms`` (500 ms) with a prompt of ``--prompt-chars`` characters of TTS
(25: 2.3 s, a short IVR prompt) and a jump back into the extension, so every call asks its
service again as soon as the prompt has played (``--prompt-chars 0``: back to back, one exchange
per call every 500 ms, the worst case). Measured side by side in one run, with wrk:

- ``GET /__emulator__/health`` latency (wrk -c1): alone, then with the calls in flight;
- REST reads (Yemot ``GetCustomerData``, wrk -c16): throughput alone, then with the calls in flight;
- exchanges the calls completed per second during the loaded reads.

    python benchmarks/call_exchanges.py [--calls 200] [--duration 10] [--smoke]

Targets: health p99 < 20 ms and REST reads >= 0.8x their throughput alone, with the calls in flight.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import WRK_REPORT
from processes import YEMOT_TOKEN, Server, free_port

SYSTEMS = ("0773137770", "0773137771", "0773137772", "0773137773")
READ = f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}"
HEALTH = "/__emulator__/health"


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # (read when the socket starts listening: hundreds of calls connect at once)
    daemon_threads = True


class SlowService:
    """An IVR web service answering every request after ``delay_s``; counts the requests it answered."""

    def __init__(self, delay_s: float, prompt_chars: int) -> None:
        self.answered = 0
        self.in_flight = 0
        self.peak = 0
        lock = threading.Lock()
        service = self
        prompt = ("please hold the line " * 10)[: max(1, prompt_chars)].strip() or "hi"

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with lock:
                    service.in_flight += 1
                    service.peak = max(service.peak, service.in_flight)
                time.sleep(delay_s)
                body = f"id_list_message=t-{prompt}&go_to_folder=/5".encode()
                try:
                    self.send_response(200)
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the emulator stopped waiting (it was shut down)
                with lock:
                    service.in_flight -= 1
                    service.answered += 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> SlowService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def fixture(service_url: str) -> str:
    files = {"ext.ini": {"text": "type=menu\n"}, "5/ext.ini": {"text": f"type=api\napi_link={service_url}/ivr\n"}}
    systems = [{"number": number, "password": "1234", "units": 100, "files": files} for number in SYSTEMS]
    return json.dumps({"description": "call exchanges benchmark", "seed": 1, "yemot": {"systems": systems}})


def wrk(port: int, path: str, seconds: float, connections: int) -> dict[str, float]:
    """wrk's report for ``path``: requests per second, p99 in ms, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f"wrk.path = {json.dumps(path)}\n{WRK_REPORT}")
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", script.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        Path(script.name).unlink()
    report = json.loads(out.strip().splitlines()[-1])
    return {"rps": report["requests"] / report["seconds"], "p99_ms": report["p99_ms"], "errors": report["errors"]}


def cpu_seconds(server: Server) -> float:
    """User + system CPU time the server process has used so far (from /proc)."""
    assert server.process is not None
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def place(port: int, calls: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/__emulator__/", timeout=30) as admin:
        for n in range(calls):
            system = SYSTEMS[n % len(SYSTEMS)]
            body = {"from": f"05{n:08d}", "path": "/5"}  # no key script: the caller stays on the line
            admin.post(f"yemot/systems/{system}/calls", json=body).raise_for_status()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with SlowService(args.service_ms / 1000, args.prompt_chars) as service, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fixture.json"
        path.write_text(fixture(service.url))
        port = free_port()
        command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--fixtures", str(path)]
        with Server("emulator", command, port, HEALTH, env={"EMULATOR_LOG_LEVEL": "warning"}) as server:
            wrk(port, READ, 1, 4)  # warm-up
            health_alone = wrk(port, HEALTH, args.duration, 1)
            read_alone = wrk(port, READ, args.duration, args.connections)
            place(port, args.calls)
            time.sleep(3)  # every call has asked its service by now
            cpu_before, answered_before, quiet_started = cpu_seconds(server), service.answered, time.monotonic()
            time.sleep(max(2.0, args.duration / 2))  # the calls alone: CPU per exchange
            answered_alone = service.answered - answered_before
            cpu_ms = (cpu_seconds(server) - cpu_before) * 1000 / answered_alone if answered_alone else None
            calls_alone_per_s = answered_alone / (time.monotonic() - quiet_started)
            in_flight = service.peak
            health_loaded = wrk(port, HEALTH, args.duration, 1)
            before, started = service.answered, time.monotonic()
            read_loaded = wrk(port, READ, args.duration, args.connections)
            exchanges_per_s = (service.answered - before) / (time.monotonic() - started)
    return {
        "calls": args.calls,
        "in_flight": in_flight,
        "health_alone": health_alone,
        "health_loaded": health_loaded,
        "read_alone": read_alone,
        "read_loaded": read_loaded,
        "exchanges_per_s": exchanges_per_s,
        "cpu_ms_per_exchange": cpu_ms,
        "calls_alone_per_s": calls_alone_per_s,
    }


def report(result: dict[str, Any], args: argparse.Namespace) -> list[str]:
    ratio = result["read_loaded"]["rps"] / result["read_alone"]["rps"]
    print(f"{result['calls']} calls in flight, up to {result['in_flight']} exchanges in flight at once, "
          f"service answers after {args.service_ms} ms with a {args.prompt_chars}-character prompt; "
          f"wrk {args.duration:g} s per row")  # fmt: skip
    print("| measure | alone | with the calls in flight | target |")
    print("|---|---|---|---|")
    print(f"| health p99 (wrk -c1) | {result['health_alone']['p99_ms']:.1f} ms | "
          f"{result['health_loaded']['p99_ms']:.1f} ms | < 20 ms |")  # fmt: skip
    print(f"| GetCustomerData (wrk -c{args.connections}) | {result['read_alone']['rps']:.0f} req/s | "
          f"{result['read_loaded']['rps']:.0f} req/s ({ratio:.2f}x) | >= 0.8x |")  # fmt: skip
    print(f"| exchanges completed (during the loaded reads) | - | {result['exchanges_per_s']:.0f} /s | - |")
    print(f"| exchanges completed (calls alone) | {result['calls_alone_per_s']:.0f} /s | - | - |")
    cpu_ms = result["cpu_ms_per_exchange"]  # (None when no exchange ended while the calls ran alone)
    cpu_text = "-" if cpu_ms is None else f"{cpu_ms:.2f} ms"
    print(f"| emulator CPU per exchange and its steps (calls alone) | {cpu_text} | - | - |")
    problems = []
    errors = sum(result[key]["errors"] for key in ("health_alone", "health_loaded", "read_alone", "read_loaded"))
    if errors:
        problems.append(f"wrk saw {errors} errors")
    if result["exchanges_per_s"] <= 0:
        problems.append("the calls completed no exchange")
    if not args.smoke:
        if result["health_loaded"]["p99_ms"] >= 20:
            problems.append("health p99 >= 20 ms with the calls in flight")
        if ratio < 0.8:
            problems.append(f"REST reads at {ratio:.2f}x of their throughput alone")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--service-ms", type=int, default=500)
    parser.add_argument("--prompt-chars", type=int, default=25, help="TTS characters the service's reply plays")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for the REST reads")
    parser.add_argument("--smoke", action="store_true", help="20 calls, 2 s runs: it works end to end")
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.duration = 20, 2.0
    if not shutil.which("wrk"):
        print("call_exchanges: wrk not found (Debian package 'wrk'); nothing measured", file=sys.stderr)
        return 0 if args.smoke else 1
    problems = report(measure(args), args)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
