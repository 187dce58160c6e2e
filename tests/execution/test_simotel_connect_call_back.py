"""A SmartAPI service written with simotel-connect (PyPI) looks a user up mid-call, within 1 second.

The service answers the PBX only after ``pbx.users.search`` through the public client, over real
sockets to the served emulator that waits for its answer; the call leaves by the service's exit
(before, the lookup waited on a held server and the call left by exit ``e`` after 1 s).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from execution_helpers import START

from emulator.testing.receiver import Hit, Receiver

simotel_connect = pytest.importorskip("simotel_connect")


def _client(server):
    username, password, key = server.simotel_credentials
    parts = urlsplit(server.base)
    client = simotel_connect.Simotel(host=parts.hostname, port=parts.port, scheme="http", username=username,
                                     password=password, api_key=key)  # fmt: skip
    client._client.debug = False  # (it prints a curl line per call by default)
    return client


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "running"])
def test_a_simotel_connect_service_searches_users_before_answering(server, frozen):
    client = _client(server)
    assert client.pbx.users.add(extension="555", name="Dana", password="Secret123").success

    def respond(hit: Hit) -> dict:
        [user] = client.pbx.users.search(extension="555").data
        return {"ok": "1", "commands": f"SayDigit({user['number']});Exit('found')"}

    with Receiver(respond=respond) as service:
        plan = {"numbers": ["789"], "start": "s1", "nodes": {
            "s1": {"type": "smart_api", "url": service.url + "/smart", "exits": {"found": "bye", "e": "bye"}},
            "bye": {"type": "hangup"}}}  # fmt: skip
        server.control("PUT", "simotel/dialplans/lookup", json=plan)
        if frozen:
            server.freeze(START)
        started = time.monotonic()
        call_id = server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]
        if frozen:
            server.advance(60)
        while (view := server.control("GET", f"calls/{call_id}"))["state"] != "ended":
            assert time.monotonic() - started < 10, view
            time.sleep(0.02)
        took = time.monotonic() - started
    said = [part["name"] for entry in view["transcript"] if entry["kind"] == "play" for part in entry["parts"]]
    assert said == ["555"]
    assert [entry["reason"] for entry in view["transcript"] if entry["kind"] == "goto"] == ["found"]
    assert not [entry for entry in view["transcript"] if entry["kind"] == "error"]
    assert took < 2.0, f"the dialogue took {took:.2f} s of real time"
