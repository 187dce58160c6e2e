"""Real IVR frameworks whose service calls the REST API mid-call, against a served emulator.

A yemot-flow (PyPI) service using the yemot-api client (PyPI), and a yemot-router2 (npm) service
using fetch, each record the caller, then read the session (GetSession), move the recording
(FileAction) and download it (DownloadFile) before they answer. The emulator runs under uvicorn
and the services call it over real sockets while the call waits for their answer, so the
dialogue completes only if that wait leaves the server free to answer them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from ivr_helpers import CALLER, entries, played
from services import flask_service, node_missing, node_service

yemot_flow = pytest.importorskip("yemot_flow")
yemot_api = pytest.importorskip("yemot_api")

from yemot_api import input_types  # noqa: E402
from yemot_api.yemot_api import Yemot  # noqa: E402

SYSTEM, PASSWORD = "0773137770", "1234"
TOKEN = f"{SYSTEM}:{PASSWORD}"
PROMPT = "say your message"
KEPT = "ivr2:/7/kept.wav"


def _flow_app(yemot: str) -> Any:
    """The yemot-flow service (Flask, as its README wires it); its REST calls go through yemot-api."""
    from flask import Flask, Response, request

    flow = yemot_flow.Flow(timeout=30_000)

    @flow.get("5")
    async def keep(call: Any) -> None:
        recording = await call.read([("text", PROMPT)], mode="record", val_name="rec", file_name="msg",
                                    no_confirm_menu="yes")  # fmt: skip
        client = Yemot(TOKEN)
        client.BASE_URL = yemot
        try:
            session = client.get_session()
            moved = client.file_action(input_types.FileAction.MOVE, recording, KEPT.removeprefix("ivr2:"))
            data = client.download_file(KEPT.removeprefix("ivr2:/"))
        finally:
            client.close()
        status = "OK" if moved.reports and moved.reports[0].success else "ERROR"
        call.play_message([("text", f"{status} {len(data)} bytes for {session.username}")])
        call.hangup()

    app = Flask("ivr-call-back")

    @app.route("/yemot", methods=["GET", "POST"])
    def yemot_route() -> Response:
        return Response(flow.handle_request(request.values.to_dict()), mimetype="text/plain; charset=utf-8")

    return app


@pytest.fixture(params=["yemot-flow", "yemot-router2"])
def link(request: pytest.FixtureRequest, emulator_server: Any) -> Iterator[str]:
    """The api_link of the framework's service, which calls ``emulator_server`` back."""
    if request.param == "yemot-flow":
        with flask_service(_flow_app(emulator_server.yemot)) as url:
            yield f"{url}/yemot"
        return
    reason = node_missing()
    if reason is not None:
        print(f"SKIPPED yemot-router2 call-back test: {reason}")
        pytest.skip(reason)
    with node_service("rest_app.mjs", emulator_server.yemot, TOKEN) as url:
        yield f"{url}/ivr"


def _ym(server: Any, method: str, **params: str) -> httpx.Response:
    return httpx.post(server.yemot + method, data={"token": TOKEN, **params}, timeout=10)


def test_a_framework_service_that_calls_the_rest_api_mid_call_completes_on_a_frozen_clock(emulator_server, link):
    server = emulator_server
    assert _ym(server, "UpdateExtension", path="ivr2:/5", type="api", api_link=link).json()["responseStatus"] == "OK"
    server.freeze("2026-03-01T08:00:00Z")
    started = time.monotonic()
    body = {"from": CALLER, "path": "/5", "keys": [3]}
    call_id = server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]
    server.advance(120)
    took = time.monotonic() - started
    view = server.control("GET", f"calls/{call_id}")

    kept = httpx.get(server.yemot + "DownloadFile", params={"token": TOKEN, "path": KEPT}, timeout=10)
    assert kept.status_code == 200 and kept.content[:4] == b"RIFF"
    assert [entry["path"] for entry in entries(view["transcript"], "record")] == ["/5/msg.wav"]
    # (yemot-flow's message ends the exchange and api_end_goto leads to the root's menu; yemot-router2 hangs up)
    assert played(view["transcript"])[:2] == [f"text:{PROMPT}", f"text:OK {len(kept.content)} bytes for {SYSTEM}"]
    assert [entry.get("error") for entry in entries(view["transcript"], "reply")] == [None] * 3
    assert view["state"] == "ended"
    gone = _ym(server, "GetIVR2Dir", path="ivr2:/5").json()
    assert "msg.wav" not in [file["name"] for file in gone.get("files", [])]
    # (it waited for the 30 s api_timeout and played M1607 while the loop was held)
    assert took < 5.0, f"the dialogue took {took:.2f} s of real time"
