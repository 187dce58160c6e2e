"""Calls that are up on a Yemot system right now: inbound callers in an extension or a queue.

An inbound call is a call of the telephony engine (``kind`` ``inbound``, ``to`` the DID dialled)
that the system answers at once and that lasts until someone hangs up: the caller
(``hangup_after_s``), ``CallManager hangup``, a queue ``kick`` or the control plane. While it is
up, a :class:`~emulator.yemot.state.LiveCall` on the system holds what the API shows.

Python API (for services and the control plane)::

    live = live_calls.receive(emulator, system, caller="0501234567", path="/3")
    live_calls.current(system)                  # every live call, oldest first
    live_calls.by_api_id(system, live.api_call_id)
    live_calls.locate(emulator, live.call_id)   # (system, live call) from the engine's id
    live_calls.move(emulator, system, live, "/1")   # enters the extension (or waits if it is a queue)
    ivr.engine.move(emulator, system, live, "/1")   # the same, and the caller's IVR walk goes on there
    live_calls.hang_up(emulator, live)          # ends the call; it leaves the system at once

When the call ends, the system keeps an incoming-call row for GetIncomingSum. This module knows
nothing of the IVR engine (``yemot/ivr``), which uses it: moving a caller from outside, so that
its walk follows, is the engine's ``move``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from emulator.core.sim.phones import Plan
from emulator.core.sim.telephony import MAX_SECONDS
from emulator.core.sim.telephony_state import Call
from emulator.yemot.paths import BadPath, normalize_path
from emulator.yemot.state import IncomingCallRow, LiveCall, YemotState, YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

API = "yemot"
KIND = "inbound"


class LiveCallError(ValueError):
    """A live-call request that cannot be carried out (unknown system, bad path...)."""


def canonical_path(path: str | None) -> str:
    """The canonical extension path ('' = root) of ``/1/2``, ``ivr2:/1/2``, ``1/2``, ``/``."""
    try:
        if ".." in re.split(r"[/:\\]", path or ""):
            raise BadPath(path)
        return normalize_path(path or "")
    except BadPath as exc:
        raise LiveCallError(f"path {path!r} leaves the IVR tree") from exc


def canonical_path_or_none(path: object) -> str | None:
    """``canonical_path`` of a request value, or None when it is not a path inside the tree."""
    if path is not None and not isinstance(path, str):
        return None
    try:
        return canonical_path(path)
    except LiveCallError:
        return None


def display(path: str) -> str:
    """The ``/1/2`` form the API shows for a canonical path (``/`` for the root)."""
    return "/" + path


def receive(
    emulator: Emulator,
    system: YemotSystem,
    *,
    caller: str,
    did: str | None = None,
    path: str | None = None,
    keys: Iterable[str] = (),
    hangup_after_s: float | None = None,
    transfer_from: str | None = None,
) -> LiveCall:
    """A caller dials ``did`` (default the main number) and is answered in ``path`` (default root)."""
    start = canonical_path(path)
    if hangup_after_s is not None and not 0 < hangup_after_s <= MAX_SECONDS:
        raise LiveCallError(f"hangup_after_s must be between 0 and {int(MAX_SECONDS)} seconds")
    talk_s = MAX_SECONDS if hangup_after_s is None else float(hangup_after_s)
    call = emulator.telephony.place(
        api=API,
        tenant=system.number,
        kind=KIND,
        caller_id=caller,
        to=did or system.number,
        plan=Plan("answered", 0.0, talk_s),
    )
    live = adopt(emulator, system, call, path=start, caller=caller, did=call.to, keys=keys)
    live.transfer_from = transfer_from
    emulator.scheduler.run_due()  # the system picks up at once
    return live


def new_api_call_id(emulator: Emulator) -> str:
    """A fresh ``ApiCallId``: 40 hex digits, never repeated within the server's lifetime (``core/sim/ids``)."""
    return emulator.ids.hex(40)


def adopt(
    emulator: Emulator,
    system: YemotSystem,
    call: Call,
    *,
    path: str,
    caller: str | None = None,
    did: str | None = None,
    keys: Iterable[str] = (),
) -> LiveCall:
    """Make a call of the engine live on ``system`` in ``path``, e.g. an outbound callee dropped into an
    extension (its caller is then the number called, its DID the caller ID it was called from)."""
    api_call_id = new_api_call_id(emulator)
    now = emulator.clock.now()
    live = LiveCall(
        call_id=call.id,
        api_call_id=api_call_id,
        did=did if did is not None else call.caller_id,
        caller=caller if caller is not None else call.to,
        path=path,
        started=now,
        path_since=now,
        keys=[str(key) for key in keys],
    )
    system.live_calls[api_call_id] = live
    call.extra["api_call_id"] = api_call_id
    _enter(system, live, path, now)
    return live


