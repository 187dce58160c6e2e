"""The parity report: a summary table for the terminal, a JSON document, an HTML page (jinja2)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from emulator.parity.exchange import write_atomic
from emulator.parity.replay import Outcome

TEMPLATE = "report.html.j2"


def to_json(outcomes: list[Outcome], target: str, rules: str) -> dict[str, Any]:
    """The whole report as JSON: totals, then each exchange with its differences."""
    compared = [outcome for outcome in outcomes if not outcome.skipped]
    same = sum(1 for outcome in compared if not outcome.failing)
    kinds = Counter(difference.kind for outcome in compared for difference in outcome.differences)
    return {
        "target": target,
        "rules": rules,
        "exchanges": len(outcomes),
        "compared": len(compared),
        "same": same,
        "differ": len(compared) - same,
        "skipped": len(outcomes) - len(compared),
        "parity_percent": round(100 * same / len(compared), 1) if compared else None,
        "differences_by_kind": dict(sorted(kinds.items())),
        "results": [
            {
                "exchange": outcome.exchange.index,
                "file": f"{outcome.exchange.stem}.json",
                "api": outcome.exchange.api,
                "operation": outcome.exchange.operation,
                "source": outcome.exchange.source,
                "verdict": outcome.verdict,
                "skipped": outcome.skipped,
                "recorded": outcome.exchange.response,
                "live": outcome.live,
                "differences": [difference.to_json() for difference in outcome.differences],
            }
            for outcome in outcomes
        ],
    }


def summary_lines(report: dict[str, Any]) -> list[str]:
    """One row per exchange (number, operation, status, verdict, the first failing field), then totals."""
    rows = [("#", "operation", "status", "verdict", "differences")]
    for result in report["results"]:
        live = result["live"] or {}
        status = f"{result['recorded'].get('status')}/{live.get('status', '-')}"
        failing = [d for d in result["differences"] if d["failing"]]
        noted = ", ".join(f"{d['kind']} {d['path']}" for d in failing[:3]) + (" ..." if len(failing) > 3 else "")
        rows.append((str(result["exchange"]), result["operation"][:40], status, result["verdict"], noted or "-"))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    percent = report["parity_percent"]
    lines.append(
        f"parity: {report['same']} of {report['compared']} compared exchanges the same"
        + (f" ({percent}%)" if percent is not None else "")
        + f", {report['differ']} differ, {report['skipped']} skipped; target {report['target']}"
    )
    return lines


def write(report: dict[str, Any], path: Path) -> None:
    """Write the report as JSON (``.json``) or as an HTML page (any other suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".json":
        write_atomic(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        return
    write_atomic(path, html(report).encode("utf-8"))


def html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page, each difference with both sides next to each other."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["pretty"] = lambda value: json.dumps(value, ensure_ascii=False, indent=1)
    return environment.get_template(TEMPLATE).render(report=report)
