"""A call that loops or runs too long ends with an error naming its budget; the server goes on."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from execution_helpers import START, SYSTEM, yemot_fixture


@pytest.fixture
def make(emulator_factory):
    """``make(answer, tree=None, **settings)``: an in-process emulator frozen at START whose calls reach
    ``answer(request)`` (a reply text, dict or ``httpx.Response``); with ``tree`` it holds that IVR."""

    def build(answer, tree: dict[str, str] | None = None, **settings: Any):
        requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            reply = answer(request)
            if isinstance(reply, httpx.Response):
                return reply
            return httpx.Response(200, json=reply) if isinstance(reply, dict) else httpx.Response(200, text=reply)

        emulator = emulator_factory(ivr_transport=httpx.MockTransport(handler), **settings)
        if tree is not None:
            emulator.load_fixture(yemot_fixture(tree))
        emulator.freeze(START)
        return emulator, requests

    return build


def _errors(view: dict) -> list[str]:
    return [entry["code"] for entry in view["transcript"] if entry["kind"] == "error"]


def _yemot(emulator, seconds: float = 3600) -> dict:
    placed = emulator.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "/5"})
    emulator.advance(seconds)
    return emulator.control("GET", f"calls/{placed['id']}")


def _api(extra: str = "") -> dict[str, str]:
    return {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link=http://ivr.test/ivr\n{extra}"}


def _self_loop(emulator, seconds: float) -> dict:
    """A SmartAPI node whose exit ``again`` leads back to itself; one call through it, ``seconds`` on."""
    plan = {"numbers": ["789"], "start": "s1",
            "nodes": {"s1": {"type": "smart_api", "url": "http://ivr.test/s", "exits": {"again": "s1"}}}}  # fmt: skip
    emulator.control("PUT", "simotel/dialplans/self", json=plan)
    placed = emulator.control("POST", "simotel/calls", json={"src": "09155441", "dst": "789"})
    emulator.advance(seconds)
    return emulator.control("GET", f"calls/{placed['id']}")


def test_a_smartapi_node_whose_exit_leads_to_itself_ends_with_the_loop_budget(make):
    emulator, requests = make(lambda request: {"ok": "1", "commands": "Exit('again')"})
    view = _self_loop(emulator, 60)
    assert view["state"] == "ended"
    assert _errors(view) == ["loop"]
    assert view["transcript"][-1]["kind"] == "hangup"
    assert 400 <= len(requests) <= 501


def test_a_go_to_folder_loop_ends_with_the_loop_budget(make):
    emulator, requests = make(lambda r: "noop" if "hangup" in r.url.params else "go_to_folder=/5", tree=_api())
    view = _yemot(emulator)
    assert view["state"] == "ended"
    assert _errors(view)[0] == "loop"
    assert [entry["kind"] for entry in view["transcript"]].count("hangup") == 1
    assert len(requests) < 400


def test_api_end_goto_into_its_own_folder_with_a_failing_service_ends_with_the_steps_budget(make):
    emulator, requests = make(lambda request: httpx.Response(500), tree=_api("api_end_goto=/5\n"))
    view = _yemot(emulator, seconds=7 * 86400)
    assert view["state"] == "ended"
    assert _errors(view)[-1] == "steps"
    assert _errors(view)[:-1] == ["M1607"] * (len(_errors(view)) - 1)
    assert len(requests) == 301  # (300 requests, then the hangup=yes one)


def test_the_same_loop_ends_with_the_time_budget_when_emulator_time_runs_out_first(make):
    emulator, _ = make(lambda request: httpx.Response(500), tree=_api("api_end_goto=/5\n"), call_max_seconds=60)
    view = _yemot(emulator)
    error = next(entry for entry in view["transcript"] if entry["kind"] == "error" and entry["code"] != "M1607")
    assert (view["state"], error["code"]) == ("ended", "time")
    assert "60 s of emulator time" in error["message"]


def test_a_dialplan_past_its_step_budget_ends_with_the_steps_budget(make):
    emulator, _ = make(lambda request: {"ok": "1", "commands": "SayDigit(1);Exit('again')"}, call_max_steps=20)
    view = _self_loop(emulator, 600)
    assert (view["state"], _errors(view)) == ("ended", ["steps"])
    assert sum(1 for entry in view["transcript"] if entry["kind"] == "request") == 20
