"""Simotel state: API accounts, API settings and the PBX's record collections."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from emulator.core.sim.transcript import Transcript

AuthMode = Literal["basic", "key", "both"]


@dataclass
class ApiAccount:
    username: str
    password: str
    token: str = ""
    auth_mode: AuthMode = "both"
    enabled: bool = True
    permissions: list[str] = field(default_factory=lambda: ["*"])
    strict: bool = False

    def may_call(self, service: str) -> bool:
        """Whether this account was granted ``/group/resource/action`` (slashes around it optional)."""
        granted = _granted(tuple(self.permissions))
        return "*" in granted or _path(service) in granted


@lru_cache(maxsize=1024)
def _path(service: str) -> str:
    return "/" + "/".join(part for part in service.split("/") if part)


@lru_cache(maxsize=256)
def _granted(permissions: tuple[str, ...]) -> frozenset[str]:
    """An account's grants as a set of normalised paths (``*`` kept): a request looks its path up
    instead of comparing it with each grant."""
    return frozenset(granted if granted == "*" else _path(granted) for granted in permissions)


@dataclass
class WebhookSettings:
    url: str = ""
    method: Literal["G4", "Rest4", "GET"] = "G4"
    username: str = ""
    password: str = ""
    events: list[str] = field(default_factory=list)


@dataclass
class SimotelSettings:
    allow_all_ips: bool = True
    allowed_ips: list[str] = field(default_factory=list)
    strict: bool = False
    webhook: WebhookSettings = field(default_factory=WebhookSettings)


@dataclass
class DialplanWalk:
    """A call's walk through a dialplan (``emulator.simotel.dialplan``; the words are those of
    ``core/sim/walks``): where it is and what happened.

    ``keys`` is what the caller still has to type (one element per input, ``""`` = silence);
    ``data`` the digits waiting to be sent to the next API component; ``transcript`` what the
    caller heard and caused, in the shape shared with the Yemot IVR (``emulator.core.sim.transcript``).
    """

    id: str
    dialplan: str
    src: str
    dst: str
    unique_id: str
    started: float
    keys: list[str] = field(default_factory=list)
    originated_call_id: str = ""
    node: str = ""
    state: Literal["walking", "connected", "ended"] = "walking"
    data: str = ""
    exten: str = ""
    limit_s: float | None = None
    leg: str = ""
    legs: list[str] = field(default_factory=list)
    queue: str = ""
    answered_leg: bool = False
    steps: int = 0
    spin: int = 0  # steps in a row at the same instant (a loop), real seconds waited for services
    spin_at: float | None = None
    waited_s: float = 0.0
    ended: float | None = None
    transcript: Transcript = field(default_factory=Transcript)
    live: bool = False  # placed without a key script: a step that needs input waits for it (``live_input``)
    key_times: list[float] = field(default_factory=list)  # a live caller's: when each of ``keys`` came
    parked: dict[str, Any] = field(default_factory=dict)


@dataclass
class SimotelState:
    """Accounts, settings and every record collection by name.

    CRUD collections (``emulator.simotel.catalog``): ``users``, ``trunks``, ``queues``, ``musiconholds``,
    ``announcements``, ``voicemails``, ``blacklists``, ``whitelists``, ``faxes``, ``autodialer_contacts``,
    ``autodialer_groups``, ``autodialer_campaigns``, ``autodialer_announcements``, ``autodialer_trunks``;
    ``uploads`` holds uploaded files; report collections are listed in ``emulator.simotel.records``.
    ``next_object_id`` feeds the 24-hex ``_id`` of every new record. ``dialplans`` holds the
    dialplan definitions by name and ``dialplan_calls`` the calls walking them.
    """

    accounts: dict[str, ApiAccount] = field(default_factory=dict)
    settings: SimotelSettings = field(default_factory=SimotelSettings)
    collections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    next_object_id: int = 1
    dialplans: dict[str, dict[str, Any]] = field(default_factory=dict)
    dialplan_calls: dict[str, DialplanWalk] = field(default_factory=dict)
    next_dialplan_call: int = 1
