"""No float noise on the wire: a served session of every kind of call, then every JSON answer walked.

Instants are epoch seconds near 1.7e9, whose floats are 2.4e-7 s apart, so a duration or an amount
computed from them carelessly reads ``8.700000047683716``. Phones ring and talk for odd fractions of a
second, the clock starts and moves on odd fractions, and then the control plane (calls, phones, state,
journal, outbox, messages), the Yemot report methods and the Simotel reports are read back; any float
with more than 3 decimals (or a number-like string with noise in it) fails the test with its path.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

pytest.importorskip("yemot_api")

from yemot_api.input_types import RunTzintukMethod
from yemot_api.yemot_api import Yemot

SYSTEM = "0773137770"
PHONES = ["0501234561", "0501234562", "0501234563", "0501234564"]
RINGS, TALKS = [1.1, 1.2, 1.3, 0.7], [8.7, 65.3, 9.1, 12.9]  # their sums and differences are not exact in binary
NOISY_TEXT = re.compile(r"\d\.\d*(?:00000|99999)\d")  # 8.700000047683716, 0.30000000000000004
SEARCH = {"alike": "false", "conditions": {}, "pagination": {"start": 0, "count": 100, "sorting": {}}}
NOISE_FREE_DECIMALS = 3
MONEY = {"units", "amount", "newBalance", "Billing", "bilingPerCall", "estimatedPrice"}  # the ledger's 4 decimals
MONEY_DECIMALS = 4
EPOCH_SCALE, INSTANT_DECIMALS = 1e9, 6  # the state's raw instants: epoch seconds on the clock's microsecond grid


def noise(value: Any, path: str = "$", key: str = "") -> list[str]:
    """The paths in ``value`` (decoded JSON) holding a float with more than 3 decimals (an epoch
    instant: more than 6), or a string that carries a float's rounding noise."""
    found: list[str] = []
    if isinstance(value, bool):
        return found
    if isinstance(value, float):
        places = INSTANT_DECIMALS if abs(value) >= EPOCH_SCALE else NOISE_FREE_DECIMALS
        places = MONEY_DECIMALS if key in MONEY else places
        if value != round(value, places):
            found.append(f"{path} = {value!r}")
    elif isinstance(value, str):
        if NOISY_TEXT.search(value):
            found.append(f"{path} = {value!r}")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += noise(item, f"{path}.{key}", key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += noise(item, f"{path}[{index}]")
    return found


def test_the_walker_sees_noise():
    sample = {"a": [{"talk_s": 8.700000047683716}], "b": "0.30000000000000004", "c": 8.7, "d": True}
    sample |= {"at": 1773129601.3999999, "ok_at": 1773129601.123456, "units": 96.3788, "amount": 0.12345}
    assert noise(sample) == [
        "$.a[0].talk_s = 8.700000047683716",
        "$.b = '0.30000000000000004'",
        "$.at = 1773129601.3999999",
        "$.amount = 0.12345",
    ]


def _run_session(server: Any) -> None:
    server.freeze("2026-03-10T08:00:00.3Z")
    for index, number in enumerate(PHONES):
        server.set_phone(number, outcome="answered", ring_s=RINGS[index], talk_s=TALKS[index])
    ym = Yemot(server.yemot_token)
    ym.BASE_URL = server.yemot
    try:
        ym.run_tzintuk(RunTzintukMethod.OTHER, [PHONES[0]], caller_id=SYSTEM)
        ym.send_tts(PHONES[1], "שלום לכם, זוהי הודעה", caller_id=SYSTEM)
        ym.create_bridge_call(PHONES[2], PHONES[3], caller_id=SYSTEM)
        ym.send_sms("שלום", PHONES[0])
        template = ym.create_template("noise")
        server.control(
            "PUT", f"yemot/systems/{SYSTEM}/files", params={"path": f"ivr2:/{template}.tts"}, content=b"x" * 37
        )
        ym.run_campaign(template, phones=[PHONES[1], PHONES[2]])
    finally:
        ym.close()
    server.control(
        "PUT", f"yemot/systems/{SYSTEM}/files", params={"path": "ivr2:/2/001.tts"}, content="הודעה קצרה".encode()
    )
    server.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": PHONES[3], "path": "/2", "keys": []})
    server.control(
        "POST", f"yemot/systems/{SYSTEM}/calls", json={"from": PHONES[2], "path": "/", "hangup_after_s": 7.77}
    )
    simotel = server.client("simotel")
    originate = {"caller": "100", "callee": PHONES[0], "context": "main-routing", "caller_id": "100", "timeout": "30"}
    assert simotel.post("call/originate/act", json=originate).json()["success"] == 1
    campaign = {
        "name": "c1",
        "trunk_manager_id": "0123456789abcdef01234567",
        "numbers": [PHONES[1], PHONES[2]],
        "try": "1",
        "try_interval": "600",
        "start": "2026-03-10 11:30",
        "end": "2026-03-11 11:30",
    }
    assert simotel.post("autodialer/campaigns/add", json=campaign).json()["success"] == 1
    for step in (0.7, 1.3, 3.33, 7.01, 60.49, 600.123, 3600):
        server.advance(step)


def _answers(server: Any) -> dict[str, Any]:
    """Every JSON answer of the session, by where it came from."""
    answers: dict[str, Any] = {}
    for path in ("calls", "state", "journal", "outbox", "messages"):
        answers[path] = server.control("GET", path)
    for call in answers["calls"]["calls"] if isinstance(answers["calls"], dict) else answers["calls"]:
        answers[f"calls/{call['id']}"] = server.control("GET", f"calls/{call['id']}")
    for number in PHONES:
        answers[f"phones/{number}"] = server.phones(number)
    yemot = server.client("yemot")
    token = {"token": server.yemot_token}
    for method in (
        "GetCustomerData",
        "GetTransactions",
        "GetCallsStatus",
        "GetIncomingCalls",
        "GetSmsOutLog",
        "GetCustomerSmsTransactions",
        "GetActiveCampaigns",
        "GetIncomingSum",
        "ViewCampaignReports",
    ):
        answers[method] = yemot.get(method, params=token).json()
    simotel = server.client("simotel")
    for path in ("reports/cdr/search", "reports/quick/search", "autodialer/reports/search"):
        answers[path] = simotel.post(path, json=SEARCH).json()
    return answers


def test_a_session_of_every_kind_of_call_shows_no_float_noise(emulator_server):
    server = emulator_server
    _run_session(server)
    answers = _answers(server)
    ended = [call for call in server.calls() if call["phase"] == "ended"]
    assert len(ended) >= 8, [(call["kind"], call["phase"]) for call in server.calls()]  # the session really ran
    assert any(call["talk_s"] not in (0, int(call["talk_s"])) for call in ended)  # with odd durations
    cdrs = answers["reports/cdr/search"]["data"]
    assert cdrs, answers["reports/cdr/search"]
    problems = [problem for name, answer in answers.items() for problem in noise(answer, name)]
    assert problems == [], json.dumps(problems, ensure_ascii=False, indent=1)
