"""The control plane under ``/__emulator__``: each module contributes a list of routes."""

from __future__ import annotations

from emulator.admin import call_audio as _call_audio
from emulator.admin import docs as _docs
from emulator.admin import journal as _journal
from emulator.admin import landing as _landing
from emulator.admin import routes as _core
from emulator.admin import sandboxes as _sandboxes
from emulator.admin import simotel as _simotel
from emulator.admin import simotel_calls as _simotel_calls
from emulator.admin import simotel_dialplans as _simotel_dialplans
from emulator.admin import softphone as _softphone
from emulator.admin import telephony as _telephony
from emulator.admin import yemot as _yemot
from emulator.admin import yemot_files as _yemot_files
from emulator.admin import yemot_keys as _yemot_keys


def all_routes() -> list:
    """Every control-plane route, with the JSON 404 catch-all last."""
    return [
        *_landing.routes,
        *_docs.routes,
        *_core.core_routes,
        *_journal.routes,
        *_telephony.routes,
        *_softphone.routes,
        *_call_audio.routes,
        *_simotel.routes,
        *_simotel_calls.routes,
        *_simotel_dialplans.routes,
        *_yemot_files.routes,
        *_yemot.routes,
        *_yemot_keys.routes,
        *_sandboxes.routes,
        _core.catch_all,
    ]
