"""HTTP throughput and latency of the emulator, side by side with a bare Starlette app and peer mocks.

The load comes from ``wrk`` (Debian package ``wrk``), a C load generator that needs a small part of
one core to saturate a Python server, so the figures describe the servers, not the client. Every
server runs under its own process on loopback and gets the same load in the same invocation:

- bare Starlette + uvicorn answering ``{"hello": "world"}`` (the baseline every ratio is against),
- the emulator as ``telephony-emulator serve`` with its defaults (journal on, strict off): a Yemot
  read, a Yemot write, a Simotel search and a control-plane call,
- the Yemot read again while voice campaigns with callbacks start at ``--callback-rate`` per second
  and a local nginx (Debian package ``nginx``; a Python receiver without it) takes their deliveries,
- when ``npm`` is available: Prism and Mockoon serving a minimal contract with the same
  ``GetCustomerData`` operation (installed with npm into ``benchmarks/.peers``).

If the bare app stays under ``--min-bare-rps`` (15,000 by default) the machine or the generator is
the bottleneck: the run reports itself as client-bound and prints no ratios.

    python benchmarks/http_load.py [--duration 10] [--connections 50] [--peers/--no-peers] [--smoke]

``--smoke`` (used by CI) runs each scenario for one second, checks every server answered without
errors, and judges no target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from callback_load import CallbackLoad
from processes import ROOT, YEMOT_TOKEN, Server, free_port

BENCH_FIXTURE = ROOT / "benchmarks" / "fixtures" / "bench.yaml"
PEERS_DIR = ROOT / "benchmarks" / ".peers"
SIMOTEL_AUTH = {
    "Authorization": "Basic dGVzdDpBYTEyMzQ1Ng==",
    "X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG",
    "Content-Type": "application/json",
}

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

# One wrk report per run: JSON on the last line of stdout.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '\\n{"requests": %d, "seconds": %f, "errors": %d, "p50_ms": %f, "p99_ms": %f}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Scenario:
    """One request shape, replayed by every wrk connection."""

    name: str
    path: str
    method: str = "GET"
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    def lua(self) -> str:
        lines = [f"wrk.method = {json.dumps(self.method)}", f"wrk.path = {json.dumps(self.path)}"]
        if self.body:
            lines.append(f"wrk.body = {json.dumps(self.body)}")
        for name, value in self.headers:
            lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
        return "\n".join(lines) + "\n" + WRK_REPORT


@dataclass
class Measurement:
    server: str
    scenario: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_rss_mb: float


BARE = Scenario("bare /hello", "/hello")
EMULATOR_SCENARIOS = (
    Scenario("Yemot GetCustomerData", f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}"),
    Scenario(
        "Yemot SendSms",
        "/ym/api/SendSms",
        "POST",
        f"token={YEMOT_TOKEN}&phones=0527777701&message=hello",
        (("Content-Type", "application/x-www-form-urlencoded"),),
    ),
    Scenario(
        "Simotel pbx/users/search",
        "/api/v4/pbx/users/search",
        "POST",
        '{"alike": false, "conditions": {"number": "101"}}',
        tuple(SIMOTEL_AUTH.items()),
    ),
    Scenario("control plane GET clock", "/__emulator__/clock"),
)
PEER_SCENARIO = Scenario("GetCustomerData", f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}")

MINIMAL_CONTRACT = {
    "openapi": "3.0.3",
    "info": {"title": "Yemot GetCustomerData", "version": "6"},
    "paths": {
        "/ym/api/GetCustomerData": {
            "get": {
                "parameters": [{"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "customer data",
                        "content": {
                            "application/json": {
                                "example": {
                                    "responseStatus": "OK",
                                    "yemotAPIVersion": 6,
                                    "mainDid": "0773137770",
                                    "units": 100.0,
                                },
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "responseStatus": {"type": "string"},
                                        "yemotAPIVersion": {"type": "integer"},
                                        "mainDid": {"type": "string"},
                                        "units": {"type": "number"},
                                    },
                                },
                            }
                        },
                    }
                },
            }
        }
    },
}


def run_wrk(server: Server, scenario: Scenario, duration: float, connections: int) -> Measurement:
    """Drive ``server`` with wrk (one thread) and read its JSON report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(scenario.lua())
    try:
        # A short warm-up so imports, caches and connection setup do not count.
        subprocess.run(
            ["wrk", "-t1", "-c4", "-d1s", "-s", script.name, f"http://127.0.0.1:{server.port}"],
            capture_output=True,
            check=True,
        )
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{server.port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    report = json.loads(out.strip().splitlines()[-1])
    return Measurement(
        server.name,
        scenario.name,
        report["requests"] / report["seconds"],
        report["p50_ms"],
        report["p99_ms"],
        report["errors"],
        server.rss(),
    )


def emulator_server(port: int) -> Server:
    command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--fixtures", str(BENCH_FIXTURE)]
    return Server("emulator", command, port, f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}")


def peer_servers(contract: Path) -> list[Server]:
    """Prism and Mockoon, installed on first use into benchmarks/.peers; none without npm."""
    if not shutil.which("npm") or not shutil.which("node"):
        print("peers skipped: npm/node not found")
        return []
    bins = PEERS_DIR / "node_modules" / ".bin"
    if not (bins / "prism").exists() or not (bins / "mockoon-cli").exists():
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["npm", "install", "--prefix", str(PEERS_DIR), "--no-audit", "--no-fund", "--loglevel=error",
             "@stoplight/prism-cli@5", "@mockoon/cli@9"],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode != 0:
            print(f"peers skipped: npm install failed: {result.stderr.strip()[-300:]}")
            return []
    prism_port, mockoon_port = free_port(), free_port()
    probe = f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}"
    return [
        Server("prism", [str(bins / "prism"), "mock", "-p", str(prism_port), str(contract)], prism_port, probe),
        Server(
            "mockoon",
            [str(bins / "mockoon-cli"), "start", "--data", str(contract), "--port", str(mockoon_port)],
            mockoon_port,
            probe,
        ),
    ]


