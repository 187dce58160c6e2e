"""Yemot's share of the control plane: what a person or phone does to a system, its IVR-tree files, its API keys."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """Yemot's control-plane routes (under ``/__emulator__``)."""
    from emulator.yemot.admin import files, keys, systems

    return [*files.routes, *systems.routes, *keys.routes]
