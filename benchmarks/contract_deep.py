"""The ``deep`` contract profile: at least 10 000 generated requests per API, zero failures expected.

    python benchmarks/contract_deep.py                       # both APIs, in-process emulator
    python benchmarks/contract_deep.py --api yemot --requests 20000 --report deep-yemot.json
    python benchmarks/contract_deep.py --target-url http://127.0.0.1:8080   # a served emulator

Prints per API: requests sent, operations, failed operations and the wall time; exits 1 when any
operation failed a check or fewer requests than asked were sent.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from emulator.conformance import profiles, report, runner
from emulator.conformance.contract import APIS
from emulator.conformance.target import Target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", choices=APIS, action="append", help="API to run (default: both)")
    parser.add_argument("--requests", type=int, default=profiles.DEEP_REQUESTS_PER_API, help="requests per API")
    parser.add_argument("--target-url", default=None, help="server to test (default: in-process emulator)")
    parser.add_argument("--report", type=Path, default=None, help="write FILE.json/.html (API name is appended)")
    args = parser.parse_args(argv)
    logging.getLogger("python_multipart").setLevel(logging.ERROR)

    failed = False
    for api in args.api or list(APIS):
        started = time.perf_counter()
        result = runner.run(api, Target.from_options(args.target_url), profile="deep", requests_per_api=args.requests)
        elapsed = time.perf_counter() - started
        data = result.to_json()
        for line in report.summary_lines(data):
            if not line.startswith("SKIP"):
                print(line)
        server_errors = sum(op["checks"].get("not_a_server_error", {}).get("failed", 0) for op in data["operations"])
        violations = sum(
            op["checks"].get("response_schema_conformance", {}).get("failed", 0) for op in data["operations"]
        )
        print(
            f"deep {api}: {result.requests} requests in {elapsed:.1f}s ({result.requests / elapsed:.0f}/s), "
            f"{server_errors} server errors, {violations} schema violations, "
            f"{len(result.failed_operations)} failed operations"
        )
        if args.report:
            report.write(data, args.report.with_name(f"{args.report.stem}-{api}{args.report.suffix}"))
        failed = failed or bool(result.failed_operations) or result.requests < args.requests
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
