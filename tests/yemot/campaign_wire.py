"""Shared pieces of the template and campaign wire tests: a fixture with one template and its message."""

from __future__ import annotations

import json
from typing import Any

from yemot_wire import SYSTEM, api, ok

TEMPLATE = 100001
START = "2026-03-10T08:00:00Z"  # Tuesday, 10:00 in Israel
SECONDS_OF_PCM = 16_000  # bytes per second of 8 kHz 16-bit mono


def load(
    emulator: Any,
    entries: list[Any] | None = None,
    *,
    units: float = 100,
    message_s: int = 10,
    sms_text: str | None = None,
    **template: Any,
) -> None:
    """Reset to one system whose template 100001 has ``entries``, a ``message_s`` message and an SMS text."""
    files: dict[str, Any] = {"ivr2:/FaxTest.pdf": {"text": "%PDF-1.4"}}
    if sms_text is not None:
        files[f"ivr2:/{TEMPLATE}.tts"] = {"text": sms_text}
    if message_s:
        files[f"ivr2:/{TEMPLATE}.wav"] = {"size": message_s * SECONDS_OF_PCM}
    system = {
        "number": SYSTEM,
        "password": "1234",
        "units": units,
        "files": files,
        "secondary_dids": [{"id": 100, "did": "0773137771", "usage": "goto:/1"}],
        "templates": [{"id": TEMPLATE, "description": "Weekly", "entries": entries or [], **template}],
    }
    emulator.control("POST", "fixtures", content=json.dumps({"seed": 1, "yemot": {"systems": [system]}}))


def run(emulator: Any, **params: Any) -> dict:
    """RunCampaign of template 100001; the OK answer."""
    return ok(api(emulator, "RunCampaign", templateId=TEMPLATE, **params))


def status(emulator: Any, campaign: str, **params: Any) -> dict:
    return ok(api(emulator, "GetCampaignStatus", campaignId=campaign, **params))["campaign"]


def phones(count: int, first: int = 0) -> list[str]:
    """``count`` distinct ordinary mobile numbers (answer after 5 s, talk 20 s)."""
    return [f"052{n:07d}" for n in range(first, first + count)]
