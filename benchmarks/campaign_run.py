"""A 10,000-entry Yemot campaign with maxActiveChannels 100, run to the end by one clock advance.

The template's entries are ordinary mobiles, with every 20th a no-answer number (``...901``,
dialled three times) and every 50th a busy one (``...902``), so the run exercises ring timeouts,
redials and the channel limit. RunCampaign's service starts the run; the timed part is the clock
advance that dials, answers, redials, prices and finishes every entry.

    python benchmarks/campaign_run.py [--entries 10000] [--channels 100] [--check]

Target (issue 11): the advance takes < 5 s of wall time. It exits 1 when the run did not finish
(and, with ``--check``, when the target is missed).
"""

from __future__ import annotations

import argparse
import sys
import time

from emulator.config import EmulatorConfig
from emulator.core.sim.clock import parse_instant
from emulator.runtime import Emulator
from emulator.yemot import ivrtree
from emulator.yemot.campaigns import service as campaigns
from emulator.yemot.campaigns.state import TemplateEntry
from emulator.yemot.paths import template_file
from emulator.yemot.services import templates

TARGET_S = 5.0
START = parse_instant("2026-03-10T08:00:00Z")  # a Tuesday morning in Israel
MESSAGE = b"\0" * 16_000 * 10  # ten seconds of 8 kHz 16-bit PCM


def number(n: int) -> str:
    if n % 20 == 0:
        return f"05{n:05d}901"
    if n % 50 == 1:
        return f"05{n:05d}902"
    return f"05{n:05d}{n % 900:03d}"


def prepared(entries: int, channels: int) -> tuple[Emulator, str]:
    """A runtime whose default template holds ``entries`` numbers; the campaign already launched."""
    emulator = Emulator(EmulatorConfig.from_env({}, frozen_at=START))
    system = next(iter(emulator.world.yemot.systems.values()))
    system.units = entries * 2.0
    template = templates.default_template(system)
    template.max_active_channels = channels
    template.entries = [TemplateEntry(rowid=n + 1, phone=number(n)) for n in range(entries)]
    ivrtree.put(system, template_file(template.template_id), MESSAGE, now=START)
    run, _ = campaigns.launch(emulator, system, template, who="bench")
    return emulator, run.campaign_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--check", action="store_true", help=f"also exit 1 when the advance takes {TARGET_S} s or more")
    args = parser.parse_args(argv)

    emulator, campaign = prepared(args.entries, args.channels)
    started = time.perf_counter()
    ran = emulator.scheduler.advance(6 * 3600)
    elapsed = time.perf_counter() - started
    system = next(iter(emulator.world.yemot.systems.values()))
    run = system.campaign_book.campaigns[campaign]
    finished = run.status == "FINISHED"

    print(f"campaign of {args.entries} entries, {args.channels} channels, one 6 h advance: {elapsed:.3f} s")
    print(f"  events run {ran}, attempts {run.counters.dialed}, answered {run.counters.successful}")
    print(f"  status {run.status}, simulated run time {run.ended_at - run.created if run.ended_at else 0:.0f} s")
    print(f"target < {TARGET_S} s and FINISHED: {'met' if elapsed < TARGET_S and finished else 'MISSED'}")
    return 1 if not finished or (args.check and elapsed >= TARGET_S) else 0


if __name__ == "__main__":
    sys.exit(main())
