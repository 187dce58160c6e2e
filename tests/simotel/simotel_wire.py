"""Shared pieces of the Simotel wire tests: the clock anchor and one way to call a service."""

from __future__ import annotations

from typing import Any

ANCHOR = "2026-01-01T00:00:00Z"  # 03:30 in Tehran


def call(emulator: Any, service: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body`` to ``service`` as JSON; the envelope of a 200 answer."""
    response = emulator.simotel.post(service, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def ok(emulator: Any, service: str, body: dict[str, Any]) -> dict[str, Any]:
    """Like ``call``, asserting ``success`` 1."""
    payload = call(emulator, service, body)
    assert payload["success"] == 1, payload
    return payload
