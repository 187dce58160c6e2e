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

The bare app and the emulator take turns for ``--rounds`` rounds (3 by default): each round starts
a bare app, measures it, then starts a fresh emulator and measures every scenario, each from the
fixture's world (``POST /__emulator__/reset`` before it, so a scenario does not inherit the rows or
pending events of the one before). A scenario's ratio is the median over the rounds of its req/s
against the bare figure of the same round, so a shared VM that drifts between rounds moves both
sides of a ratio; req/s, p50 and p99 are medians too. The callback-load ratio compares, in each round,
the read on a fresh server just before and then during the load, and takes the median over the
rounds.

If the bare app's median stays under ``--min-bare-rps`` (15,000 by default) the machine or the
generator is the bottleneck: the run reports itself as client-bound and prints no ratios.

    python benchmarks/http_load.py [--duration 10] [--rounds 3] [--connections 50] [--peers/--no-peers] [--smoke]
    python benchmarks/http_load.py --baseline-tree /tmp/before --no-peers   # before/after in one run

``--smoke`` (used by CI) runs each scenario for one second in one round, checks every server
answered without errors, and judges no target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
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


def emulator_server(port: int, tree: Path = ROOT, name: str = "emulator") -> Server:
    """The emulator of the checkout ``tree`` (this one by default), serving the benchmark fixture."""
    command = [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--fixtures", str(BENCH_FIXTURE)]
    env = {"PYTHONPATH": str(tree)}
    return Server(name, command, port, f"/ym/api/GetCustomerData?token={YEMOT_TOKEN}", env=env, cwd=tree)


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


def table(rows: list[Measurement], ratios: dict[tuple[str, str], float] | None) -> str:
    head = (
        f"{'server':9} {'scenario':28} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x bare':>7} {'RSS MB':>7} {'err':>5}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        ratio = f"{ratios[row.server, row.scenario]:7.2f}" if ratios else "      -"
        lines.append(
            f"{row.server:9} {row.scenario:28} {row.rps:8.0f} {row.p50_ms:7.2f} {row.p99_ms:7.2f} "
            f"{ratio} {row.peak_rss_mb:7.1f} {row.errors:5d}"
        )
    return "\n".join(lines)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Rounds:
    """One scenario's measurements over the rounds, each with the bare figure of its own round."""

    server: str
    scenario: str
    runs: list[tuple[Measurement, float]]

    def row(self) -> Measurement:
        """The medians over the rounds (the peak RSS is the highest, the errors add up)."""
        runs = [run for run, _ in self.runs]
        return Measurement(
            self.server,
            self.scenario,
            median([run.rps for run in runs]),
            median([run.p50_ms for run in runs]),
            median([run.p99_ms for run in runs]),
            sum(run.errors for run in runs),
            max(run.peak_rss_mb for run in runs),
        )

    def ratio(self) -> float:
        """The median over the rounds of req/s against the bare app measured in the same round."""
        return median([run.rps / bare for run, bare in self.runs])


def ratios_of(measured: list[Rounds]) -> dict[tuple[str, str], float]:
    return {(rounds.server, rounds.scenario): rounds.ratio() for rounds in measured}


def reset(server: Server) -> None:
    """Back to the fixture's world, so each scenario starts from the same state whatever ran before
    it; the pause lets the idle ticker free the replaced world before the warm-up."""
    httpx.post(f"http://127.0.0.1:{server.port}/__emulator__/reset", timeout=30).raise_for_status()
    time.sleep(0.5)


def measure_rounds(args: argparse.Namespace) -> tuple[list[Rounds], list[float], list[Rounds]]:
    """Bare Starlette, then a fresh emulator with every scenario, ``args.rounds`` times over: each
    ratio is taken against the bare figure of its own round, so a VM that drifts between rounds
    moves both sides of it. With ``--baseline-tree`` each round also measures that checkout's
    emulator, before this one in odd rounds and after it in even ones.

    Returns the scenarios' rounds (bare first), the cold starts, and the baseline's rounds."""
    bare_rounds = Rounds("bare", BARE.name, [])
    emulator_rounds = [Rounds("emulator", scenario.name, []) for scenario in EMULATOR_SCENARIOS]
    baseline_rounds = [Rounds("baseline", scenario.name, []) for scenario in EMULATOR_SCENARIOS]
    trees = [(ROOT, "emulator", emulator_rounds)]
    if args.baseline_tree is not None:
        trees.append((args.baseline_tree, "baseline", baseline_rounds))
    cold_starts = []
    for index in range(args.rounds):
        with Server("bare", [sys.executable, "-c", BARE_APP, str(port := free_port())], port, "/hello") as bare:
            measured = run_wrk(bare, BARE, args.duration, args.connections)
        bare_rounds.runs.append((measured, measured.rps))
        for tree, name, tree_rounds in trees if index % 2 == 0 else trees[::-1]:
            with emulator_server(free_port(), tree, name) as emulator:
                if name == "emulator":
                    cold_starts.append(emulator.cold_start_s)
                for scenario, rounds in zip(EMULATOR_SCENARIOS, tree_rounds, strict=True):
                    reset(emulator)
                    rounds.runs.append((run_wrk(emulator, scenario, args.duration, args.connections), measured.rps))
    return [bare_rounds, *emulator_rounds], cold_starts, baseline_rounds if args.baseline_tree else []


def against_baseline(current: list[Rounds], baseline: list[Rounds]) -> str:
    """Each scenario's req/s against the baseline checkout's in the same round (median of the rounds)."""
    lines = [f"{'scenario':28} {'this/baseline':>13}  rounds"]
    for mine, theirs in zip(current, baseline, strict=True):
        each = [run.rps / other.rps for (run, _), (other, _) in zip(mine.runs, theirs.runs, strict=True)]
        lines.append(f"{mine.scenario:28} {median(each):13.3f}  {', '.join(f'{x:.3f}' for x in each)}")
    return "\n".join(lines)


def measure_callback_rounds(args: argparse.Namespace) -> tuple[Rounds, int]:
    """The Yemot read alone, then under callback load, on a fresh emulator each round: each round's
    ratio is the loaded read against the read just before on the same server. (A fresh server per
    round, since calls placed under load go on delivering for half a minute after it stops.)
    Returns the loaded reads' rounds (each with its read alone) and the callbacks delivered."""
    read = EMULATOR_SCENARIOS[0]
    rounds = Rounds("emulator", f"{read.name} +{args.callback_rate:g} cb/s", [])
    delivered = 0
    for _ in range(args.rounds):
        with emulator_server(free_port()) as emulator:
            alone = run_wrk(emulator, read, args.duration, args.connections)
            with CallbackLoad(emulator.port, args.callback_rate) as load:
                before = load.receiver.delivered()
                loaded = run_wrk(emulator, read, args.duration, args.connections)
                delivered += load.receiver.delivered() - before
        rounds.runs.append((loaded, alone.rps))
    return rounds, delivered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of bare app then emulator (medians)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--min-bare-rps", type=float, default=15_000)
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--smoke", action="store_true", help="1 s per scenario, one round, no peers, no targets (CI)")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON here")
    parser.add_argument("--callback-rate", type=float, default=20.0, help="callback campaigns per second")
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="another checkout (e.g. `git worktree add /tmp/before <commit>`) whose emulator is measured "
        "in the same rounds; prints its table and each scenario's ratio against it",
    )
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.rounds, args.peers = 1.0, 1, False
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not shutil.which("wrk"):
        print("http_load: wrk not found (Debian package 'wrk'); nothing measured", file=sys.stderr)
        return 2

    measured, cold_starts, baseline = measure_rounds(args)
    rows = [rounds.row() for rounds in measured]
    ratios = ratios_of(measured)
    loaded_rounds, delivered = measure_callback_rounds(args)
    under_load = loaded_rounds.row()
    rows.append(under_load)
    ratios[under_load.server, under_load.scenario] = under_load.rps / rows[0].rps
    if args.peers:
        with tempfile.TemporaryDirectory() as folder:
            contract = Path(folder) / "yemot-minimal.json"
            contract.write_text(json.dumps(MINIMAL_CONTRACT))
            for peer in peer_servers(contract):
                try:
                    with peer:
                        row = run_wrk(peer, PEER_SCENARIO, args.duration, args.connections)
                except RuntimeError as exc:
                    print(f"peer {peer.name} skipped: {exc}")
                    continue
                rows.append(row)
                ratios[row.server, row.scenario] = row.rps / rows[0].rps

    bare_rps = rows[0].rps
    client_bound = bare_rps < args.min_bare_rps and not args.smoke
    print(
        f"wrk -t1 -c{args.connections}, {args.duration:g} s per scenario, {args.rounds} round(s) (medians), "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    )
    print(table(rows, None if client_bound or args.smoke else ratios))
    print(f"emulator cold start to first answer: {median(cold_starts):.2f} s (median of {len(cold_starts)})")
    print(f"callbacks delivered during the loaded read runs: {delivered}")
    if not client_bound and not args.smoke:
        each = ", ".join(f"{run.rps / alone:.2f}" for run, alone in loaded_rounds.runs)
        print(
            f"reads under callback load keep {loaded_rounds.ratio():.2f}x of their throughput alone "
            f"(median of the rounds: {each})"
        )
    if baseline:
        print(f"\nbaseline checkout {args.baseline_tree}:")
        print(table([rounds.row() for rounds in baseline], None if client_bound or args.smoke else ratios_of(baseline)))
        print(against_baseline(measured[1:], baseline))
    read = rows[1].rps  # the emulator's GetCustomerData, median over the rounds
    for row in rows:
        if row.server in ("prism", "mockoon"):
            print(f"emulator GetCustomerData against {row.server}: {read / row.rps:.1f}x")
    if args.json:
        args.json.write_text(json.dumps([row.__dict__ for row in rows], indent=2))
    failed = [row for row in rows if row.errors > 0.001 * row.rps * args.duration * args.rounds]
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
