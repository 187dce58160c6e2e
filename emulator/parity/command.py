"""``telephony-emulator record`` and ``telephony-emulator parity``, and ``serve --playback``."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from emulator import apis

COMMANDS = ("record", "parity")


def add_parsers(commands: argparse._SubParsersAction, serve: argparse.ArgumentParser) -> None:
    """Register ``record`` and ``parity``, and ``--playback`` on ``serve``."""
    serve.add_argument(
        "--playback",
        type=Path,
        metavar="DIR",
        help="answer requests recorded in DIR from the recording; pass the rest to the emulator "
        "(docs/parity.md; EMULATOR_PLAYBACK)",
    )
    record = commands.add_parser(
        "record",
        help="forward requests to a real server and record every exchange",
        description="Listen locally, forward every request unchanged to --target and its answer unchanged back, "
        "and write each exchange to --out with secrets redacted (docs/parity.md). Every request reaches the "
        "real server: a recorded SMS or call is real and costs what it costs.",
    )
    record.add_argument("--target", required=True, help="base URL of the real server (or, with "
                        "--listen-webhooks, of your own service)")  # fmt: skip
    record.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder the exchanges are written to")
    record.add_argument("--api", choices=apis.names(), help="label the exchanges (default: by path)")
    record.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    record.add_argument("--port", type=int, default=8090, help="port (default 8090; 0: any free one)")
    record.add_argument(
        "--listen-webhooks",
        action="store_true",
        help="record what the platform sends to your service (API module, webhook, SmartAPI URLs) and forward it",
    )
    record.add_argument("--redact-phones", action="store_true", help="replace phone numbers by stable placeholders")
    parity = commands.add_parser(
        "parity",
        help="replay a recording against the emulator and report every difference",
        description="Replay the exchanges of DIR in order against an emulator (a fresh one, or --against URL) and "
        "compare each answer with the recorded one. Exit status 1 when anything not declared volatile differs.",
    )
    parity.add_argument("dir", type=Path, metavar="DIR", help="a recording (NNNN-*.json files)")
    parity.add_argument("--against", metavar="URL", help="a running emulator (default: a fresh embedded one)")
    parity.add_argument("--fixtures", type=Path, help="fixture of the embedded emulator (default: the default one)")
    parity.add_argument("--rules", type=Path, help="rules file (default: DIR/rules.yaml, else the shipped one)")
    parity.add_argument("--json", type=Path, metavar="FILE", help="write the JSON report to FILE")
    parity.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report to FILE")


def run(args: argparse.Namespace) -> int:
    """Run ``record`` or ``parity``."""
    from emulator.parity.exchange import RecordingError

    try:
        return _record(args) if args.command == "record" else _parity(args)
    except RecordingError as exc:
        print(f"telephony-emulator {args.command}: {exc}", file=sys.stderr)
        return 2


def with_playback(app: Any, folder: Path | None) -> Any:
    """``app`` behind the recording of ``serve --playback DIR``, or ``app`` itself."""
    if folder is None:
        return app
    from emulator.config import SettingError
    from emulator.parity.exchange import RecordingError
    from emulator.parity.playback import Playback

    try:
        return Playback(app, folder)
    except RecordingError as exc:
        raise SettingError(f"--playback: {exc}") from None


def _parity(args: argparse.Namespace) -> int:
    import contextlib

    from emulator.parity import report
    from emulator.parity.replay import embedded_emulator, replay
    from emulator.parity.rules import load_rules

    rules = load_rules(args.rules, args.dir)
    with contextlib.ExitStack() as stack:
        target = args.against or stack.enter_context(embedded_emulator(args.fixtures))
        outcomes = replay(args.dir, target, rules)
    data = report.to_json(outcomes, args.against or "embedded emulator", rules.source)
    for line in report.summary_lines(data):
        print(line)
    for path in (args.json, args.html):
        if path is not None:
            report.write(data, path)
            print(f"report written to {path}")
    return 1 if data["differ"] else 0


def _record(args: argparse.Namespace) -> int:
    import uvicorn

    from emulator.listening import listen
    from emulator.parity.proxy import RecordingProxy

    direction = "webhook" if args.listen_webhooks else "api"
    proxy = RecordingProxy(args.target, args.out, api=args.api, direction=direction, redact_phones=args.redact_phones)
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:
        print(f"telephony-emulator record: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)  # fmt: skip
        return 1
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"Recording {'webhooks for' if args.listen_webhooks else 'requests to'} {args.target} at "
          f"http://{shown}:{port}/ into {args.out}", flush=True)  # fmt: skip
    server = uvicorn.Server(uvicorn.Config(proxy, lifespan="on", log_level="warning", access_log=False))
    # uvicorn stops gracefully on SIGTERM / Ctrl-C (requests under way finish, the lifespan awaits
    # the last writes), then raises the signal again with the handler found before it started: a
    # handler that does nothing lets the command report what it wrote and exit with status 0.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda number, frame: None)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print(f"{len(proxy.written)} exchange(s) written to {args.out}", flush=True)
    return 0
