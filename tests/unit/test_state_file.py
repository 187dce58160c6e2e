"""``serve --state-file``: state survives a clean stop and (up to one interval) a ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from emulator.cli import main
from emulator.core.persist import state_file

ROOT = Path(__file__).resolve().parents[2]
SIMOTEL = {"auth": ("test", "Aa123456"), "headers": {"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"}}


class Served:
    """``telephony-emulator serve`` in a subprocess on port 0; the port is read from the banner."""

    def __init__(self, *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "emulator", "serve", "--port", "0", "--log-level", "warning", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        first = self.process.stdout.readline()
        assert first.startswith("Yemot API:"), first + self.process.stderr.read()
        self.base = first.split()[-1].removesuffix("/ym/api/")
        deadline = time.monotonic() + 20
        while True:  # the banner comes once the port is bound; wait for the app to answer
            try:
                httpx.get(f"{self.base}/__emulator__/clock", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.05)

    def add_user(self, number: str) -> None:
        body = {"name": f"user {number}", "number": number, "secret": "Secret123"}
        answer = httpx.put(f"{self.base}/api/v4/pbx/users/add", json=body, timeout=10, **SIMOTEL).json()
        assert answer["success"] == 1, answer

    def user_numbers(self) -> list[str]:
        answer = httpx.put(
            f"{self.base}/api/v4/pbx/users/search", json={"alike": False, "conditions": {}}, timeout=10, **SIMOTEL
        ).json()
        return sorted(user["number"] for user in answer["data"])

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.process.send_signal(sig)
        code = self.process.wait(timeout=20)
        self.process.stdout.close()
        self.process.stderr.close()
        return code


@pytest.fixture
def served():
    started: list[Served] = []

    def start(*options: str) -> Served:
        server = Served(*options)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop(signal.SIGKILL)


def test_sigterm_writes_the_state_and_a_restart_loads_it(tmp_path, served):
    path = tmp_path / "state.json"
    first = served("--state-file", str(path), "--state-interval", "60")
    before = first.user_numbers()
    first.add_user("7001")
    assert first.stop() in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after its graceful shutdown
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == (state_file.FORMAT, state_file.FORMAT_VERSION)
    second = served("--state-file", str(path))
    assert second.user_numbers() == sorted([*before, "7001"])
    saved = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(document["saved_at"]))
    banner = [second.process.stdout.readline() for _ in range(5)]  # the lines after the first
    assert banner[3].endswith(" (what reset goes back to)\n")
    assert banner[4] == f"State:         loaded from {path} (saved {saved})\n"
    assert sorted(os.listdir(tmp_path)) == ["state.json", "state.json.lock"]  # the lock while it runs
    assert second.stop() in (0, -signal.SIGTERM)
    assert os.listdir(tmp_path) == ["state.json"], "temporary or lock files left behind"


def test_kill_9_loses_nothing_older_than_one_interval(tmp_path, served):
    path = tmp_path / "state.json"
    first = served("--state-file", str(path), "--state-interval", "0.2")
    first.add_user("7002")
    deadline = time.monotonic() + 20
    while not (path.exists() and '"7002"' in path.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, "the periodic write did not happen"
        time.sleep(0.05)
    first.stop(signal.SIGKILL)
    second = served("--state-file", str(path))
    assert "7002" in second.user_numbers()


def test_a_state_file_of_another_version_is_refused_whole(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format": state_file.FORMAT, "version": 999, "snapshot": {}}), encoding="utf-8")
    assert main(["serve", "--port", "0", "--state-file", str(path)]) == 2
    err = capsys.readouterr()
    assert "format version 999; this emulator reads version 1" in err.err
    assert "Yemot API" not in err.out


def test_a_state_file_that_is_not_one_is_refused(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text('{"world": {}}', encoding="utf-8")
    assert main(["serve", "--port", "0", "--state-file", str(path)]) == 2
    assert "is not a telephony-emulator state file" in capsys.readouterr().err


def test_write_replaces_the_file_atomically_and_read_returns_it(tmp_path):
    path = tmp_path / "deep" / "state.json"
    assert state_file.read(path) is None
    document = {"format": state_file.FORMAT, "version": state_file.FORMAT_VERSION, "snapshot": {"x": "ש"}}
    state_file.write(path, document)
    state_file.write(path, document)
    read = state_file.read(path)
    assert (read.format, read.version, json.loads(bytes(read.snapshot))) == (
        state_file.FORMAT,
        state_file.FORMAT_VERSION,
        {"x": "ש"},
    )
    assert os.listdir(path.parent) == ["state.json"]
