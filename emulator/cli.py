"""``telephony-emulator``: serve the emulator, or validate its contracts."""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import re
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from emulator.config import EmulatorConfig, SettingError, default_contracts_dir, host_list
from emulator.core.observe.logs import FORMATS, LEVELS
from emulator.listening import listen

DESCRIPTION = "Stateful emulator of the Yemot HaMashiach and Simotel telephony APIs, with a control plane for tests."


class Parser(argparse.ArgumentParser):
    """argparse with plain-text help and a "did you mean" answer to unknown flags and commands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # "--state-fil" is a typo to point out, not a prefix to guess
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        return super().format_help().replace("``", "'")

    def error(self, message: str) -> NoReturn:
        hint = _suggestion(self, message)
        super().error(f"{message}{hint}")


def _suggestion(parser: argparse.ArgumentParser, message: str) -> str:
    """``(did you mean --port?)`` for the closest known flag or command, or ''."""
    unknown = re.search(r"unrecognized arguments: (\S+)", message)
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if unknown:
        word, known = unknown.group(1).split("=")[0], sorted(_flags(parser))
    elif choice:
        word, known = choice.group(1), re.findall(r"'([^']*)'", choice.group(2)) or choice.group(2).split(", ")
    else:
        return ""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string of ``parser`` and its subcommands."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(option for option in action.option_strings if option.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _flags(child)
    return found


def _env(name: str) -> str:
    return f"EMULATOR_{name.upper()}"


LIMIT_OPTIONS = {
    "max_body_bytes": "largest JSON or form body",
    "max_upload_bytes": "largest multipart (file upload) body",
    "max_fixture_bytes": "largest fixture posted to the control plane",
    "max_snapshot_bytes": "state budget: largest snapshot served or restored, and state file written or read",
    "max_journal_bytes": "bytes the request journal holds before dropping its oldest entries",
    "outbox_max_concurrency": "outbound deliveries in flight at once",
    "outbox_max_pending": "outbound deliveries waiting; more are recorded as failed",
    "outbox_retention": "finished outbound deliveries kept for GET /__emulator__/outbox",
    "max_exchanges_per_tenant": "web-service exchanges of simulated calls one tenant has in flight at once",
    "call_max_steps": "engine steps one simulated call may take",
    "call_max_seconds": "emulator seconds one simulated call may walk",
    "call_max_wait_seconds": "real seconds one simulated call may wait for its web services",
}


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="telephony-emulator", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve Yemot, Simotel and the control plane",
        description="Serve Yemot, Simotel and the control plane. Every option can also be set by the "
        "environment variable named after it (EMULATOR_PORT, EMULATOR_STATE_FILE, ...).",
    )
    serve.add_argument("--host", help=f"address to bind (default 127.0.0.1; {_env('host')})")
    serve.add_argument("--port", type=int, help=f"port (default 8080; {_env('port')})")
    serve.add_argument(
        "--fixtures", type=Path, help=f"fixture file to load (default fixtures/default.yaml; {_env('fixtures')})"
    )
    serve.add_argument("--contracts-dir", type=Path, help=f"folder of the OpenAPI contracts ({_env('contracts_dir')})")
    serve.add_argument("--seed", type=int, help=f"faker seed, overriding the fixture's ({_env('seed')})")
    serve.add_argument(
        "--admin-token", help=f"require 'Authorization: Bearer T' on the control plane ({_env('admin_token')})"
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help=f"check every response against the contracts ({_env('strict')})",
    )
    serve.add_argument("--log-level", choices=LEVELS, help=f"default info ({_env('log_level')})")
    serve.add_argument(
        "--log-format", choices=FORMATS, help=f"one line of text or JSON per event ({_env('log_format')})"
    )
    serve.add_argument(
        "--state-file",
        type=Path,
        help=f"keep state in this file across restarts: loaded at start, written on change and on stop "
        f"({_env('state_file')}; default: memory only)",
    )
    serve.add_argument(
        "--state-interval",
        type=float,
        metavar="SECONDS",
        help=f"how often a changed state is written (default 5; {_env('state_interval')})",
    )
    serve.add_argument(
        "--max-sandboxes", type=int, help=f"sandboxes one server holds (default 1000; {_env('max_sandboxes')})"
    )
    serve.add_argument(
        "--sandbox-ttl",
        type=float,
        dest="sandbox_ttl_s",
        metavar="SECONDS",
        help=f"seconds an idle sandbox lives (default 3600; {_env('sandbox_ttl_s')})",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated proxy addresses whose X-Forwarded-For is believed (default: nobody; "
        "EMULATOR_FORWARDED_ALLOW_IPS)",
    )
    serve.add_argument(
        "--allowed-hosts",
        type=host_list,
        metavar="NAMES",
        help="comma-separated Host names the control plane and pages answer to, besides loopback names and "
        "the listen address ('.example.com' with subdomains, '*' any; EMULATOR_ALLOWED_HOSTS)",
    )
    limits = serve.add_argument_group("limits (bytes; see docs/security.md)")
    for name, what in LIMIT_OPTIONS.items():
        limits.add_argument(
            f"--{name.replace('_', '-')}", type=int, metavar="N", help=f"{what} (EMULATOR_{name.upper()})"
        )

    contracts = commands.add_parser("contracts", help="work with the OpenAPI contracts")
    contracts_commands = contracts.add_subparsers(dest="action", required=True, metavar="ACTION")
    validate = contracts_commands.add_parser("validate", help="check both contracts")
    validate.add_argument("--dir", type=Path, default=None, help="contracts folder")
    coverage = contracts_commands.add_parser("coverage", help="markdown table of implemented operations")
    coverage.add_argument("--dir", type=Path, default=None, help="contracts folder")

    from emulator.conformance.command import add_parser as add_conformance

    add_conformance(commands)
    from emulator.parity.command import add_parsers as add_parity

    add_parity(commands, serve)
    return parser


def _version() -> str:
    try:
        return metadata.version("telephony-emulator")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


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
    if args.command in ("record", "parity"):
        from emulator.parity.command import run as run_parity

        return run_parity(args)
    try:
        return _serve(args)
    except SettingError as exc:  # (an EMULATOR_* variable or an option out of range)
        print(f"telephony-emulator: {exc}", file=sys.stderr)
        return 2


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
    from emulator.core.persist.state_file import StateFileError
    from emulator.fixtures import FixtureError

    config = EmulatorConfig.from_env(
        host=args.host,
        port=args.port,
        fixtures=args.fixtures,
        contracts_dir=args.contracts_dir,
        seed=args.seed,
        admin_token=args.admin_token,
        strict=args.strict,
        log_level=args.log_level,
        log_format=args.log_format,
        state_file=args.state_file,
        state_interval=args.state_interval,
        forwarded_allow_ips=args.forwarded_allow_ips,
        allowed_hosts=args.allowed_hosts,
        **{name: getattr(args, name) for name in LIMIT_OPTIONS},
        max_sandboxes=args.max_sandboxes,
        sandbox_ttl_s=args.sandbox_ttl_s,
        playback=args.playback,
    )
    if config.log_level not in LEVELS or config.log_format not in FORMATS:
        print(f"telephony-emulator: log level must be one of {', '.join(LEVELS)} and format one of "
              f"{', '.join(FORMATS)}", file=sys.stderr)  # fmt: skip
        return 2
    try:
        app = create_app(config)
    except FixtureError as exc:
        print(f"telephony-emulator: fixture rejected: {exc}", file=sys.stderr)
        return 2
    except StateFileError as exc:
        print(f"telephony-emulator: {exc}", file=sys.stderr)
        return 2
    from emulator.parity.command import with_playback

    app = with_playback(app, config.playback)
    try:
        sock = listen(config.host, config.port)
    except OSError as exc:
        print(
            f"telephony-emulator: cannot listen on {config.host}:{config.port}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    config.port = sock.getsockname()[1]  # the real port when 0 asked for any free one
    print(banner(app.state.emulator), flush=True)
    app.state.emulator.outbox.listeners.add(config.host, config.port)
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_settings(config)))
    # What startup built (contracts, modules, the fixture's world) lives as long as the process:
    # frozen, the cyclic collector no longer rescans it during requests.
    gc.collect()
    gc.freeze()
    # The world is a tree (it must encode as JSON), so full collections find next to no garbage in
    # it, yet each one rescans all of it: under a stream of writes they were the 60-140 ms pauses of
    # a SendSms p99. One full collection per 100 middle-generation ones instead of 10; the young
    # generations, where request garbage dies, are collected as before.
    threshold0, threshold1, _ = gc.get_threshold()
    gc.set_threshold(threshold0, threshold1, 100)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


def _state_origin(emulator) -> str:
    """Where the state came from when ``--state-file`` is given: the file, or a fresh start."""
    loaded = emulator.loaded_state
    if loaded is None:
        return f"new, from the fixtures; kept in {_shown(emulator.config.state_file)}"
    saved = (
        "unknown time"
        if loaded.saved_at is None
        else time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(loaded.saved_at))
    )
    return f"loaded from {_shown(loaded.path)} (saved {saved})"


def _shown(path: str | Path) -> str:
    """A file as the banner names it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def banner(emulator) -> str:
    """Base URLs and the default credentials, printed on start."""
    config = emulator.config
    base = f"http://{config.host}:{config.port}"
    lines = [
        *(f"{spec.name.capitalize() + ' API:':<15}{base}{spec.prefix}/" for spec in emulator.apis),
        f"Control plane: {base}/__emulator__/ ({'Bearer token required' if config.admin_token else 'loopback only'})",
        f"Dashboard:     {base}/__emulator__/ui/ (API docs: {base}/__emulator__/docs/)",
        f"Fixtures:      {_shown(emulator.fixture.source)}",
    ]
    if emulator.loaded_state is not None:
        lines[-1] += " (what reset goes back to)"
    if config.state_file is not None:
        lines.append(f"State:         {_state_origin(emulator)}")
    credentials = emulator.default_credentials()
    for spec in emulator.apis:
        lines += [
            "".join(text + (value or "") for text, value in spec.credential_parts(item))
            for item in credentials[spec.name]
        ]
    return "\n".join(lines)
