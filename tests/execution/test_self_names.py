"""A URL naming this server through the machine's own host name (resolved for real) is never called.

A fixture is trusted, so the URL reaches the world unchecked; the check made before each request
resolves the name and refuses it: the call goes on at once with the refusal in its transcript
(before, the emulator called itself and both waited for the whole timeout). The URLs name methods
of the server itself, which its journal would show had they been called.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from execution_helpers import START, SYSTEM, served

HOST = socket.gethostname()


def _loopback_name() -> str:
    try:
        address = socket.gethostbyname(HOST)
    except OSError:
        address = ""
    if not address.startswith("127."):
        pytest.skip(f"this machine's host name {HOST!r} does not resolve to loopback ({address or 'no address'})")
    return address


def _fixture(port: int) -> str:
    files = {
        "ext.ini": {"text": "type=menu\n"},
        "5/ext.ini": {"text": f"type=api\napi_link=http://{HOST}:{port}/ym/api/GetSession\n"},
    }
    plan = {"numbers": ["789"], "start": "s1", "nodes": {
        "s1": {"type": "smart_api", "url": f"http://{HOST}:{port}/api/v4/pbx/users/search", "exits": {"e": "bye"}},
        "bye": {"type": "hangup"}}}  # fmt: skip
    return json.dumps({
        "description": "self names", "seed": 7, "anchor": "2023-11-01T00:00:00Z",
        "yemot": {"systems": [{"number": SYSTEM, "password": "1234", "units": 100, "files": files}]},
        "simotel": {"dialplans": {"self": plan}},
    })  # fmt: skip


def test_an_api_link_and_a_smartapi_url_naming_this_server_are_refused_when_sent():
    address = _loopback_name()
    refusal = f"must not point at this emulator itself ({HOST} is {address})"
    with served() as server:
        port = int(server.base.rsplit(":", 1)[1])
        server.load_fixture(_fixture(port))
        server.freeze(START)
        started = time.monotonic()
        body = {"from": "0501234567", "path": "/5", "keys": []}
        yemot = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]
        simotel = server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]
        server.advance(120)
        took = time.monotonic() - started
        views = [server.control("GET", f"calls/{call_id}") for call_id in (yemot, simotel)]
        own = server.journal()

    yemot_reply = next(entry for entry in views[0]["transcript"] if entry["kind"] == "reply")
    assert yemot_reply["error"] == f"api_link {refusal}"
    assert [entry["code"] for entry in views[0]["transcript"] if entry["kind"] == "error"][0] == "M1607"
    assert refusal in json.dumps(views[1]["transcript"])
    assert [view["state"] for view in views] == ["ended", "ended"]
    assert [entry["path"] for entry in own] == []  # (the URLs name two journaled methods of this server)
    assert took < 5.0, f"the calls took {took:.2f} s"
