"""Parity reports: JSON (machine-readable), HTML (one table per run) and a console summary."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any


def write(report: dict[str, Any], path: Path) -> None:
    """Write ``report`` as JSON or HTML, chosen by the file suffix."""
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(to_html(report), encoding="utf-8")
    else:
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value


def summary_lines(report: dict[str, Any]) -> list[str]:
    """One line per operation that failed, drifted or was skipped, then the totals."""
    lines = []
    for op in report["operations"]:
        diff = op.get("first_difference")
        if op["status"] == "fail" and diff:
            lines.append(
                f"FAIL  {op['operation']}: {diff['check']} at {diff['field']}: "
                f"expected {_value(diff['expected'])}, got {_value(diff['actual'])}"
            )
        elif op["status"] == "fail":
            lines.append(f"FAIL  {op['operation']}: {'; '.join(op['errors'][:1])}")
        elif op["status"] == "skipped":
            lines.append(f"SKIP  {op['operation']}: {op['reason']}")
        drift = op.get("drift")
        if drift and drift["differences"]:
            first = drift["first"]
            lines.append(
                f"DRIFT {op['operation']}: {drift['differences']}/{drift['compared']} answers differ; first at "
                f"{first['field']}: emulator {_value(first['expected'])}, target {_value(first['actual'])}"
            )
    total = report["summary"]
    lines.append(
        f"{report['api']} vs {report['target']}: {total['requests']} requests, {total['run']} operations run, "
        f"{total['skipped']} skipped, {len(total['failed'])} failed"
        + (f", {len(total['drifted'])} drifted" if report["against_emulator"] else "")
    )
    return lines


def to_html(report: dict[str, Any]) -> str:
    """A single self-contained HTML page."""
    esc = html.escape
    checks = sorted({name for op in report["operations"] for name in op["checks"]})
    head = "".join(f"<th>{esc(name)}</th>" for name in checks)
    rows = []
    for op in report["operations"]:
        cells = []
        for name in checks:
            tally = op["checks"].get(name)
            if tally is None:
                cells.append("<td></td>")
            else:
                css = "fail" if tally["failed"] else "pass"
                cells.append(f'<td class="{css}">{tally["passed"]}/{tally["passed"] + tally["failed"]}</td>')
        diff = op.get("first_difference") or (op.get("drift") or {}).get("first")
        detail = (
            f"{esc(str(diff.get('field')))}: expected <code>{esc(_value(diff.get('expected')))}</code>, "
            f"got <code>{esc(_value(diff.get('actual')))}</code>"
            if diff
            else esc(op["reason"] if op["status"] == "skipped" else "")
        )
        rows.append(
            f'<tr class="{op["status"]}"><td>{esc(op["operation"])}</td><td>{esc(op["method"])} {esc(op["path"])}</td>'
            f"<td>{op['status']}</td><td>{op['requests']}</td>{''.join(cells)}<td>{detail}</td></tr>"
        )
    summary = esc(summary_lines(report)[-1])
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Conformance: {esc(report["api"])}</title>
<style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}
td.fail,tr.fail td:nth-child(3){{background:#fcc}}td.pass{{background:#cfc}}tr.skipped{{color:#888}}</style></head>
<body><h1>{esc(report["api"])} conformance against {esc(report["target"])}</h1><p>{summary}</p>
<table><tr><th>operation</th><th>request</th><th>status</th><th>requests</th>{head}<th>first difference</th></tr>
{"".join(rows)}</table>
<script type="application/json" id="report">{esc(json.dumps(report, default=str))}</script></body></html>
"""
