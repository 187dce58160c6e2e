"""What each dialplan node does (reference Part B1, B2): ``RUN[type](walk, node, phase)``.

``phase`` is ``enter`` when the call reaches the node; nodes that wait for something run again in
the phase they asked for (``ask`` - the IVR API request after the caller keyed in; ``ended`` - a
dialled leg finished, its outcome in ``walk.leg_outcome``). Exits: Extension API and extension
``S``/``B``/``F``; Trunk API ``S``/``F``; IVR and IVR API the route Cases plus ``t``/``i``; SmartAPI
the Case named by ``Exit`` or ``e``; announcement ``next``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.simotel.dialplan import smartapi
from emulator.simotel.dialplan.walk import PLAY_S, SAY_S, Steps, Walk
from emulator.simotel.dialplan.webservice import is_ok
from emulator.simotel.records import CallFacts
from emulator.simotel.services import inbound

DIAL_EXITS = {"answered": "S", "busy": "B"}  # anything else (no answer, failed, ...) - F


def announcement(walk: Walk, node: dict[str, Any], phase: str) -> None:
    walk.play("announcement", node["file"])
    walk.leave("next")


def hangup(walk: Walk, node: dict[str, Any], phase: str) -> None:
    walk.hangup("system")


def ivr(walk: Walk, node: dict[str, Any], phase: str) -> None:
    walk.play("announcement", node["announcement"])
    digits = walk.keys(node["timeout"], node["max_digits"], "ivr")
    if digits is None:
        walk.hangup("caller")
    elif digits == "":
        walk.leave("t")
    else:
        walk.leave(digits if _is_route(node, digits) else "i")


def queue(walk: Walk, node: dict[str, Any], phase: str) -> None:
    if phase == "ended":
        walk.leave("next")  # after the agent: e.g. a survey
        return
    walk.later("dial", queue=node["queue"])


def survey(walk: Walk, node: dict[str, Any], phase: str) -> None:
    """The poll component: the caller keys a point (1-9); ``Survey`` goes out with the queue and agent."""
    walk.play("announcement", node["announcement"])
    digits = walk.keys(node["timeout"], 1, "point")
    if digits is None:
        walk.hangup("caller")
        return
    if digits.isdigit() and digits != "0":
        call = walk.call
        leg = walk.emulator.telephony.call(call.leg) if call.leg else None
        facts = CallFacts(kind="incoming", src=call.src, dst=leg.to if leg is not None else call.dst,
                          start=call.started, wait=0.0, billsec=max(0.0, walk.at - call.started),
                          disposition="ANSWERED", uniqueid=call.unique_id)  # fmt: skip
        inbound.survey(walk.emulator, facts, point=int(digits), label=node["label"], queue=call.queue)
        walk.leave("next")
        return
    walk.leave("t" if digits == "" else "i")


def extension(walk: Walk, node: dict[str, Any], phase: str) -> None:
    if phase == "ended":
        walk.leave(DIAL_EXITS.get(walk.leg_outcome, "F"))
        return
    target = node["extension"] or walk.call.exten
    if not target:
        walk.error("extension", "no extension to dial (none set on the node, none by SetExten)")
        walk.leave("F")
        return
    walk.later("dial", number=target, timeout=node["timeout"])


def exten_api(walk: Walk, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ended":
        extension(walk, node, phase)
        return
    reply = yield from _accepted(walk, node)
    number = None if reply is None else reply.get("extension")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if reply is not None and (not isinstance(number, str) or not number.strip()):
        walk.error("reply", "the reply has no 'extension'")
    if reply is None or not isinstance(number, str) or not number.strip():
        walk.leave("F")
        return
    walk.later("dial", number=number.strip(), timeout=node["timeout"])


def trunk_api(walk: Walk, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ended":
        walk.leave("S" if walk.leg_outcome == "answered" else "F")
        return
    reply = yield from _accepted(walk, node)
    if reply is None:
        walk.leave("F")
        return
    trunk, number = str(reply.get("trunk") or ""), str(reply.get("extension") or "").strip()
    trunks = walk.emulator.world.simotel.collections.get("trunks", [])
    if not number or not any(str(record.get("name")) == trunk for record in trunks):
        walk.error("trunk", f"unknown trunk {trunk!r} or no 'extension' to dial")
        walk.leave("F")
        return
    limit = _seconds(reply.get("call_limit"))
    walk.later("dial", number=number, timeout=node["timeout"], trunk=trunk, limit=limit)


def ivr_api(walk: Walk, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ask":
        reply = yield from _accepted(walk, node)
        if reply is None:
            walk.leave("e")
            return
        case = str(reply.get("case", "")).strip()
        if _is_route(node, case):
            walk.leave(case)
            return
        walk.error("case", f"case {case!r} is not a route of this component")
        walk.play("announcement", node["invalid_announcement"])
        walk.leave("i")
        return
    for _attempt in range(max(1, node["repeat"])):
        walk.play("announcement", node["announcement"])
        digits = walk.keys(node["timeout"], node["max_digits"], "data")
        if digits is None:
            walk.hangup("caller")
            return
        if digits:
            walk.call.data = digits
            walk.later("ask")
            return
        walk.play("announcement", node["timeout_announcement"])
    walk.leave("t")


def smart_api(walk: Walk, node: dict[str, Any], phase: str) -> Steps:
    reply = yield from _accepted(walk, node)
    if reply is None:
        walk.leave("e")
        return
    try:
        commands = smartapi.parse(reply.get("commands", ""))
    except smartapi.CommandError as exc:
        walk.error("command", str(exc))
        walk.leave("e")
        return
    for command in commands:
        if command.name == "Exit":
            case = str(command.args[0])
            if _is_route(node, case):
                walk.leave(case)
            else:
                walk.error("exit", f"Exit to unknown case {case!r}")
                walk.leave("e")
            return
        if not _run(walk, command):
            return
    walk.error("exit", "the commands end without Exit")
    walk.leave("e")


def _run(walk: Walk, command: smartapi.Command) -> bool:
    """Carry out one command; False when the call stops here (the caller hung up)."""
    name, args, call = command.name, command.args, walk.call
    walk.note("note", node=call.node, message="command", command=command.text.strip())
    if name in ("PlayAnnouncement", "Playback"):
        walk.play("announcement" if name == "PlayAnnouncement" else "sound", str(args[0]) or "-")
    elif name in ("SayNumber", "SayDigit"):
        walk.play("number" if name == "SayNumber" else "digits", str(args[0]), SAY_S * len(str(args[0])))
    elif name in ("SayDuration", "SayClock", "SayDate"):
        walk.play(name[3:].lower(), str(args[0]), PLAY_S, **({"calendar": args[1]} if name == "SayDate" else {}))
    elif name == "MusicOnHold":
        walk.play("music_on_hold", str(args[0]), float(args[1]))
    elif name == "GetData":
        for file in str(args[0]).split("&"):
            walk.play("announcement", file)
        digits = walk.keys(float(args[1]), int(args[2]), "data")
        if digits is None:
            walk.hangup("caller")
            return False
        call.data = digits
    elif name == "SetExten":
        call.exten = str(args[0])
    elif name == "SetLimitOnCall":
        call.limit_s = float(args[0]) or None
    elif name == "ClearUserData":
        call.data, call.exten = "", ""
    return True


def _accepted(walk: Walk, node: dict[str, Any]) -> Steps:
    reply = yield from walk.ask(node)
    if reply is not None and not is_ok(reply):
        walk.error("refused", "the web service refused the call ('ok' is not 1)")
        return None
    return reply


def _is_route(node: dict[str, Any], case: str) -> bool:
    return bool(case) and case in node["exits"]


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


RUN: dict[str, Callable[[Walk, dict[str, Any], str], Steps | None]] = {
    "announcement": announcement,
    "hangup": hangup,
    "ivr": ivr,
    "queue": queue,
    "survey": survey,
    "extension": extension,
    "smart_api": smart_api,
    "ivr_api": ivr_api,
    "exten_api": exten_api,
    "trunk_api": trunk_api,
}
