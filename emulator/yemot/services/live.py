"""Live calls: GetIncomingCalls, GetCallsStatus, CallAction, CallManager and CallExtensionBridging.

Every method reads the system's live calls (``emulator.yemot.live_calls``): simulated inbound
calls from the control plane and callees that CallExtensionBridging dropped into an extension.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from emulator.core.sim.telephony_state import Call
from emulator.yemot import billing, ivrtree, live_calls, phone_lists
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import BadAction, BadCallAction, NoValidPhones
from emulator.yemot.ivr import engine as ivr_engine
from emulator.yemot.services import caller_ids
from emulator.yemot.state import LiveCall, YemotSystem
from emulator.yemot.timefmt import datetime_text

TRANSFERRED = "מועבר"
EXTENSION_BRIDGING_KIND = "extension_bridging"
DEFAULT_RING_S = 30
MAX_RING_S = 35
MODULE = "CallExtensionBridging"


def _title(system: YemotSystem, path: str) -> str:
    """The ``title=`` of the extension's own ``ext.ini``, or ''."""
    return ivrtree.ext_ini(system, path, inherited=False).get("title", "")


def incoming_call_json(live: LiveCall, now: float) -> dict[str, Any]:
    """One call as GetIncomingCalls (and CallAction) shows it."""
    return {
        "did": live.did,
        "callerIdNum": live.caller,
        "duration": int(now - live.started),
        "transferFrom": TRANSFERRED if live.transfer_from else None,
        "id": live.api_call_id,
        "path": live_calls.display(live.path),
    }


