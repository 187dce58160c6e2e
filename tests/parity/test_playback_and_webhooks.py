"""Playback in front of the emulator, webhook capture, and the two commands as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from parity_helpers import recording_proxy, served_emulator

from emulator.app import create_app
from emulator.config import EmulatorConfig
from emulator.parity.exchange import Exchange, write_exchange
from emulator.parity.playback import Playback
from emulator.testing.harness import serve_in_thread
from emulator.testing.receiver import Receiver

SYSTEM, CALLER, TOKEN = "0773137770", "0501234567", "0773137770:1234"
ROOT = Path(__file__).resolve().parents[2]
FUTURE_ANSWER = {"responseStatus": "OK", "rows": [{"month": "2026-11", "calls": 12}], "yemotAPIVersion": 6}


def _future_method(folder: Path) -> None:
    """A recording of a method the emulator does not know (its answer as a real server gave it)."""
    request = {
        "method": "GET",
        "path": "/ym/api/GetFutureReport",
        "query": [["token", "<token:1>"], ["month", "2026-11"]],
        "headers": {},
        "body": {},
    }
    response = {"status": 200, "headers": {"content-type": "application/json"}, "body": {"json": FUTURE_ANSWER}}
    write_exchange(Exchange(1, request, response, api="yemot", source="test: a method yet to be modelled"), folder)


def test_playback_answers_a_recorded_method_and_passes_the_rest_to_the_emulator(tmp_path):
    _future_method(tmp_path)
    config = EmulatorConfig.from_env({})
    with serve_in_thread(config, Playback(create_app(config), tmp_path)) as urls:
        played = httpx.get(f"{urls.yemot}GetFutureReport", params={"token": TOKEN, "month": "2026-11"})
        other = httpx.get(f"{urls.yemot}GetFutureReport", params={"token": TOKEN, "month": "2026-10"})
        session = httpx.get(f"{urls.yemot}GetSession", params={"token": TOKEN})
    assert played.status_code == 200 and played.json() == FUTURE_ANSWER  # any token: secrets are not matched
    assert played.headers["x-emulator-playback"] == "0001-GetFutureReport"
    assert other.json()["responseStatus"] != "OK"  # not recorded: the emulator answers, and does not know it
    assert "x-emulator-playback" not in other.headers
    assert session.json()["responseStatus"] == "OK"


def test_playback_hands_a_posted_body_on_unchanged_when_nothing_matches(tmp_path):
    _future_method(tmp_path)
    config = EmulatorConfig.from_env({})
    with serve_in_thread(config, Playback(create_app(config), tmp_path)) as urls:
        form = {"token": TOKEN, "what": "ivr2:/1/a.txt", "contents": "x"}
        answer = httpx.post(f"{urls.yemot}UploadTextFile", data=form)
        read = httpx.get(f"{urls.yemot}GetTextFile", params={"token": TOKEN, "what": "ivr2:/1/a.txt"})
    assert answer.json()["responseStatus"] == "OK"
    assert read.json()["contents"] == "x"


def test_webhook_capture_records_an_api_module_exchange_and_forwards_it(tmp_path):
    service_reply = "id_list_message=t-שלום&go_to_folder=hangup"
    with (
        served_emulator() as platform,
        Receiver(respond=lambda hit: service_reply) as service,
        recording_proxy(service.url, tmp_path, api="yemot", direction="webhook") as (proxy_url, proxy),
    ):
        tree = {"ext.ini": {"text": "type=menu\n"}, "5/ext.ini": {"text": f"type=api\napi_link={proxy_url}/ivr\n"}}
        fixture = {"seed": 7, "yemot": {"systems": [{"number": SYSTEM, "password": "1234", "files": tree}]}}
        platform.load_fixture(json.dumps(fixture))
        platform.freeze("2026-03-10T08:00:00Z")
        placed = platform.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "path": "/5"})
        platform.advance(600)
        call = platform.control("GET", f"calls/{placed['id']}")
    assert call["state"] == "ended"
    first = service.hits[0]
    assert first.path == "/ivr" and first.query["ApiPhone"] == CALLER  # forwarded as the platform sent it
    [exchange, *_] = [json.loads(path.read_text("utf-8")) for path in sorted(tmp_path.glob("0*.json"))]
    assert len(proxy.written) == len(service.hits) >= 1
    assert (exchange["direction"], exchange["api"]) == ("webhook", "yemot")
    assert exchange["request"]["path"] == "/ivr"
    assert dict(exchange["request"]["query"])["ApiCallId"] == first.query["ApiCallId"]
    assert dict(exchange["request"]["query"])["ApiPhone"] == CALLER
    assert exchange["response"] == {
        "status": 200,
        "headers": {"content-type": "application/json"},
        "body": {"text": service_reply},
    }


def _start(*arguments: str) -> tuple[subprocess.Popen[str], str]:
    """The command in a child process; returns it and the first line it printed."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "emulator", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    return child, child.stdout.readline()


def test_record_prints_its_url_and_writes_every_exchange_before_it_stops_on_sigterm(tmp_path):
    with served_emulator() as real:
        child, line = _start("record", "--target", real.base, "--out", str(tmp_path / "rec"), "--port", "0")
        try:
            url = line.split(" at ", 1)[1].split(" ", 1)[0].rstrip("/")
            answers = [httpx.get(f"{url}/ym/api/GetSession", params={"token": TOKEN}) for _ in range(3)]
        finally:
            child.send_signal(signal.SIGTERM)
            out, _ = child.communicate(timeout=20)
    assert line.startswith(f"Recording requests to {real.base} at http://127.0.0.1:")
    assert [answer.json()["responseStatus"] for answer in answers] == ["OK"] * 3
    assert child.returncode == 0
    assert "3 exchange(s) written" in out
    assert sorted(path.name for path in (tmp_path / "rec").iterdir()) == [
        "0001-GetSession.json", "0002-GetSession.json", "0003-GetSession.json",
    ]  # fmt: skip


def test_serve_playback_from_the_command_line(tmp_path):
    _future_method(tmp_path)
    child, line = _start("serve", "--port", "0", "--playback", str(tmp_path))
    try:
        base = line.split("Yemot API:", 1)[1].strip()
        answer = httpx.get(f"{base}GetFutureReport", params={"token": TOKEN, "month": "2026-11"})
    finally:
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=20)
    assert answer.json() == FUTURE_ANSWER
