"""How campaigns read on the wire: the GetCampaignStatus object, its entries and the CSV report."""

from __future__ import annotations

import csv
import io
from typing import Any

from emulator.yemot.campaigns.engine import PAUSED, RUNNING
from emulator.yemot.campaigns.state import Attempt, CampaignEntry, CampaignRun
from emulator.yemot.timefmt import datetime_text

DEFAULT_RANGE = (1, 10_000)
ACTIVE = frozenset({"ringing", "up", "bridged", "amd"})
DONE = frozenset({"done", "accepted", "amd"})
FAILED = frozenset({"failed", "no_answer", "busy", "canceled", "error", "remove_request"})
REPORT_COLUMNS = (
    "index",
    "phone",
    "name",
    "moreinfo",
    "attempt",
    "status",
    "startTime",
    "duration",
    "bridged",
    "bridgedDuration",
    "price",
)


def _time(seconds: float | None) -> str | None:
    return None if seconds is None else datetime_text(seconds)


def status_text(run: CampaignRun) -> str:
    return PAUSED if run.status == RUNNING and run.paused else run.status


def run_time(run: CampaignRun, now: float) -> float:
    return round(max(0.0, (run.ended_at if run.ended_at is not None else now) - run.created), 3)


def _attempt_json(attempt: Attempt) -> dict[str, Any]:
    return {
        "entryStatus": attempt.status,
        "duration": attempt.duration,
        "bridgedDuration": attempt.bridged_duration,
        "bridged": attempt.bridged,
        "startTime": _time(attempt.start),
    }


def entry_json(entry: CampaignEntry) -> dict[str, Any]:
    return {
        "phone": entry.phone,
        "name": entry.name,
        "moreinfo": entry.moreinfo,
        "entryStatus": entry.status,
        "duration": entry.duration,
        "bridgedDuration": entry.bridged_duration,
        "bridged": entry.bridged,
        "startTime": _time(entry.start),
        "currentPrice": entry.price,
        "redials": [_attempt_json(attempt) for attempt in entry.redials],
    }


def parse_range(raw: Any) -> tuple[int, int | None]:
    """``min:max`` 1-based and inclusive; ``:`` (or an empty side, or ``None``) opens that side."""
    if raw in (None, ""):
        return DEFAULT_RANGE
    low, _, high = str(raw).partition(":")

    def bound(text: str) -> int | None:
        text = text.strip()
        return int(text) if text.isdigit() else None

    return max(1, bound(low) or 1), bound(high)


def campaign_json(run: CampaignRun, now: float, *, entries: str | None = None, span: Any = None) -> dict[str, Any]:
    """Every key of a GetCampaignStatus ``campaign``; ``entries`` is a status filter (``all``) or None."""
    counts = {"blocked": 0, "pending": 0, "active": 0, "bridged": 0, "redial": 0, "done": 0, "failed": 0}
    for entry in run.entries:
        status = entry.status
        if status == "blocked":
            counts["blocked"] += 1
        elif status == "pending":
            counts["pending"] += 1
        elif status == "redial":
            counts["redial"] += 1
        elif status == "bridged":
            counts["bridged"] += 1
            counts["active"] += 1
        elif status in ("ringing", "up") or (status == "amd" and entry.duration is None):
            counts["active"] += 1
        elif status in DONE:
            counts["done"] += 1
        elif status in FAILED:
            counts["failed"] += 1
    listed = None
    if entries not in (None, ""):
        wanted = str(entries).lower()
        chosen = [e for e in run.entries if wanted == "all" or e.status == wanted]
        low, high = parse_range(span)
        listed = [entry_json(entry) for entry in chosen[low - 1 : high]]
    counters = run.counters
    return {
        "campaignId": run.campaign_id,
        "campaignStatus": status_text(run),
        "templateId": run.template_id,
        "who": run.who,
        "callerId": run.caller_id,
        "blockedEntries": counts["blocked"],
        "pendingEntries": counts["pending"],
        "activeEntries": counts["active"],
        "bridgedEntries": counts["bridged"],
        "redialEntries": counts["redial"],
        "doneEntries": counts["done"],
        "failedEntries": counts["failed"],
        "totalEntries": len(run.entries),
        "totalDialed": counters.dialed,
        "totalSuccessful": counters.successful,
        "totalBridged": counters.bridged,
        "totalFailed": counters.failed,
        "totalIncoming": 0,
        "totalIncomingBridged": 0,
        "maxActiveChannels": run.max_active_channels,
        "maxBridgedChannels": run.max_bridged_channels,
        "maxDialAttempts": run.max_dial_attempts,
        "redialWait": float(run.redial_wait),
        "redialPolicy": run.redial_policy,
        "vmDetect": run.vm_detect,
        "filterEnabled": run.filter_enabled,
        "playPrivateMsg": run.play_private_msg,
        "runTime": run_time(run, now),
        "currentPrice": run.current_price,
        "paused": run.paused,
        "entries": listed,
    }


def report_csv(run: CampaignRun) -> str:
    """DownloadCampaignReport: one row per attempt of every entry (earlier attempts first), UTF-8 CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for index, entry in enumerate(run.entries, start=1):
        attempts = [*entry.redials]
        if entry.attempts > len(entry.redials) or not attempts:
            attempts.append(Attempt(entry.status, entry.start, entry.duration, entry.bridged_duration, entry.bridged))
        for number, attempt in enumerate(attempts, start=1):
            last = number == len(attempts)
            writer.writerow(
                (
                    index,
                    entry.phone,
                    entry.name or "",
                    entry.moreinfo or "",
                    number if (last and entry.attempts) or not last else 0,
                    attempt.status,
                    _time(attempt.start) or "",
                    "" if attempt.duration is None else attempt.duration,
                    int(attempt.bridged),
                    "" if attempt.bridged_duration is None else attempt.bridged_duration,
                    f"{entry.price:.4f}".rstrip("0").rstrip(".") if last else "0",
                )
            )
    return out.getvalue()
