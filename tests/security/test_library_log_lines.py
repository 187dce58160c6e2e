"""Libraries' own warnings reach the log in the server's format: a malformed upload makes the
multipart parser warn, and with ``--log-format json`` that warning is a JSON line too, not a bare
line that breaks the stream (it used to be printed by Python's last-resort handler)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def test_a_malformed_upload_logs_json_lines_only():
    server = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--log-format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        base = re.search(r"http://[^/\s]+", server.stdout.readline()).group(0)
        response = httpx.post(
            f"{base}/ym/api/UploadFile",
            content=b"xx-not-a-boundary\r\n",
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        assert response.json()["message"] == "request body could not be parsed"
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    lines = [line for line in stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON document
    assert any("boundary" in json.dumps(record) for record in records)
