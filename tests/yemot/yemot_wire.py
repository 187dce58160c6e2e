"""Shared pieces of the Yemot wire tests: the fixture system, the version fields, one way to call a method."""

from __future__ import annotations

from typing import Any

SYSTEM = "0773137770"
TOKEN = f"{SYSTEM}:1234"
VERSION = {"yemotAPIVersion": 6, "yAfastVersion": "6.6.156"}


def api(emulator: Any, method: str, **params: Any) -> dict:
    """POST ``method`` as JSON with the fixture token; the answer's JSON (always HTTP 200)."""
    response = emulator.yemot.post(method, json={"token": emulator.yemot_token, **params})
    assert response.status_code == 200
    return response.json()


def ok(body: dict) -> dict:
    """``body``, after checking it is an OK answer."""
    assert body["responseStatus"] == "OK", body
    return body


def error(body: dict, message: str, status: str = "ERROR") -> None:
    """Check ``body`` is the refusal ``status`` / ``message``."""
    assert (body["responseStatus"], body["message"]) == (status, message)
