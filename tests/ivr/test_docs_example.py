"""The pytest example of docs/ivr.md, run as written (keep the two in step)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask, request
from werkzeug.serving import make_server

SYSTEM = "0773137770"  # the default fixture's system


@pytest.fixture
def ivr_app():
    """The IVR web service under test: asks for a 4-digit code, thanks the caller, hangs up."""
    app = Flask("my-ivr")
    seen = []

    @app.route("/ivr", methods=["GET", "POST"])
    def ivr():
        fields = request.values.to_dict()
        seen.append(fields)
        if "hangup" in fields:
            return "noop"
        if "code" not in fields:
            return "read=t-הקישו קוד בן ארבע ספרות=code,no,4,4,7,No,no,no,,,,,None,"
        return f"id_list_message=t-תודה.d-{fields['code']}&go_to_folder=hangup"

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/ivr", seen
    server.shutdown()


def test_caller_enters_a_code(emulator, ivr_app):
    link, seen = ivr_app
    emulator.freeze("2026-03-10T10:00:00Z")
    # Make extension 7 of the system an API extension that calls the app.
    emulator.admin.put(
        f"yemot/systems/{SYSTEM}/files",
        params={"path": "ivr2:/7/ext.ini"},
        content=f"type=api\napi_link={link}\n".encode(),
    )
    # A caller dials extension 7 and keys 1234 when asked.
    placed = emulator.admin.post(
        f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "/7", "keys": ["1234"]}
    ).json()
    emulator.advance(60)  # the call runs on the emulator clock

    call = emulator.admin.get(f"calls/{placed['id']}").json()
    assert call["state"] == "ended"
    heard = [part["data"] for entry in call["transcript"] if entry["kind"] == "play" for part in entry["parts"]]
    assert heard == ["הקישו קוד בן ארבע ספרות", "תודה", "1234"]
    assert seen[1]["code"] == "1234" and seen[1]["ApiExtension"] == "7"
    assert seen[-1]["hangup"] == "yes"  # Yemot tells the app the call is over
