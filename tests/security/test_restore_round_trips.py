"""What the emulator itself makes must restore and reload: a state that passed through the API's
own methods is never refused (or answered 500) by the restore check or the state file's start.

An MFA method's ``expires`` is the date text the user gave (``newExpiredDate``); its name reads like
an instant, but it is no number, and comparing it with the clock's range raised ``TypeError``: the
restore answered 500 and the state file stopped every later start with a traceback.
"""

from __future__ import annotations

import asyncio

from emulator.config import EmulatorConfig
from emulator.core.persist.state_saver import StateSaver
from emulator.runtime import Emulator

EXPIRES = {
    "action": "addMethod",
    "mfaNewType": "EMAIL",
    "mtaNewValue": "a@b.example",
    "newExpiredDate": "2030-01-01 00:00:00",
}


def test_a_snapshot_with_a_dated_mfa_method_restores(wire):
    assert wire.yemot_call("MFASession", **EXPIRES)["responseStatus"] == "OK"
    snapshot = wire.admin.get("snapshot").content
    response = wire.admin.post("restore", content=snapshot, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (200, {"restored": True})
    assert wire.admin.get("snapshot").content == snapshot


def test_a_state_file_with_a_dated_mfa_method_reloads(tmp_path):
    path = tmp_path / "state.json"
    emulator = Emulator(EmulatorConfig(state_file=path))
    emulator.world.yemot.systems["0773137770"].mfa.methods[0].expires = "2030-01-01 00:00:00"
    emulator.revision += 1
    assert asyncio.run(StateSaver(emulator, path, 60).save())
    emulator.state_lock.release()
    again = Emulator(EmulatorConfig(state_file=path))
    assert again.world.yemot.systems["0773137770"].mfa.methods[0].expires == "2030-01-01 00:00:00"
    again.state_lock.release()


def test_an_instant_out_of_range_is_still_refused(wire):
    snapshot = wire.admin.get("snapshot").json()
    snapshot["world"]["yemot"]["systems"]["0773137770"]["mfa"]["methods"][0]["last_used"] = -1.0
    response = wire.admin.post("restore", json=snapshot)
    assert response.status_code == 400
    assert response.json()["path"] == '$.world.yemot.systems["0773137770"].mfa.methods[0].last_used'
