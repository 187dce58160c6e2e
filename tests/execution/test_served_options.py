"""The budget and gate options of ``telephony-emulator serve`` reach its calls, by flag or variable.

Each test starts the real command in a process, with a local web service, and checks the effect
of the option on a call: steps and emulator time on a frozen clock, real waiting time and the
tenant's exchanges in flight on a running one. Bad values stop the command with a message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from execution_helpers import START, SYSTEM, served_process, yemot_fixture

from emulator.testing.receiver import Hit, Receiver


def _errors(view: dict) -> list[str]:
    return [entry["code"] for entry in view["transcript"] if entry["kind"] == "error"]


def _api_tree(url: str, extra: str = "") -> str:
    return yemot_fixture({"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={url}/ivr\n{extra}"})


def _place(server, caller: str = "0501234567") -> str:
    body = {"from": caller, "path": "/5", "keys": []}
    return server.control("POST", f"yemot/systems/{SYSTEM}/calls", json=body)["id"]


def _until_ended(server, call_id: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        view = server.control("GET", f"calls/{call_id}")
        if view["state"] == "ended" or time.monotonic() > deadline:
            return view
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("options", "env"),
    [(("--call-max-steps", "20"), {}), ((), {"EMULATOR_CALL_MAX_STEPS": "20"})],
    ids=["flag", "variable"],
)
def test_call_max_steps_ends_a_dialplan_loop_after_that_many_steps(options, env):
    node = {"type": "smart_api", "exits": {"again": "s1"}}
    with (
        Receiver(respond=lambda hit: {"ok": "1", "commands": "SayDigit(1);Exit('again')"}) as service,
        served_process(*options, env=env) as server,
    ):
        plan = {"numbers": ["789"], "start": "s1", "nodes": {"s1": {**node, "url": service.url + "/s"}}}
        server.control("PUT", "simotel/dialplans/self", json=plan)
        server.freeze(START)
        call_id = server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]
        server.advance(600)
        view = server.control("GET", f"calls/{call_id}")
    assert (view["state"], _errors(view)) == ("ended", ["steps"])
    assert len(service.hits) == 20


def test_call_max_seconds_ends_a_failing_api_end_goto_loop_in_emulator_time():
    with Receiver(status=500) as service, served_process("--call-max-seconds", "60") as server:
        server.load_fixture(_api_tree(service.url, "api_end_goto=/5\n"))
        server.freeze(START)
        call_id = _place(server)
        server.advance(3600)
        view = server.control("GET", f"calls/{call_id}")
    assert view["state"] == "ended"
    assert set(_errors(view)[:-1]) == {"M1607"} and _errors(view)[-1] == "time"
    assert "60 s of emulator time" in view["transcript"][-4]["message"]


def test_call_max_wait_seconds_ends_a_call_whose_services_took_that_long():
    def slow(hit: Hit) -> str:
        if hit.query.get("hangup") != "yes":
            time.sleep(0.6)
        return "go_to_folder=/5"

    with Receiver(respond=slow) as service, served_process("--call-max-wait-seconds", "1") as server:
        server.load_fixture(_api_tree(service.url))
        view = _until_ended(server, _place(server))
    assert (view["state"], _errors(view)) == ("ended", ["time"])
    assert [hit.query.get("hangup") for hit in service.hits] == [None, None, "yes"]  # 1.2 s > 1 s after two


@pytest.mark.parametrize(
    ("options", "env"),
    [(("--max-exchanges-per-tenant", "1"), {}), ((), {"EMULATOR_MAX_EXCHANGES_PER_TENANT": "1"})],
    ids=["flag", "variable"],
)
def test_max_exchanges_per_tenant_queues_that_tenant_s_exchanges_only(options, env):
    release = threading.Event()

    def held(hit: Hit) -> str:
        if hit.path.endswith("/smart"):
            return {"ok": "1", "commands": "Exit('done')"}
        if hit.query.get("hangup") != "yes":
            release.wait(10)
        return "go_to_folder=hangup"

    with Receiver(respond=held) as service, served_process(*options, env=env) as server:
        server.load_fixture(_api_tree(service.url))
        plan = {"numbers": ["789"], "start": "s1", "nodes": {
            "s1": {"type": "smart_api", "url": service.url + "/smart", "exits": {"done": "bye", "e": "bye"}},
            "bye": {"type": "hangup"}}}  # fmt: skip
        server.control("PUT", "simotel/dialplans/gate", json=plan)
        first, second = _place(server, "0501111111"), _place(server, "0502222222")
        service.wait_for(1, timeout=5)
        other = server.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})["id"]
        other_view = _until_ended(server, other, timeout=5)  # another tenant goes on meanwhile
        time.sleep(0.3)
        callers_while_held = [hit.query.get("ApiPhone") for hit in service.hits if hit.path.endswith("/ivr")]
        release.set()
        views = [_until_ended(server, call_id) for call_id in (first, second)]
    assert callers_while_held == ["0501111111"]
    assert other_view["state"] == "ended" and _errors(other_view) == []
    assert [view["state"] for view in views] == ["ended", "ended"]


@pytest.mark.parametrize(
    "option", ["--call-max-steps", "--call-max-seconds", "--call-max-wait-seconds", "--max-exchanges-per-tenant"]
)
@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_budget_below_one_stops_the_command_with_a_message(option, value):
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0", option, value]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{option.removeprefix('--')} must be at least 1" in done.stderr


def test_a_variable_that_is_not_a_number_stops_the_command_with_a_message():
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    env = {**os.environ, "EMULATOR_CALL_MAX_STEPS": "many"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "EMULATOR_CALL_MAX_STEPS" in done.stderr and "Traceback" not in done.stderr