def current(system: YemotSystem) -> list[LiveCall]:
    """Every call up on the system, oldest first."""
    return list(system.live_calls.values())


def by_api_id(system: YemotSystem, api_call_id: str) -> LiveCall | None:
    return system.live_calls.get(str(api_call_id).strip())


def locate(emulator: Emulator, call_id: str) -> tuple[YemotSystem, LiveCall] | None:
    """The system and live call of an engine call id (``call-N``) or an API call id."""
    return _locate(emulator.world.yemot, call_id)


def _locate(state: YemotState, call_id: str) -> tuple[YemotSystem, LiveCall] | None:
    for system in state.systems.values():
        found = system.live_calls.get(call_id)
        if found is not None:
            return system, found
        for live in system.live_calls.values():
            if live.call_id == call_id:
                return system, live
    return None


def move(emulator: Emulator, system: YemotSystem, live: LiveCall, path: str) -> None:
    """Place the caller in ``path`` now; a queue extension makes the caller wait there. (A walk of
    the IVR does not follow by itself: see ``ivr.engine.move``.)"""
    _enter(system, live, canonical_path(path), emulator.clock.now())


def transfer(source: YemotSystem, target: YemotSystem, live: LiveCall, now: float) -> None:
    """``routing_yemot``: the caller leaves ``source`` for the root of ``target``, where GetIncomingCalls
    shows the call as transferred (``transferFrom``)."""
    source.live_calls.pop(live.api_call_id, None)
    target.live_calls[live.api_call_id] = live
    live.transfer_from = source.number
    _enter(target, live, "", now)


def _enter(system: YemotSystem, live: LiveCall, path: str, now: float) -> None:
    live.path, live.path_since = path, now
    if path in system.queues:
        if live.queue != path:
            live.queue, live.queue_since = path, now
    else:
        live.queue, live.queue_since = None, None


def hang_up(emulator: Emulator, live: LiveCall) -> None:
    """End the call now; it leaves the system's live calls at once."""
    emulator.telephony.hangup(live.call_id)


def waiting_in(system: YemotSystem, queue_path: str) -> list[LiveCall]:
    """Live callers waiting in the queue at ``queue_path``, longest wait first."""
    waiting = [live for live in system.live_calls.values() if live.queue == queue_path]
    return sorted(waiting, key=lambda live: live.queue_since or live.started)


def state_of(emulator: Emulator, call: Call) -> str:
    """The control plane's ``state`` of any call: queued, ringing, active, waiting (in a queue) or ended."""
    if call.phase == "answered":
        found = _locate(emulator.world.yemot, call.id) if "api_call_id" in call.extra else None
        return "waiting" if found is not None and found[1].queue is not None else "active"
    return call.phase


def on_phase(emulator: Emulator, call: Call, phase: str) -> None:
    """Telephony listener: an ended live call leaves the system; an inbound one becomes an incoming-call row."""
    if phase != "ended" or "api_call_id" not in call.extra:
        return
    api_call_id = str(call.extra.get("api_call_id", ""))
    found = _holding(emulator.world.yemot, call.tenant, api_call_id)
    if found is None:
        return
    system, live = found
    system.live_calls.pop(api_call_id, None)
    if call.kind != KIND:
        return
    seconds = int((call.ended_at or live.started) - live.started)
    kind = "transferIn" if live.transfer_from else "direct"
    system.incoming_calls.append(
        IncomingCallRow(time=live.started, did=live.did, caller=live.caller, seconds=seconds, kind=kind)
    )


def _holding(state: YemotState, tenant: str, api_call_id: str) -> tuple[YemotSystem, LiveCall] | None:
    """The system a live call is on: the one it was placed on, else the one it was transferred to."""
    system = state.systems.get(tenant)
    if system is not None and api_call_id in system.live_calls:
        return system, system.live_calls[api_call_id]
    return _locate(state, api_call_id)


def install(emulator: Emulator) -> None:
    emulator.telephony.on_phase(API, lambda call, phase: on_phase(emulator, call, phase))
