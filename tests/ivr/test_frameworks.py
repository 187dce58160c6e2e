"""Real third-party IVR services against simulated callers: yemot-flow (PyPI) and yemot-router2 (npm).

Both serve the same flow on extension 5 of a system whose root is a menu: a choice read (keys 1
or 2), a 4-digit ID read, a spoken message with the ID, and a hang-up. The tests place calls
with key scripts and check the transcripts and the fields each service received.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flow_app import make_app
from ivr_helpers import call, entries, place, played
from services import flask_service, node_missing, node_seen, node_service

CHOICE_PROMPT = "text:לזיהוי הקישו 1 לסיום הקישו 2"
ID_PROMPT = "text:הקש מספר זהות בן ארבע ספרות"
_seeds = itertools.count(100)


@dataclass
class Service:
    name: str
    link: str
    post: bool
    received: Any = field(repr=False)

    def fields(self) -> list[dict[str, str]]:
        """The fields of every request the service got, oldest first."""
        return self.received()


@pytest.fixture(scope="module", params=["yemot-flow", "yemot-router2"])
def app(request: pytest.FixtureRequest) -> Iterator[Service]:
    if request.param == "yemot-flow":
        flask_app, seen = make_app()
        with flask_service(flask_app) as url:
            yield Service("yemot-flow", f"{url}/yemot", True, lambda: [item["fields"] for item in seen])
        return
    reason = node_missing()
    if reason is not None:
        print(f"SKIPPED yemot-router2 tests: {reason}")
        pytest.skip(reason)
    with node_service() as url:
        yield Service("yemot-router2", f"{url}/ivr", False, lambda: [item["query"] for item in node_seen(url)])


def _tree(link: str, post: bool) -> dict[str, str]:
    api = f"type=api\napi_link={link}\n" + ("api_url_post=yes\n" if post else "")
    return {"ext.ini": "type=menu\n", "5/ext.ini": api, "9/ext.ini": "type=hangup\n"}


def _run(ivr: Any, app: Service, keys: list[str]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Place a call with ``keys``, let it finish; the call and the fields the service got for it."""
    emulator = ivr(_tree(app.link, app.post), network=True, seed=next(_seeds))
    before = len(app.fields())
    body = place(emulator, keys)
    emulator.advance(600)
    shown = call(emulator, body["id"])
    assert shown["state"] == "ended"
    mine = [fields for fields in app.fields()[before:] if fields.get("ApiCallId") == body["api_call_id"]]
    return shown, mine


def test_menu_then_id_then_message_then_hangup(ivr, app):
    shown, fields = _run(ivr, app, ["5", "1", "1234"])
    transcript = shown["transcript"]
    assert played(transcript)[:3] == ["system_message:M1000", CHOICE_PROMPT, ID_PROMPT]
    assert played(transcript)[3:5] == ["text:שלום", "digits:1234"]
    assert [(i["variable"], i["keys"]) for i in entries(transcript, "input")][:3] == [
        (None, "5"),
        ("choice", "1"),
        ("userId", "1234"),
    ]
    assert fields[0]["ApiExtension"] == "5" and fields[0]["ApiPhone"] == "0501234567"
    assert "choice" not in fields[0]
    assert (fields[1]["choice"], "userId" in fields[1]) == ("1", False)
    assert (fields[2]["choice"], fields[2]["userId"]) == ("1", "1234")
    assert fields[-1]["hangup"] == "yes"
    hangup = entries(transcript, "hangup")[0]
    if app.name == "yemot-router2":  # id_list_message chained to go_to_folder=hangup
        assert (hangup["by"], hangup["where"]) == ("system", "/5")
        assert fields[-1]["ApiHangupExtension"] == "5"
    else:  # yemot-flow: the message ends the exchange; api_end_goto (one level up) leads to the menu
        assert played(transcript)[5] == "system_message:M1000"
        assert (hangup["by"], hangup["where"]) == ("caller", "/")
        assert fields[-1]["ApiHangupExtension"] == ""
    assert len(fields) == 4