def table(rows: list[Measurement], bare_rps: float | None) -> str:
    head = (
        f"{'server':9} {'scenario':28} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x bare':>7} {'RSS MB':>7} {'err':>5}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        ratio = f"{row.rps / bare_rps:7.2f}" if bare_rps else "      -"
        lines.append(
            f"{row.server:9} {row.scenario:28} {row.rps:8.0f} {row.p50_ms:7.2f} {row.p99_ms:7.2f} "
            f"{ratio} {row.peak_rss_mb:7.1f} {row.errors:5d}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--min-bare-rps", type=float, default=15_000)
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--smoke", action="store_true", help="1 s per scenario, no peers, no targets (CI)")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON here")
    parser.add_argument("--callback-rate", type=float, default=20.0, help="callback campaigns per second")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.peers = 1.0, False
    if not shutil.which("wrk"):
        print("http_load: wrk not found (Debian package 'wrk'); nothing measured", file=sys.stderr)
        return 2

    rows: list[Measurement] = []
    with Server("bare", [sys.executable, "-c", BARE_APP, str(port := free_port())], port, "/hello") as bare:
        rows.append(run_wrk(bare, BARE, args.duration, args.connections))
    with emulator_server(free_port()) as emulator:
        for scenario in EMULATOR_SCENARIOS:
            rows.append(run_wrk(emulator, scenario, args.duration, args.connections))
        cold_start = emulator.cold_start_s
    with emulator_server(free_port()) as emulator, CallbackLoad(emulator.port, args.callback_rate) as load:
        before = load.receiver.delivered()
        under_load = run_wrk(emulator, EMULATOR_SCENARIOS[0], args.duration, args.connections)
        under_load.scenario = f"{under_load.scenario} +{args.callback_rate:g} cb/s"
        rows.append(under_load)
        delivered = load.receiver.delivered() - before
    if args.peers:
        with tempfile.TemporaryDirectory() as folder:
            contract = Path(folder) / "yemot-minimal.json"
            contract.write_text(json.dumps(MINIMAL_CONTRACT))
            for peer in peer_servers(contract):
                try:
                    with peer:
                        rows.append(run_wrk(peer, PEER_SCENARIO, args.duration, args.connections))
                except RuntimeError as exc:
                    print(f"peer {peer.name} skipped: {exc}")

    bare_rps = rows[0].rps
    client_bound = bare_rps < args.min_bare_rps and not args.smoke
    print(
        f"wrk -t1 -c{args.connections}, {args.duration:g} s per scenario, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    print(table(rows, None if client_bound or args.smoke else bare_rps))
    print(f"emulator cold start to first answer: {cold_start:.2f} s")
    print(f"callbacks delivered during the loaded read run: {delivered}")
    if not client_bound and not args.smoke:
        alone = next(row for row in rows if row.scenario == EMULATOR_SCENARIOS[0].name)
        print(f"reads under callback load keep {under_load.rps / alone.rps:.2f}x of their throughput alone")
    if args.json:
        args.json.write_text(json.dumps([row.__dict__ for row in rows], indent=2))
    failed = [row for row in rows if row.errors > 0.001 * row.rps * args.duration]
    if failed:
        print("errors in: " + ", ".join(f"{row.server} {row.scenario}" for row in failed))
        return 1
    if client_bound:
        print(
            f"CLIENT-BOUND: bare Starlette reached {bare_rps:.0f} req/s < {args.min_bare_rps:.0f}; "
            "the machine or generator is the bottleneck, ratios withheld"
        )
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
