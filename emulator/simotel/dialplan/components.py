"""What each dialplan node does (reference Part B1, B2): ``RUN[type](step, node, phase)``.

``phase`` is ``enter`` when the call reaches the node; nodes that wait for something run again in
the phase they asked for (``ask`` - the IVR API request after the caller keyed in; ``ended`` - a
dialled leg finished, its outcome in ``step.leg_outcome``). Exits: Extension API and extension
``S``/``B``/``F``; Trunk API ``S``/``F``; IVR and IVR API the route Cases plus ``t``/``i``; SmartAPI
the Case named by ``Exit`` or ``e``; announcement ``next``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.simotel.dialplan import smartapi
from emulator.simotel.dialplan.walk import PLAY_S, SAY_S, Step, Steps
from emulator.simotel.dialplan.webservice import is_ok
from emulator.simotel.records import CallFacts
from emulator.simotel.services import inbound

DIAL_EXITS = {"answered": "S", "busy": "B"}  # anything else (no answer, failed, ...) - F


def announcement(step: Step, node: dict[str, Any], phase: str) -> None:
    step.play("announcement", node["file"])
    step.leave("next")


def hangup(step: Step, node: dict[str, Any], phase: str) -> None:
    step.hang_up("system")


def ivr(step: Step, node: dict[str, Any], phase: str) -> None:
    step.play("announcement", node["announcement"])
    digits = step.keys(node["timeout"], node["max_digits"], "ivr")
    if digits is None:
        step.hang_up("caller")
    elif digits == "":
        step.leave("t")
    else:
        step.leave(digits if _is_route(node, digits) else "i")


def queue(step: Step, node: dict[str, Any], phase: str) -> None:
    if phase == "ended":
        step.leave("next")  # after the agent: e.g. a survey
        return
    step.later("dial", queue=node["queue"])


def survey(step: Step, node: dict[str, Any], phase: str) -> None:
    """The poll component: the caller keys a point (1-9); ``Survey`` goes out with the queue and agent."""
    step.play("announcement", node["announcement"])
    digits = step.keys(node["timeout"], 1, "point")
    if digits is None:
        step.hang_up("caller")
        return
    if digits.isdigit() and digits != "0":
        call = step.walk
        leg = step.emulator.telephony.call(call.leg) if call.leg else None
        facts = CallFacts(kind="incoming", src=call.src, dst=leg.to if leg is not None else call.dst,
                          start=call.started, wait=0.0, billsec=max(0.0, step.now - call.started),
                          disposition="ANSWERED", uniqueid=call.unique_id)  # fmt: skip
        inbound.survey(step.emulator, facts, point=int(digits), label=node["label"], queue=call.queue)
        step.leave("next")
        return
    step.leave("t" if digits == "" else "i")


def extension(step: Step, node: dict[str, Any], phase: str) -> None:
    if phase == "ended":
        step.leave(DIAL_EXITS.get(step.leg_outcome, "F"))
        return
    target = node["extension"] or step.walk.exten
    if not target:
        step.error("extension", "no extension to dial (none set on the node, none by SetExten)")
        step.leave("F")
        return
    step.later("dial", number=target, timeout=node["timeout"])


def exten_api(step: Step, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ended":
        extension(step, node, phase)
        return
    reply = yield from _accepted(step, node)
    number = None if reply is None else reply.get("extension")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if reply is not None and (not isinstance(number, str) or not number.strip()):
        step.error("reply", "the reply has no 'extension'")
    if reply is None or not isinstance(number, str) or not number.strip():
        step.leave("F")
        return
    step.later("dial", number=number.strip(), timeout=node["timeout"])


def trunk_api(step: Step, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ended":
        step.leave("S" if step.leg_outcome == "answered" else "F")
        return
    reply = yield from _accepted(step, node)
    if reply is None:
        step.leave("F")
        return
    trunk, number = str(reply.get("trunk") or ""), str(reply.get("extension") or "").strip()
    trunks = step.emulator.world.simotel.collections.get("trunks", [])
    if not number or not any(str(record.get("name")) == trunk for record in trunks):
        step.error("trunk", f"unknown trunk {trunk!r} or no 'extension' to dial")
        step.leave("F")
        return
    limit = _seconds(reply.get("call_limit"))
    step.later("dial", number=number, timeout=node["timeout"], trunk=trunk, limit=limit)


def ivr_api(step: Step, node: dict[str, Any], phase: str) -> Steps:
    if phase == "ask":
        reply = yield from _accepted(step, node)
        if reply is None:
            step.leave("e")
            return
        case = str(reply.get("case", "")).strip()
        if _is_route(node, case):
            step.leave(case)
            return
        step.error("case", f"case {case!r} is not a route of this component")
        step.play("announcement", node["invalid_announcement"])
        step.leave("i")
        return
    for _attempt in range(max(1, node["repeat"])):
        step.play("announcement", node["announcement"])
        digits = step.keys(node["timeout"], node["max_digits"], "data")
        if digits is None:
            step.hang_up("caller")
            return
        if digits:
            step.walk.data = digits
            step.later("ask")
            return
        step.play("announcement", node["timeout_announcement"])
    step.leave("t")


def smart_api(step: Step, node: dict[str, Any], phase: str) -> Steps:
    reply = yield from _accepted(step, node)
    if reply is None:
        step.leave("e")
        return
    try:
        commands = smartapi.parse(reply.get("commands", ""))
    except smartapi.CommandError as exc:
        step.error("command", str(exc))
        step.leave("e")
        return
    for command in commands:
        if command.name == "Exit":
            case = str(command.args[0])
            if _is_route(node, case):
                step.leave(case)
            else:
                step.error("exit", f"Exit to unknown case {case!r}")
                step.leave("e")
            return
        if not _run(step, command):
            return
    step.error("exit", "the commands end without Exit")
    step.leave("e")


def _run(step: Step, command: smartapi.Command) -> bool:
    """Carry out one command; False when the call stops here (the caller hung up)."""
    name, args, call = command.name, command.args, step.walk
    step.record("note", node=call.node, message="command", command=command.text.strip())
    if name in ("PlayAnnouncement", "Playback"):
        step.play("announcement" if name == "PlayAnnouncement" else "sound", str(args[0]) or "-")
    elif name in ("SayNumber", "SayDigit"):
        step.play("number" if name == "SayNumber" else "digits", str(args[0]), SAY_S * len(str(args[0])))
    elif name in ("SayDuration", "SayClock", "SayDate"):
        step.play(name[3:].lower(), str(args[0]), PLAY_S, **({"calendar": args[1]} if name == "SayDate" else {}))
    elif name == "MusicOnHold":
        step.play("music_on_hold", str(args[0]), float(args[1]))
    elif name == "GetData":
        for file in str(args[0]).split("&"):
            step.play("announcement", file)
        digits = step.keys(float(args[1]), int(args[2]), "data")
        if digits is None:
            step.hang_up("caller")
            return False
        call.data = digits
    elif name == "SetExten":
        call.exten = str(args[0])
    elif name == "SetLimitOnCall":
        call.limit_s = float(args[0]) or None
    elif name == "ClearUserData":
        call.data, call.exten = "", ""
    return True


def _accepted(step: Step, node: dict[str, Any]) -> Steps:
    reply = yield from step.ask(node)
    if reply is not None and not is_ok(reply):
        step.error("refused", "the web service refused the call ('ok' is not 1)")
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


RUN: dict[str, Callable[[Step, dict[str, Any], str], Steps | None]] = {
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
