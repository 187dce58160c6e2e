"""One step of a call through its dialplan: the call, the time cursor, and what the step decided.

A node's code (``components``) plays, collects keys and asks the web service through a ``Step``;
each action takes simulated time (the cursor ``now`` moves on) and leaves a transcript entry. The
node ends by choosing one outcome - leave by an exit, hang up, or do something later (dial a leg,
ask the web service) - which the engine carries out on the scheduler.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import AwaitInput
from emulator.core.sim.walks import WalkStep
from emulator.simotel.dialplan import webservice
from emulator.simotel.state import DialplanWalk

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

PLAY_S = 3.0  # one announcement, system sound or hold-music file
SAY_S = 0.5  # one spoken digit / number part
KEY_S = 1.0  # one keyed digit
Steps = Generator[Any, Any, Any]  # a step that awaits its web service (``emulator.core.sim.flights``)


@dataclass
class Next:
    """What the engine does after a node: ``exit`` (leave by ``name``), ``hangup``, or ``later``
    (run ``phase`` of this node again at ``at`` with ``payload``)."""

    kind: str = "hangup"
    name: str = ""
    phase: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    who: str = "system"


class Step(WalkStep):
    """The step being run: ``walk`` at emulator time ``now``, and the ``next`` move it chose."""

    def __init__(self, emulator: Emulator, walk: DialplanWalk, now: float) -> None:
        self.emulator = emulator
        self.walk: DialplanWalk = walk
        self.now = now
        self.next = Next()
        self.leg_outcome = ""  # in phase ``ended``: how the dialled leg ended
        self.taken: list[tuple[str, float | None]] = []  # a live caller's input this step took, and when it came
        self.replay: webservice.Answer | None = None  # the service's answer, when a parked step runs again
        self.answer: webservice.Answer | None = None

    @property
    def plan(self) -> dict[str, Any] | None:
        return self.emulator.world.simotel.dialplans.get(self.walk.dialplan)

    # -- transcript --------------------------------------------------------------------------

    def error(self, code: str, message: str, **data: Any) -> None:
        """An ``error`` entry: ``code`` names the failure (``timeout``, ``reply``, ``refused``, ``command``...)."""
        self.record("error", node=self.walk.node, code=code, message=message, **data)

    # -- what the caller hears and does ------------------------------------------------------

    def play(self, what: str, name: str, seconds: float = PLAY_S, **data: Any) -> None:
        """Play ``name`` (``what``: announcement, sound, number, digits, ...) for ``seconds``."""
        if name == "" and what == "announcement":
            return  # an optional announcement left empty plays nothing
        self.record("play", node=self.walk.node, parts=[{"type": what, "name": name, **data}], seconds=seconds)
        self.now += seconds

    def keys(self, timeout: float, max_digits: int, variable: str) -> str | None:
        """The caller's next scripted input (``""`` after ``timeout`` of silence); None when the script
        has run out, which is the caller hanging up."""
        walk = self.walk
        if not walk.keys:
            if walk.live:
                raise AwaitInput(float(timeout))  # a live caller: the step waits for input (``live_input``)
            return None
        keyed = walk.keys.pop(0)
        came = walk.key_times.pop(0) if walk.key_times else None
        self.taken.append((keyed, came))
        if keyed and came is not None:
            self.now = max(self.now, came)  # (the caller keyed it when it came)
        digits = keyed[:max_digits] if max_digits > 0 else keyed
        self.now += len(digits) * KEY_S if digits else float(timeout)
        extra = {"typed": keyed} if keyed != digits else {}
        self.record("input", node=self.walk.node, variable=variable, keys=digits, mode="dtmf", **extra)
        return digits

    # -- the user's web service --------------------------------------------------------------

    def ask(self, node: dict[str, Any]) -> Steps:
        """Send this component's request; the reply object, or None (recorded as an error).

        A generator (``emulator.core.sim.flights``): it yields the awaited exchange and changes nothing
        before the answer, so a step waiting for its service has not started in a snapshot.
        """
        call = self.walk
        fields = {"src": call.src, "dst": call.dst, "data": call.data, "unique_id": call.unique_id,
                  "app_name": call.node}  # fmt: skip
        if node["type"] == "smart_api" and call.originated_call_id:
            fields["originated_call_id"] = call.originated_call_id
        method = self.emulator.world.simotel.settings.webhook.method
        verb = "GET" if method == "GET" else "POST"
        client = self.emulator.service_client.get(call.id)
        answer = self.replay
        if answer is None:
            answer = yield webservice.ask(node["url"], fields, method, client, listeners=self.emulator.outbox.listeners)
        self.answer = answer
        call.data = ""  # digits go to the next API component only
        self.record("request", node=call.node, url=node["url"], method=verb, params=[[k, v] for k, v in fields.items()])
        if answer.status is not None:
            self.record("reply", node=call.node, status=answer.status, text=answer.text, directives=answer.reply)
        if answer.reply is None:
            self.error(answer.code, answer.error or "no valid reply", text=answer.text)
            return None
        return answer.reply

    # -- outcomes ----------------------------------------------------------------------------

    def leave(self, exit_name: str) -> None:
        self.next = Next("exit", name=exit_name)

    def hang_up(self, by: str = "system") -> None:
        self.next = Next("hangup", who=by)

    def later(self, phase: str, **payload: Any) -> None:
        self.next = Next("later", phase=phase, payload=payload)
