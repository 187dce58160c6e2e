"""Simotel's share of the control plane: accounts and settings, inbound calls, dialplans."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """Simotel's control-plane routes (under ``/__emulator__``)."""
    from emulator.simotel.admin import accounts, calls, dialplans

    return [*accounts.routes, *calls.routes, *dialplans.routes]