def test_wrong_keys_in_the_menu_and_in_a_read(ivr, app):
    shown, fields = _run(ivr, app, ["7", "5", "3", "1", "1234"])
    transcript = shown["transcript"]
    assert played(transcript)[:6] == [
        "system_message:M1000",
        "system_message:M1001",  # no extension 7
        "system_message:M1000",
        CHOICE_PROMPT,
        "system_message:M1224",  # 3 is not an allowed key
        CHOICE_PROMPT,
    ]
    assert all(item.get("choice") != "3" for item in fields)
    assert fields[2]["userId"] == "1234"


def test_silence_is_asked_again(ivr, app):
    shown, fields = _run(ivr, app, ["5", "", "1", "", "1234"])
    transcript = shown["transcript"]
    assert played(transcript)[1:7] == [
        CHOICE_PROMPT,
        "system_message:M1002",
        CHOICE_PROMPT,
        ID_PROMPT,
        "system_message:M1002",
        ID_PROMPT,
    ]
    silent = [entry for entry in entries(transcript, "input") if entry["keys"] == ""]
    assert [entry["variable"] for entry in silent] == ["choice", "userId"]
    assert fields[2]["userId"] == "1234"


def test_the_service_hangs_up(ivr, app):
    shown, fields = _run(ivr, app, ["5", "2", "1234"])
    transcript = shown["transcript"]
    reply = entries(transcript, "reply")[1]
    assert reply["directives"] == [{"action": "go_to_folder", "path": "hangup"}]
    hangup = entries(transcript, "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("system", "/5")
    assert (fields[-1]["hangup"], fields[-1]["choice"]) == ("yes", "2")
    assert "userId" not in fields[-1]


def test_server_down_plays_m1607_and_leaves_by_api_end_goto(ivr, app):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = Service(app.name, f"http://127.0.0.1:{port}/ivr", app.post, app.received)
    shown, _ = _run(ivr, down, ["5", "9"])
    transcript = shown["transcript"]
    error = entries(transcript, "error")[0]
    assert error["code"] == "M1607" and "Connect" in error["message"]
    assert played(transcript) == ["system_message:M1000", "system_message:M1607", "system_message:M1000"]
    assert [(g["from"], g["to"], g["reason"]) for g in entries(transcript, "goto")][1:] == [
        ("/", "/5", "menu"),
        ("/5", "/", "api_end_goto"),
        ("/", "/9", "menu"),
    ]


def test_a_reset_starts_an_independent_dialogue(ivr, app):
    """Both frameworks keep per-call state by ``ApiCallId``. A test that resets while a call is still
    in its dialogue must not see the next test's call continue it: the second caller keys 4321 and
    is asked for the choice, then hears 4321."""
    emulator = ivr(_tree(app.link, app.post), network=True, seed=next(_seeds))
    first = place(emulator, ["5", "1", "1111"])
    emulator.advance(12)  # the choice is made, the ID read is under way
    assert [item.get("choice") for item in app.fields() if item.get("ApiCallId") == first["api_call_id"]][-1] == "1"
    emulator.reset()
    before = len(app.fields())
    second = place(emulator, ["5", "1", "4321"])
    emulator.advance(600)
    shown = call(emulator, second["id"])
    fields = [item for item in app.fields()[before:] if item.get("ApiCallId") == second["api_call_id"]]
    assert second["api_call_id"] != first["api_call_id"]
    assert played(shown["transcript"])[:5] == [
        "system_message:M1000",
        CHOICE_PROMPT,
        ID_PROMPT,
        "text:שלום",
        "digits:4321",
    ]
    assert [(item.get("choice"), item.get("userId")) for item in fields][:3] == [
        (None, None),
        ("1", None),
        ("1", "4321"),
    ]
