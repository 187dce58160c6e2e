"""``telephony-emulator conformance``: run a contract against a server and write the parity report."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from emulator.conformance import PROFILE_NAMES, SchemathesisMissing, require_schemathesis
from emulator.conformance.contract import APIS, operations
from emulator.conformance.safety import format_plan


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``conformance`` subcommand."""
    parser = commands.add_parser(
        "conformance",
        help="run a contract's generated tests against a server and report parity",
        description=__doc__,
    )
    parser.add_argument("--api", choices=APIS, required=True)
    parser.add_argument("--target-url", help="server to test (default: a fresh in-process emulator)")
    parser.add_argument("--report", type=Path, help="write the report to FILE.json or FILE.html")
    parser.add_argument(
        "--against-emulator",
        action="store_true",
        help="replay every request on a fresh in-process emulator and report shape differences (drift)",
    )
    parser.add_argument(
        "--allow-operation", action="append", default=[], metavar="NAME", help="enable an x-cost operation"
    )
    parser.add_argument("--allow-phone", action="append", default=[], metavar="NUMBER", help="allowlisted number")
    parser.add_argument("--profile", choices=PROFILE_NAMES, default=None, help="hypothesis profile")
    parser.add_argument("--examples", type=int, default=None, help="generated requests per operation")
    parser.add_argument("--requests", type=int, default=None, help="send at least this many requests in total")
    parser.add_argument("--operation", action="append", default=[], metavar="NAME", help="only these operations")
    parser.add_argument("--plan", action="store_true", help="print the plan and exit without sending anything")


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 when every check passed, 1 on failures, 2 when it cannot run."""
    try:
        require_schemathesis()
    except SchemathesisMissing as exc:
        print(f"telephony-emulator conformance: {exc}", file=sys.stderr)
        return 2
    from emulator.conformance import report, runner
    from emulator.conformance.target import Target

    logging.getLogger("python_multipart").setLevel(logging.ERROR)
    target = Target.from_options(args.target_url, args.allow_operation, args.allow_phone)
    selected = [info for info in operations(args.api) if not args.operation or any(map(info.named, args.operation))]
    print(format_plan(target.safety.plan(selected), target.name), flush=True)
    if args.plan:
        return 0
    result = runner.run(
        args.api,
        target,
        profile=args.profile,
        against_emulator=args.against_emulator,
        requests_per_api=args.requests,
        only=args.operation or None,
        examples=args.examples,
    )
    data = result.to_json()
    for line in report.summary_lines(data):
        print(line)
    if args.report:
        report.write(data, args.report)
        print(f"report written to {args.report}")
    return 1 if result.failed_operations else 0
