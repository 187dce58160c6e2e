"""``telephony-emulator``: serve the emulator, or validate its contracts."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from emulator.config import EmulatorConfig, default_contracts_dir

LIMIT_OPTIONS = {
    "max_body_bytes": "largest JSON or form body",
    "max_upload_bytes": "largest multipart (file upload) body",
    "max_fixture_bytes": "largest fixture posted to the control plane",
    "max_snapshot_bytes": "largest snapshot posted to the control plane",
    "outbox_max_concurrency": "outbound deliveries in flight at once",
    "outbox_max_pending": "outbound deliveries waiting; more are recorded as failed",
    "outbox_retention": "finished outbound deliveries kept for GET /__emulator__/outbox",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="telephony-emulator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve Yemot, Simotel and the control plane")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; EMULATOR_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; EMULATOR_PORT)")
    serve.add_argument("--fixtures", type=Path, help="fixture file to load (default fixtures/default.yaml)")
    serve.add_argument("--seed", type=int, help="faker seed, overriding the fixture's (EMULATOR_SEED)")
    serve.add_argument("--admin-token", help="require 'Authorization: Bearer T' on the control plane")
    serve.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="check every response against the contracts (EMULATOR_STRICT)",
    )
    serve.add_argument("--log-level", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated proxy addresses whose X-Forwarded-For is believed (default: nobody; "
        "EMULATOR_FORWARDED_ALLOW_IPS)",
    )
    limits = serve.add_argument_group("limits (bytes; see docs/security.md)")
    for name, what in LIMIT_OPTIONS.items():
        limits.add_argument(
            f"--{name.replace('_', '-')}", type=int, metavar="N", help=f"{what} (EMULATOR_{name.upper()})"
        )
    serve.add_argument("--max-sandboxes", type=int, help="sandboxes one server holds (default 1000)")
    serve.add_argument("--sandbox-ttl", type=float, help="seconds an idle sandbox lives (default 3600)")

    contracts = commands.add_parser("contracts", help="work with the OpenAPI contracts")
    contracts_commands = contracts.add_subparsers(dest="action", required=True)
    validate = contracts_commands.add_parser("validate", help="check both contracts")
    validate.add_argument("--dir", type=Path, default=None, help="contracts folder")
    coverage = contracts_commands.add_parser("coverage", help="markdown table of implemented operations")
    coverage.add_argument("--dir", type=Path, default=None, help="contracts folder")

    from emulator.conformance.command import add_parser as add_conformance

    add_conformance(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "contracts":
        directory = args.dir or Path(os.environ.get("EMULATOR_CONTRACTS_DIR", default_contracts_dir()))
        if args.action == "coverage":
            from emulator.contract_check import coverage_markdown

            print(coverage_markdown(directory))
            return 0
        return _validate(directory)
    if args.command == "conformance":
        from emulator.conformance.command import run as run_conformance

        return run_conformance(args)
    return _serve(args)


def _validate(directory: Path) -> int:
    from emulator.contract_check import check_all

    failed = False
    for api, problems in check_all(directory).items():
        print(f"{api}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            print(f"  - {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from emulator.app import create_app, uvicorn_settings
    from emulator.fixtures import FixtureError

    config = EmulatorConfig.from_env(
        host=args.host,
        port=args.port,
        fixtures=args.fixtures,
        seed=args.seed,
        admin_token=args.admin_token,
        strict=args.strict,
        log_level=args.log_level,
        forwarded_allow_ips=args.forwarded_allow_ips,
        **{name: getattr(args, name) for name in LIMIT_OPTIONS},
        max_sandboxes=args.max_sandboxes,
        sandbox_ttl_s=args.sandbox_ttl,
    )
    try:
        app = create_app(config)
    except FixtureError as exc:
        print(f"telephony-emulator: fixture rejected: {exc}", file=sys.stderr)
        return 2
    print(banner(app.state.emulator), flush=True)
    app.state.emulator.outbox.listeners.add(config.host, config.port)
    uvicorn.run(app, host=config.host, port=config.port, **uvicorn_settings(config))
    return 0


def banner(emulator) -> str:
    """Base URLs and the default credentials, printed on start."""
    config = emulator.config
    base = f"http://{config.host}:{config.port}"
    lines = [
        f"Yemot API:     {base}/ym/api/",
        f"Simotel API:   {base}/api/v4/",
        f"Control plane: {base}/__emulator__/ ({'Bearer token required' if config.admin_token else 'loopback only'})",
        f"Dashboard:     {base}/__emulator__/ui/ (API docs: {base}/__emulator__/docs/)",
        f"Fixtures:      {emulator.fixture.source}",
    ]
    credentials = emulator.default_credentials()
    for system in credentials["yemot"]:
        lines.append(f"Yemot system {system['number']}: password {system['password']} (token {system['token']})")
    for account in credentials["simotel"]:
        lines.append(
            f"Simotel account {account['username']}: password {account['password']}, "
            f"X-APIKEY {account['api_key'] or '-'} (auth mode {account['auth_mode']})"
        )
    return "\n".join(lines)
