"""A client that leaves before its body has arrived is no server error: the control plane used to
log "Exception in ASGI application" with a 40-line ``ClientDisconnect`` traceback for each one (a
malformed chunked body ends the same way); the APIs already answered it as an unparsable body."""

from __future__ import annotations

import socket
import time

from conftest import logged_within

HEAD = "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"


def _leave_mid_body(port: int, path: str, body: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(HEAD.format(path=path).encode() + body)
        time.sleep(0.2)


def test_leaving_mid_body_logs_no_traceback_and_changes_nothing(wire_factory, capfd):
    wire = wire_factory(server_log_level="info")
    before = wire.admin.get("clock").json()["frozen"]
    capfd.readouterr()
    _leave_mid_body(wire.port, "/__emulator__/clock", b'{"freeze": true')
    _leave_mid_body(wire.port, "/__emulator__/fixtures", b"yemot:")
    with socket.create_connection(("127.0.0.1", wire.port)) as client:  # a chunked body that breaks off
        client.sendall(
            HEAD.format(path="/__emulator__/clock")
            .replace("Content-Length: 1000", "Transfer-Encoding: chunked")
            .encode()
            + b"zz\r\n"
        )
        time.sleep(0.2)
    assert wire.yemot.get("GetSession", params={"token": "marker-after-disconnects"}).status_code == 200
    logged = logged_within(capfd, "GetSession")
    assert "Traceback" not in logged and "Exception in ASGI application" not in logged
    assert wire.admin.get("clock").json()["frozen"] == before
