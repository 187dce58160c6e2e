"""What an emulated API is, as data: ``ApiSpec``; and ``Host``, what an API package may use of the runtime.

Each API package declares one ``ApiSpec`` (``emulator/<api>/api.py``); ``emulator/apis.py`` lists them.
The runtime, the app, the World, fixtures, the control plane and the dashboard iterate that list, so
none of them names an API. ``ApiSpec`` knows no API itself: everything API-specific is a value or a
callable the API package hands in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from emulator.core.http.documented import MessageRule

if TYPE_CHECKING:
    import random

    from faker import Faker
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from emulator.config import EmulatorConfig
    from emulator.core.http.contracts import Contract
    from emulator.core.http.faults import FaultTable
    from emulator.core.http.requests import ApiEndpoint
    from emulator.core.observe.journal import Journal
    from emulator.core.outbound.exchange import ServiceClient
    from emulator.core.outbound.outbox import Outbox
    from emulator.core.sim.budgets import CallBudget
    from emulator.core.sim.clock import EmulatorClock
    from emulator.core.sim.flights import TenantGates
    from emulator.core.sim.ids import IdSource
    from emulator.core.sim.scheduler import Scheduler
    from emulator.core.sim.telephony import Telephony
    from emulator.core.sim.telephony_state import Call
    from emulator.core.sim.walks import WalkView


@dataclass(frozen=True)
class ContractTags:
    """How the API docs group an API's operations: ``tag_of(path)`` (None: not grouped yet) and the
    contract's top-level list, ``declared(paths)``; ``table`` says where a new operation's group goes."""

    tag_of: Callable[[str], str | None]
    declared: Callable[[Iterable[str]], list[dict[str, str]]]
    table: str


class Host(Protocol):
    """The running emulator as an API package sees it: the shared machinery and the live World
    (``world.<api name>`` is the API's own state). API packages type against this, never the runtime."""

    config: EmulatorConfig
    clock: EmulatorClock
    scheduler: Scheduler
    telephony: Telephony
    journal: Journal
    outbox: Outbox
    faults: FaultTable
    contracts: Mapping[str, Contract]
    world: Any
    ids: IdSource
    rng: random.Random
    revision: int
    gates: TenantGates
    budget: CallBudget
    service_client: ServiceClient

    def token(self, length: int = 16) -> str: ...


ProblemPath = list[str | int]


@dataclass(frozen=True)
class FixturePart:
    """The API's section of a fixture document (the top-level key is the API's name)."""

    schema: dict[str, Any]
    build: Callable[[dict[str, Any], Faker, float], Any]  # (section, faker, anchor) -> the API's state
    locale: str = "en_US"  # faker's locale for generated rows
    # Problems the schema cannot see: (path from the document root, problem); ``directory`` is the
    # fixture file's folder, or None for a fixture sent over the control plane.
    problems: Callable[[dict[str, Any], Path | None], Iterable[tuple[ProblemPath, str]]] = lambda data, directory: ()
    # The ``generate`` sections of the API's part: each maps a row kind to how many rows faker makes.
    generated: Callable[[dict[str, Any]], Iterable[Mapping[str, Any]]] = lambda data: ()
    unique: tuple[tuple[str, str], ...] = ()  # (collection, key): key values unique within the collection


@dataclass(frozen=True)
class CallViews:
    """How the control plane's ``/calls/{id}`` shows the API's share of a simulated call."""

    # Answers ``/calls/{id}`` wholly for calls the API keeps outside the telephony engine (None: not one).
    own: Callable[[Host, str, bool], dict[str, Any] | None] = lambda host, call_id, hang_up: None
    # The engine call id of an id the API hands out (None: not one of its ids).
    locate: Callable[[Host, str], str | None] = lambda host, call_id: None
    # The control plane's ``state`` of an answered call, when the API refines ``active`` (else None).
    state: Callable[[Host, Call], str | None] = lambda host, call: None
    # Fields added to a call's detail.
    detail: Callable[[Host, Call], dict[str, Any]] = lambda host, call: {}
    # The walk of a call by any id the API hands out, for input, events and sound (None: not one).
    walk: Callable[[Host, str], WalkView | None] = lambda host, call_id: None


@dataclass(frozen=True)
class ParityHooks:
    """What ``telephony-emulator parity`` needs of an API to replay a recording on a target.

    ``placeholders(credential)``: the values the recording's placeholders stand for on the target,
    by kind (``token``, ``password``, ``basic``, ``apikey``, ``account``), from the target's first
    default credential (as its landing page lists it). ``prepare(client, prefix, exchanges, values,
    params_of)``: put on the target (an ``httpx.Client``) what the recording read before it wrote
    it; the things written.
    """

    placeholders: Callable[[dict[str, Any]], dict[str, str]]
    prepare: Callable[[Any, str, list[Any], dict[str, str], Callable[[Any], dict[str, Any]]], list[str]] = (
        lambda client, prefix, exchanges, values, params_of: []
    )


@dataclass(frozen=True)
class LinkRule:
    """Link every operation whose key matches ``source`` to the operations named by ``targets``
    (the conformance suite's stateful runs follow these links besides the contract's own).

    ``targets`` are templates over the match's named groups, or ``*`` for every secured operation;
    ``link`` is the OpenAPI link body (without ``operationId``).
    """

    source: str
    targets: tuple[str, ...]
    link: dict[str, Any]


@dataclass(frozen=True)
class TargetAuth:
    """How the conformance suite authenticates generated requests to the API on a target: the
    credential (named strings) taken from the environment for a real server (``from_env``, falling
    back to ``default``, the default fixture's), and the query parameters and headers it adds to a
    request (``apply``)."""

    default: dict[str, str]
    from_env: Callable[[Mapping[str, str]], dict[str, str]]
    apply: Callable[[dict[str, str]], tuple[dict[str, str], dict[str, str]]]


@dataclass(frozen=True)
class Conformance:
    """What every answer of the API must look like, checked apart from the contract."""

    envelope: tuple[str, ...]  # fields every JSON answer carries
    rules: tuple[MessageRule, ...] = ()
    status_key: Callable[[int, object], str] = lambda http_status, body: str(http_status)
    outcome: tuple[str, ...] = ()  # fields that say success or failure: drift reports compare their values
    links: tuple[LinkRule, ...] = ()
    auth: TargetAuth | None = None  # (None: the API takes no credentials)


@dataclass(frozen=True, eq=False)
class ApiSpec:
    """One emulated API: where it is served, its state, its fixture section and its control-plane share.

    Compared and hashed by identity: each API has one spec."""

    name: str  # the World field, the fixture key, the journal's ``api``, the contract's name
    title: str  # for people: the landing page, the dashboard
    prefix: str  # the path the API is served under, without a trailing slash
    contract: str | Path  # file name in the contracts folder, or a path of its own
    endpoint: ApiEndpoint  # (request, host, target) -> response: the hot path
    param: str  # the path parameter holding the target (a method name, a service path)
    single_segment: bool  # whether a target is one path segment
    too_large: Callable[[int], Response]  # the API's own answer to a body over its cap
    state: type  # the API's state root: a dataclass the World holds under ``name``
    implemented: Callable[[], Iterable[str]]  # the contract operations the API serves (contract_check)
    routes: Sequence[BaseRoute] = ()  # Starlette routes under the prefix (trailing-slash redirects, docs)
    install: Callable[[Host], None] = lambda host: None  # scheduler kinds and telephony listeners
    fixture: FixturePart | None = None
    admin_routes: Callable[[], Sequence[BaseRoute]] = lambda: ()  # under /__emulator__
    dashboard: str | None = None  # the dashboard's view module (under admin/static/ui), if any
    number_kinds: frozenset[str] = frozenset()  # phone number classes the API accepts (core/sim/phones)
    conformance: Conformance | None = None
    parity: ParityHooks | None = None  # replaying a recording on a target (``emulator/parity``)
    tags: ContractTags | None = None  # the API docs' operation groups (``python -m emulator.contract_tags``)
    credentials: Callable[[Any, int], list[dict[str, Any]]] = lambda state, limit: []
    # One default credential for people: (text, value) pieces; the landing page shows values as code.
    credential_parts: Callable[[dict[str, Any]], list[tuple[str, str | None]]] = lambda item: []
    # httpx options (``auth``, ``headers``) a ready-made test client logs in with, from one credential.
    client_options: Callable[[dict[str, Any]], dict[str, Any]] = lambda credential: {}
    world_swapped: Callable[[Host, Any, Any], None] = lambda host, old, new: None  # (host, old state, new state)
    calls: CallViews = field(default_factory=CallViews)

    def contract_path(self, directory: Path) -> Path:
        """The contract file: ``contract`` inside ``directory``, or ``contract`` itself when absolute."""
        return directory / self.contract
