"""Stateful emulator of the Yemot HaMashiach and Simotel telephony APIs."""

from __future__ import annotations

from emulator.version import __version__

__all__ = ["__version__", "create_app"]


def __getattr__(name: str):  # keep `import emulator` cheap for the CLI and the pytest plugin
    if name == "create_app":
        from emulator.app import create_app

        return create_app
    raise AttributeError(name)