def get_incoming_calls(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    calls = [incoming_call_json(live, call.now) for live in live_calls.current(system)]
    return {"callsCount": len(calls), "calls": calls}


def get_calls_status(call: YemotCall) -> dict[str, Any]:
    """The richer live view: status IN_IVR or IN_QUEUE, start time, extension and its title."""
    system = call.require_system()
    entries = []
    for live in live_calls.current(system):
        entries.append(
            {
                "callId": live.api_call_id,
                "callTime": int(call.now - live.started),
                "updateStamp": int(live.path_since),
                "callData": {
                    "status": "IN_QUEUE" if live.queue is not None else "IN_IVR",
                    "callerIdNum": live.caller,
                    "callerIdname": "",
                    "startTime": int(live.started),
                    "startTimeDate": datetime_text(live.started),
                    "path": live_calls.display(live.path),
                    "pathTitle": _title(system, live.path),
                    "enterID": "",
                    "enterIDName": "",
                },
            }
        )
    return {"mainDid": system.number, "callsCount": len(entries), "calls": entries}


# -- CallAction -------------------------------------------------------------------------------------

Act = Callable[[YemotCall, YemotSystem, LiveCall, str], None]


def _move(call: YemotCall, system: YemotSystem, live: LiveCall, value: str) -> None:
    try:
        ivr_engine.move(call.emulator, system, live, value)
    except live_calls.LiveCallError:
        raise BadCallAction(f"set:GOasap={value}") from None


def _flag(name: str, value: bool) -> Act:
    def act(call: YemotCall, system: YemotSystem, live: LiveCall, _: str) -> None:
        setattr(live, name, value)

    return act


def _kick(call: YemotCall, system: YemotSystem, live: LiveCall, _: str) -> None:
    live_calls.hang_up(call.emulator, live)


def _room_add(call: YemotCall, system: YemotSystem, live: LiveCall, value: str) -> None:
    if value not in live.room_data:
        live.room_data.append(value)


def _room_remove(call: YemotCall, system: YemotSystem, live: LiveCall, value: str) -> None:
    live.room_data = [item for item in live.room_data if item != value]


def _room_goto(call: YemotCall, system: YemotSystem, live: LiveCall, value: str) -> None:
    live.room_goto = value


def _language(call: YemotCall, system: YemotSystem, live: LiveCall, value: str) -> None:
    live.language = value


# prefix -> action; the longest matching prefix wins, the rest of the string is its value
ACTIONS: dict[str, Act] = {
    "set:GOasap=": _move,
    "path:add:": _room_add,
    "path:remove:": _room_remove,
    "set:ConfbridgeNewGoto=": _room_goto,
    "set:Clanguage=": _language,
    "action=set:Clanguage=": _language,
}
EXACT: dict[str, Act] = {
    "kick": _kick,
    "mute": _flag("muted", True),
    "unmute": _flag("muted", False),
    "raisehand": _flag("hand_raised", True),
    "lowerhand": _flag("hand_raised", False),
}


def _action(text: str) -> tuple[Act, str]:
    if text in EXACT:
        return EXACT[text], ""
    for prefix in sorted(ACTIONS, key=len, reverse=True):
        if text.startswith(prefix) and text[len(prefix) :].strip():
            return ACTIONS[prefix], text[len(prefix) :].strip()
    raise BadCallAction(text)


def _ids(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[:,]", str(raw))
    return [str(item).strip() for item in items if str(item).strip()]


def call_action(call: YemotCall) -> dict[str, Any]:
    """Apply ``action`` to every live call in ``ids``; unknown ids are skipped. Answers the calls acted on."""
    system = call.require_system()
    text = str(call.params["action"]).strip()
    act, value = _action(text)
    acted = []
    for api_id in _ids(call.params["ids"]):
        live = live_calls.by_api_id(system, api_id)
        if live is None:
            continue
        act(call, system, live, value)
        acted.append(incoming_call_json(live, call.now))
    return {"calls": acted, "action": text, "callsCount": len(acted)}


def call_manager(call: YemotCall) -> dict[str, Any]:
    """``action=hangup``: hang up the live calls in ``calls`` (comma list); ``callIdOK`` lists those hung up."""
    system = call.require_system()
    if str(call.params["action"]).strip() != "hangup":
        raise BadAction()
    done = []
    for api_id in _ids(call.params["calls"]):
        live = live_calls.by_api_id(system, api_id)
        if live is not None:
            live_calls.hang_up(call.emulator, live)
            done.append(api_id)
    return {"callOK": len(done), "callIdOK": done}


# -- CallExtensionBridging ----------------------------------------------------------------------------


def call_extension_bridging(call: YemotCall) -> dict[str, Any]:
    """Dial ``phones`` (every RunTzintuk form); an answered callee is dropped into ``ivrPath``.

    Billed 0.1 per dialled number at launch, then 1 unit per minute, pro rata, of answered time.
    """
    system = call.require_system()
    path = live_calls.canonical_path_or_none(call.params.get("ivrPath"))
    if path is None:
        raise BadCallAction(f"ivrPath={call.params.get('ivrPath')}")
    ring_s = int(call.params.get("callsTimeOut") or DEFAULT_RING_S)
    ring_s = max(1, min(ring_s, MAX_RING_S))
    default_caller = caller_ids.resolve(system, call.params.get("callerId"), call.now)
    expansion = phone_lists.expand(
        system, call.params.get("phones"), call.params.get("tzintukLists"), blocked_handset=call.handset_blocked
    )
    if not expansion.targets:
        raise NoValidPhones(errors=expansion.errors)
    callers = [
        default_caller if target.caller_id is None else caller_ids.resolve(system, target.caller_id, call.now)
        for target in expansion.targets
    ]
    total = billing.units(billing.BRIDGE_LAUNCH_PRICE * len(expansion.targets))
    billing.ensure_funds(system, total)
    campaign = billing.new_campaign_id(call.emulator.ids, system, "YA", call.now)
    for target, caller in zip(expansion.targets, callers, strict=True):
        call.place(
            kind=EXTENSION_BRIDGING_KIND,
            caller_id=caller,
            to=target.phone,
            campaign=campaign,
            ring_timeout_s=float(ring_s),
            extra={"ivrPath": path, "timeBilled": True},
        )
    billing.charge_campaign(system, total, campaign, call.now, "bridge")
    return {
        "module": MODULE,
        "callerId": default_caller,
        "callsCount": len(expansion.targets),
        "bilingPerCall": billing.BRIDGE_LAUNCH_PRICE,
        "errors": expansion.errors,
        "callsTimeout": ring_s,
        "campaignId": campaign,
    }


def on_phase(emulator: Any, call: Call, phase: str) -> None:
    """Listener: an answered CallExtensionBridging callee becomes a live call in its ``ivrPath``."""
    if call.kind != EXTENSION_BRIDGING_KIND or phase != "answered":
        return
    system = emulator.world.yemot.systems.get(call.tenant)
    if system is not None:
        live_calls.adopt(emulator, system, call, path=str(call.extra.get("ivrPath", "")))


def install(emulator: Any) -> None:
    emulator.telephony.on_phase("yemot", lambda call, phase: on_phase(emulator, call, phase))
