"""Third-party IVR frameworks against a served emulator (uvicorn, real HTTP both ways).

yemot-router2 (npm) moves the caller the ways its API offers - ``restart_ext``, ``go_to_folder('..')``,
``go_to_folder('../6')``, an ``id_list_message`` ending in a ``go_to_folder`` message, a text its
``removeInvalidChars`` cleaned, ``hangup`` after a prepended message - and each lands where Yemot
would send it. yemot-flow (PyPI) and yemot-router2 keep per-call state by ``ApiCallId``: a reset
between two scripted calls must not let the second continue the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flow_app import make_app
from ivr_helpers import CALLER, START, SYSTEM, entries, fixture_yaml, played
from services import flask_service, node_missing, node_seen, node_service


def _need_node() -> None:
    reason = node_missing()
    if reason is not None:
        print(f"SKIPPED yemot-router2 tests: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def nav_service() -> Iterator[str]:
    _need_node()
    with node_service("nav.mjs") as url:
        yield url


def _served(server: Any, tree: dict[str, str], seed: int) -> Any:
    server.load_fixture(fixture_yaml(tree, seed=seed))
    server.freeze(START)
    return server


def _place(server: Any, keys: list[str], path: str = "/") -> dict[str, Any]:
    return server.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "path": path, "keys": keys})


def _gotos(transcript: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(entry["from"], entry["to"], entry["reason"]) for entry in entries(transcript, "goto")][1:]


NAV_TREE_MENUS = {"ext.ini": "type=menu\n", "5/ext.ini": "type=menu\n", "9/ext.ini": "type=hangup\n"}


@pytest.mark.parametrize(
    ("keys", "gotos", "heard_after_prompt", "hangup_where"),
    [
        (  # restart_ext: go_to_folder=/5/4 starts the extension over; '..' returns to the menu above
            ["5", "4", "1", "2"],
            [
                ("/", "/5", "menu"),
                ("/5", "/5/4", "menu"),
                ("/5/4", "/5/4", "go_to_folder"),
                ("/5/4", "/5", "go_to_folder"),
            ],
            ["system_message:M1000"],  # (after the second prompt: the extension was entered twice)
            "/5",
        ),
        (  # id_list_message=t-שלום.g-/9: plays, then the hang-up extension
            ["5", "4", "3"],
            [("/", "/5", "menu"), ("/5", "/5/4", "menu"), ("/5/4", "/9", "g- part")],
            ["text:שלום"],
            "/9",
        ),
        (  # removeInvalidChars turned "המחיר 1.5 שקל" into "המחיר 15 שקל"; the exchange ends one level up
            ["5", "4", "4"],
            [("/", "/5", "menu"), ("/5", "/5/4", "menu"), ("/5/4", "/5", "api_end_goto")],
            ["text:המחיר 15 שקל", "system_message:M1000"],
            "/5",
        ),
        (  # go_to_folder=../6: a sibling
            ["5", "4", "5"],
            [("/", "/5", "menu"), ("/5", "/5/4", "menu"), ("/5/4", "/5/6", "go_to_folder")],
            [],
            "/5/6",
        ),
        (  # id_list_message=t-להתראות&go_to_folder=hangup
            ["5", "4", "6"],
            [("/", "/5", "menu"), ("/5", "/5/4", "menu")],
            ["text:להתראות"],
            "/5/4",
        ),
    ],
)
def test_yemot_router2_moves_the_caller_where_yemot_would(
    emulator_server, nav_service, keys, gotos, heard_after_prompt, hangup_where
):
    tree = {
        **NAV_TREE_MENUS,
        "5/4/ext.ini": f"type=api\napi_link={nav_service}/nav\n",
        "5/6/ext.ini": "type=hangup\n",
    }
    server = _served(emulator_server, tree, seed=41)
    before = len(node_seen(nav_service))  # (the service outlives this test's server, whose ids start over)
    placed = _place(server, keys)
    server.advance(600)
    shown = server.control("GET", f"calls/{placed['id']}")
    transcript = shown["transcript"]
    assert shown["state"] == "ended"
    assert entries(transcript, "error") == []
    assert _gotos(transcript) == gotos
    heard = played(transcript)
    last_prompt = len(heard) - 1 - heard[::-1].index("text:בחרו")
    assert heard[last_prompt + 1 :] == heard_after_prompt
    assert entries(transcript, "hangup")[0]["where"] == hangup_where
    asked = [item["query"] for item in node_seen(nav_service)[before:]]
    assert {item["ApiCallId"] for item in asked} == {placed["api_call_id"]}
    assert {item["ApiExtension"] for item in asked} == {"5/4"}
    assert asked[-1].get("hangup") == "yes"


@pytest.fixture(scope="module", params=["yemot-flow", "yemot-router2"])
def keyed_app(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, Any]]:
    """(api link, ext.ini extra line, fields of every request) of a framework app keyed by ApiCallId."""
    if request.param == "yemot-flow":
        flask_app, seen = make_app()
        with flask_service(flask_app) as url:
            yield f"{url}/yemot", "api_url_post=yes\n", lambda: [item["fields"] for item in seen]
        return
    _need_node()
    with node_service() as url:
        yield f"{url}/ivr", "", lambda: [item["query"] for item in node_seen(url)]


def test_a_reset_on_a_served_emulator_starts_an_independent_dialogue(emulator_server, keyed_app):
    link, extra, fields = keyed_app
    tree = {"ext.ini": "type=menu\n", "5/ext.ini": f"type=api\napi_link={link}\n{extra}"}
    server = _served(emulator_server, tree, seed=7)
    first = _place(server, ["5", "1", "1111"])
    server.advance(12)  # the choice is made; the ID read is under way
    server.reset()
    server.freeze(START)
    before = len(fields())
    second = _place(server, ["5", "1", "4321"])
    server.advance(600)
    shown = server.control("GET", f"calls/{second['id']}")
    assert second["api_call_id"] != first["api_call_id"] and second["id"] != first["id"]
    assert played(shown["transcript"])[3:5] == ["text:שלום", "digits:4321"]
    mine = [item for item in fields()[before:] if item.get("ApiCallId") == second["api_call_id"]]
    assert [(item.get("choice"), item.get("userId")) for item in mine][:3] == [(None, None), ("1", None), ("1", "4321")]
