"""Shared fixtures of the client-library tests."""

from __future__ import annotations

import httpx
import pytest

SYSTEM, PASSWORD = "0773137770", "1234"


@pytest.fixture
def client(emulator_server):
    """A ``yemot`` 0.1.2 ``Client`` logged in to the fixture's system, with the clock frozen at a known time."""
    from yemot import Client

    httpx.post(f"{emulator_server.admin}clock", json={"freeze": True, "set": "2026-03-01T08:00:00Z"}, timeout=10)
    made = Client(SYSTEM, PASSWORD, base_url=emulator_server.yemot.rstrip("/"))
    yield made
    made.close()
