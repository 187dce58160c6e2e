"""Defect 10: bodies over their cap get 413 in the plane's own shape, before the body is read."""

from __future__ import annotations

import json
import socket

from conftest import TOKEN, Wire

HUNDRED_MB = 100 * 1024 * 1024


def _declared_only(wire: Wire, path: str, length: int, content_type: str = "application/json") -> tuple[int, dict]:
    """Send only the headers of a ``length``-byte POST; the answer must come without any body sent."""
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nAuthorization: Basic dGVzdDpBYTEyMzQ1Ng==\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", wire.port), timeout=10) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 1


def test_a_100_mb_json_body_is_refused_from_its_headers_alone(wire: Wire):
    status, body = _declared_only(wire, "/ym/api/GetSession", HUNDRED_MB)
    assert status == 413
    assert body == {
        "responseStatus": "ERROR",
        "message": "request body is larger than 4194304 bytes",
        "yemotAPIVersion": 6,
        "yAfastVersion": "6.6.156",
    }
    status, body = _declared_only(wire, "/api/v4/pbx/users/add", HUNDRED_MB)
    assert (status, body) == (413, {"success": 0, "message": "Request body is larger than 4194304 bytes", "data": None})
    status, body = _declared_only(wire, "/__emulator__/fixtures", HUNDRED_MB, "application/yaml")
    assert (status, body) == (413, {"error": "request body is larger than 2000000 bytes"})
    assert wire.yemot_call("GetSession")["responseStatus"] == "OK"


def test_a_streamed_body_without_length_is_cut_off_at_the_cap(wire_factory):
    wire = wire_factory(max_body_bytes=10_000)

    def chunks():
        yield b'{"token": "' + TOKEN.encode() + b'", "pad": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = wire.yemot.post("GetSession", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["message"] == "request body is larger than 10000 bytes"
    assert wire.control.journal() == []


def test_uploads_have_their_own_cap(wire_factory):
    wire = wire_factory(max_body_bytes=2_000, max_upload_bytes=20_000)
    fax = {"token": TOKEN, "pdfFile": "UPLOAD", "phone": "0527777001"}
    small = wire.yemot.post("SendFax", data=fax, files={"fileToUpload": ("f.pdf", b"%PDF" + b"x" * 5_000)})
    assert small.status_code == 200 and small.json()["responseStatus"] == "OK"
    large = wire.yemot.post("SendFax", data=fax, files={"fileToUpload": ("f.pdf", b"%PDF" + b"x" * 30_000)})
    assert large.status_code == 413
    assert large.json()["message"] == "request body is larger than 20000 bytes"
    form = wire.yemot.post("SendSms", data={"token": TOKEN, "phones": "0527777001", "message": "x" * 3_000})
    assert form.status_code == 413


def test_caps_come_from_the_environment():
    from emulator.config import EmulatorConfig

    config = EmulatorConfig.from_env(
        {"EMULATOR_MAX_BODY_BYTES": "123", "EMULATOR_MAX_UPLOAD_BYTES": "456", "EMULATOR_OUTBOX_RETENTION": "7"}
    )
    assert (config.max_body_bytes, config.max_upload_bytes, config.outbox_retention) == (123, 456, 7)
