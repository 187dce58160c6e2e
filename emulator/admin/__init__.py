"""The control plane under ``/__emulator__``: each module contributes a list of routes."""

from __future__ import annotations

from emulator.admin import call_audio as _call_audio
from emulator.admin import docs as _docs
from emulator.admin import journal as _journal
from emulator.admin import landing as _landing
from emulator.admin import routes as _core
from emulator.admin import sandboxes as _sandboxes
from emulator.admin import served as _served
from emulator.admin import softphone as _softphone
from emulator.admin import telephony as _telephony
from emulator.core.api import ApiSpec


def all_routes(served: tuple[ApiSpec, ...] = ()) -> list:
    """Every control-plane route, each served API's own (``ApiSpec.admin_routes``) among them, with the
    JSON 404 catch-all last."""
    return [
        *_landing.routes,
        *_docs.routes,
        *_core.core_routes,
        *_journal.routes,
        *_telephony.routes,
        *_served.routes,
        *(route for spec in served for route in spec.admin_routes()),
        *_softphone.routes,
        *_call_audio.routes,
        *_sandboxes.routes,
        _core.catch_all,
    ]
