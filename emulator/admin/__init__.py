"""The control plane under ``/__emulator__``: each module contributes a list of routes."""

from __future__ import annotations

from emulator.admin import routes as _core
from emulator.admin import simotel as _simotel
from emulator.admin import simotel_calls as _simotel_calls
from emulator.admin import simotel_dialplans as _simotel_dialplans
from emulator.admin import telephony as _telephony
from emulator.admin import yemot as _yemot


def all_routes() -> list:
    """Every control-plane route, with the JSON 404 catch-all last."""
    return [
        *_core.core_routes,
        *_telephony.routes,
        *_simotel.routes,
        *_simotel_calls.routes,
        *_simotel_dialplans.routes,
        *_yemot.routes,
        _core.catch_all,
    ]
