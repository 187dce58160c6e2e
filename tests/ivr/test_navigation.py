"""Folder targets of a reply, relative and absolute, as ``go_to_folder=`` and as a message's ``g-`` part:
``.`` re-enters the current extension, ``..`` is its parent (the root's is the root), ``../x`` a
sibling, ``./x`` a child, ``/x`` from the root, ``hangup`` ends the call."""

from __future__ import annotations

import httpx
import pytest
from ivr_helpers import call, entries, place, played

LINK = "http://ivr.test/ivr"
API = f"type=api\napi_link={LINK}\n"
HANGUP = "type=hangup\n"
# An API extension two levels down, with a parent, a sibling, a child and a folder off the root to land in.
TREE = {"5/ext.ini": HANGUP, "5/4/ext.ini": API, "5/6/ext.ini": HANGUP, "5/4/2/ext.ini": HANGUP, "1/ext.ini": HANGUP}


def _answer_once(reply: str):
    """The service: ``reply`` to the first request, hang up on any later one, ``noop`` to hangup=yes."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> str:
        if "hangup" in request.url.params:
            return "noop"
        asked.append(request.url.params["ApiExtension"])
        return reply if len(asked) == 1 else "go_to_folder=hangup"

    return answer


def _walk(ivr, service, tree: dict[str, str], reply: str, path: str) -> dict:
    service.answer = _answer_once(reply)
    emulator = ivr(tree)
    placed = place(emulator, [], path=path)
    emulator.advance(600)
    return call(emulator, placed["id"])


def _replies(target: str) -> list[str]:
    return [f"go_to_folder={target}", f"id_list_message=t-שלום.g-{target}"]


@pytest.mark.parametrize(
    ("target", "landed"),
    [("..", "/5"), ("../", "/5"), ("../6", "/5/6"), ("./2", "/5/4/2"), ("2", "/5/4/2"), ("/1", "/1"), ("/5/6", "/5/6")],
)
@pytest.mark.parametrize("form", [0, 1], ids=["go_to_folder", "g-part"])
def test_a_target_lands_where_it_names(ivr, service, target, landed, form):
    shown = _walk(ivr, service, TREE, _replies(target)[form], "/5/4")
    transcript = shown["transcript"]
    assert not entries(transcript, "error"), entries(transcript, "error")
    assert [goto["to"] for goto in entries(transcript, "goto")] == ["/5/4", landed]
    hangup = entries(transcript, "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("system", landed)  # the landing folder is a hangup extension
    if form:
        assert played(transcript) == ["text:שלום"]


@pytest.mark.parametrize("form", [0, 1], ids=["go_to_folder", "g-part"])
def test_dot_re_enters_the_current_extension_with_a_fresh_visit(ivr, service, form):
    """``.`` (``g-.``, the public apps' "back to this extension") enters it again: a new request,
    without the values read before."""
    service.answer = None
    service.replies = ["read=t-קוד=code,no,1,1,7,No", _replies(".")[form], "go_to_folder=hangup", "noop"]
    emulator = ivr(TREE)
    shown = call(emulator, place(emulator, ["7"], path="/5/4")["id"])
    emulator.advance(600)
    shown = call(emulator, shown["id"])
    gotos = [(goto["from"], goto["to"], goto["reason"]) for goto in entries(shown["transcript"], "goto")]
    assert gotos[1:] == [("/5/4", "/5/4", "go_to_folder" if form == 0 else "g- part")]
    assert [request.url.params.get("code") for request in service.requests] == [None, "7", None, None]
    assert [request.url.params["ApiExtension"] for request in service.requests[:3]] == ["5/4"] * 3
    assert not entries(shown["transcript"], "error")


@pytest.mark.parametrize("target", ["..", "/..", "../..", "."])
@pytest.mark.parametrize("form", [0, 1], ids=["go_to_folder", "g-part"])
def test_the_roots_parent_is_the_root(ivr, service, target, form):
    shown = _walk(ivr, service, {"ext.ini": API}, _replies(target)[form], "/")
    assert [goto["to"] for goto in entries(shown["transcript"], "goto")] == ["/", "/"]
    assert [request.url.params["ApiExtension"] for request in service.requests[:2]] == ["", ""]


@pytest.mark.parametrize("form", [0, 1], ids=["go_to_folder", "g-part"])
def test_hangup_ends_the_call_where_it_is(ivr, service, form):
    shown = _walk(ivr, service, TREE, _replies("hangup")[form], "/5/4")
    hangup = entries(shown["transcript"], "hangup")[0]
    assert (hangup["by"], hangup["where"]) == ("system", "/5/4")
    assert service.requests[-1].url.params["hangup"] == "yes"
    assert len(service.requests) == 2


def test_a_message_part_after_a_g_part_is_still_reported(ivr, service):
    shown = _walk(ivr, service, TREE, "id_list_message=t-א.g-../6.t-ב", "/5/4")
    error = entries(shown["transcript"], "error")[0]
    assert (error["code"], error["text"]) == ("reply", "t-ב")
    assert error["message"] == "a g- part must be the last part of a message"
    assert [goto["to"] for goto in entries(shown["transcript"], "goto")] == ["/5/4", "/5/6"]


@pytest.mark.parametrize("target", ["/..", "/."])
@pytest.mark.parametrize("form", [0, 1], ids=["go_to_folder", "g-part"])
def test_dots_after_a_slash_are_absolute_the_root(ivr, service, target, form):
    """yemot-flow's ``go_to_folder("..")`` sends ``/..`` (it puts ``/`` before every folder): an absolute
    path, whose ``..`` is the root's parent, the root itself - not the current folder's parent."""
    shown = _walk(ivr, service, {**TREE, "ext.ini": HANGUP}, _replies(target)[form], "/5/4")
    assert [goto["to"] for goto in entries(shown["transcript"], "goto")] == ["/5/4", "/"]
    assert entries(shown["transcript"], "hangup")[0]["where"] == "/"
