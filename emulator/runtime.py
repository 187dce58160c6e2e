"""The running emulator: world state plus the clock, scheduler, journal, faults and outbox."""

from __future__ import annotations

import dataclasses
import random
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from emulator import apis
from emulator.config import EmulatorConfig
from emulator.core.http.contracts import Contract
from emulator.core.http.faults import FaultTable
from emulator.core.observe.journal import Journal
from emulator.core.outbound.exchange import ServiceClient
from emulator.core.outbound.outbox import Outbox, OutboxPolicy
from emulator.core.persist import store
from emulator.core.persist.holder import SNAPSHOT_VERSION
from emulator.core.persist.state_check import check_world
from emulator.core.sim.budgets import CallBudget
from emulator.core.sim.clock import EmulatorClock
from emulator.core.sim.flights import TenantGates
from emulator.core.sim.ids import IdSource
from emulator.core.sim.scheduler import Scheduler
from emulator.core.sim.telephony import Telephony
from emulator.fixtures import Fixture, FixtureError, load_file
from emulator.world import World, world_type


@lru_cache(maxsize=16)
def _load_contract(path: Path, mtime: float, prefix: str) -> Contract:
    return Contract.from_file(path, prefix=prefix)


def load_contracts(directory: Path) -> dict[str, Contract]:
    """The contract of every registered API; parsed once per process while the files are unchanged."""
    contracts = {}
    for spec in apis.registered():
        path = spec.contract_path(directory).resolve()
        contracts[spec.name] = _load_contract(path, path.stat().st_mtime if path.exists() else 0.0, spec.prefix)
    return contracts


@lru_cache(maxsize=16)
def _parsed_fixture(path: Path, mtime: float) -> Fixture:
    return load_file(path)


def load_fixture(path: Path) -> Fixture:
    """The fixture in ``path``; parsed once per process while the file is unchanged."""
    resolved = Path(path).resolve()
    try:
        mtime = resolved.stat().st_mtime
    except OSError:
        return load_file(path)  # raises the fixture error naming the file
    return _parsed_fixture(resolved, mtime)


_WORLD_CACHE: dict[tuple[str, int | None, type], bytes] = {}


def _built_world(fixture: Fixture, seed: int | None) -> bytes:
    """The encoded World a fixture builds; faker runs once per fixture, seed and set of APIs per process."""
    key = (fixture.identity, seed, world_type())
    if key not in _WORLD_CACHE:
        if len(_WORLD_CACHE) >= 32:
            _WORLD_CACHE.clear()
        world = fixture.build(seed)
        try:  # a fixture's world passes the checks a restored one does
            check_world(world, lambda kind: True)
        except store.SnapshotError as exc:
            problem = f"builds a state that cannot be used: {exc}"
            raise FixtureError(fixture.source, None, exc.path or "$", problem) from exc
        _WORLD_CACHE[key] = store.encode(world)
    return _WORLD_CACHE[key]


class Emulator:
    """Everything one emulator instance owns; nothing here is global."""

    def __init__(self, config: EmulatorConfig, fixture: Fixture | None = None, ids: IdSource | None = None) -> None:
        """``ids``: the server's id source when this emulator is one of its sandboxes (ids stay unique
        across the server, ``core/sim/ids``); a root emulator makes its own from its seed."""
        self.config = config
        self.started = time.monotonic()
        self.clock = EmulatorClock(frozen_at=config.frozen_at)
        self.contracts = load_contracts(config.contracts_dir)
        self.fixture = fixture or load_fixture(config.fixtures)
        self.start_fixture = self.fixture  # what DELETE /__emulator__/fixtures goes back to
        self.journal = Journal(max_bytes=config.max_journal_bytes)
        self.apis = apis.registered()  # the APIs this emulator serves (fixed for its life)
        self.world_type = world_type(self.apis)
        self.faults = FaultTable(tuple(self.contracts), operations=lambda api: self.contracts[api].operations)
        self.outbox = Outbox(
            self.clock,
            policy=OutboxPolicy(
                backoff_base_s=config.outbox_backoff_base_s,
                max_concurrency=config.outbox_max_concurrency,
                max_connections=config.outbox_max_connections,
                max_pending=config.outbox_max_pending,
                retention=config.outbox_retention,
            ),
            transport=config.outbox_transport,
            headers={"X-Emulator-Sandbox": config.sandbox_id} if config.sandbox_id else None,
        )
        self._spare: World | None = None
        self._retired: World | None = None  # the world a reset or restore replaced, freed between requests
        self.service_client = ServiceClient(config.ivr_transport)  # simulated calls -> IVR web services
        self.gates = TenantGates(config.max_exchanges_per_tenant)  # a tenant's exchanges in flight
        self.budget = CallBudget.of(config)  # what one simulated call may spend
        self.world = self._fresh_world()
        self.scheduler = Scheduler(self.clock, self.world.scheduler)
        self.ids = ids if ids is not None else IdSource(self._seed)  # never rewound by reset or restore
        self.telephony = Telephony(self.clock, self.scheduler, lambda: self.world.telephony, self.ids)
        self.rng = random.Random(self._seed)
        self.revision = 0  # bumped by anything that may change state; the state file saves on change
        for spec in self.apis:
            spec.install(self)
        self.state_lock = None
        self.loaded_state = None  # set when the state at start is read from config.state_file
        if config.state_file is not None:
            from emulator.core.persist.state_file import load_locked

            self.state_lock = load_locked(self, config.state_file)

    @property
    def _seed(self) -> int:
        return self.fixture.seed if self.config.seed is None else self.config.seed

    def _fresh_world(self) -> World:
        spare, self._spare = self._spare, None
        return (
            spare if spare is not None else store.decode(_built_world(self.fixture, self.config.seed), self.world_type)
        )

    def prepare_spare(self) -> bool:
        """Free the world the last reset or restore replaced, and decode the fixture's world ahead of
        the next reset, so that reset is a swap.

        Called off the request path (the server's idle ticker); True when it did work.
        """
        self._retired = None
        if self._spare is not None:
            return False
        self._spare = store.decode(_built_world(self.fixture, self.config.seed), self.world_type)
        return True

    def set_world(self, world: World) -> None:
        """Make ``world`` the live state. The replaced one is freed later, off the request path
        (freeing a large tree costs about as much as building it)."""
        self._retired, self.world = self.world, world
        self.scheduler.bind(world.scheduler)
        self.ids.branch(world.telephony.next_call)  # a restored state's ids are never drawn again
        for spec in self.apis:
            spec.world_swapped(self, getattr(self._retired, spec.name), getattr(world, spec.name))

    def reset(self) -> None:
        """Back to the loaded fixture: state, journal, faults and outbox; the clock keeps its time."""
        self.set_world(self._fresh_world())
        self.journal.clear()
        self.faults.clear()
        self.outbox.clear()
        self.rng = random.Random(self._seed)

    def use_fixture(self, fixture: Fixture) -> None:
        """Make ``fixture`` the reset target and reset to it."""
        self.fixture = fixture
        self._spare = None
        self.reset()

    def saved_world(self) -> World:
        """The World as a snapshot holds it (the scheduler's pending events listed whole), made
        without changing the live one: a shallow copy with its own scheduler part."""
        return dataclasses.replace(self.world, scheduler=self.scheduler.saved_state())  # type: ignore[arg-type]

    def snapshot(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, "world": store.dump(self.saved_world())}

    def snapshot_bytes(self) -> bytes:
        """``snapshot()`` as JSON bytes, without building the intermediate dicts."""
        return b'{"version":%d,"world":%b}' % (SNAPSHOT_VERSION, store.encode(self.saved_world()))

    def restore(self, document: Any) -> None:
        self.set_world(self.world_from_snapshot(document))

    def world_from_snapshot(self, document: Any) -> World:
        """The World a snapshot document describes, checked; touches no live state (safe off the loop)."""
        if not isinstance(document, dict) or document.get("version") != SNAPSHOT_VERSION:
            raise store.SnapshotError(f"expected a snapshot object with version {SNAPSHOT_VERSION}")
        return self._checked(store.load(document.get("world"), self.world_type))

    def world_from_snapshot_bytes(self, data: bytes) -> World:
        """``world_from_snapshot`` of a snapshot's JSON bytes, decoded straight into the World."""
        return self._checked(store.decode_document(data, SNAPSHOT_VERSION, self.world_type))

    def _checked(self, world: World) -> World:
        """``world`` when it passes every check a restore makes (``emulator.core.persist.state_check``)."""
        check_world(world, self.scheduler.knows)
        return world

    def prepare_fixture(self, fixture: Fixture) -> None:
        """Build (and cache) the World of ``fixture``; touches no live state (safe off the loop)."""
        _built_world(fixture, self.config.seed)

    def default_credentials(self, limit: int = 3) -> dict[str, list[dict[str, Any]]]:
        """Per API, the first few tenants of the state with what a client logs in with."""
        return {spec.name: spec.credentials(getattr(self.world, spec.name), limit) for spec in self.apis}

    def token(self, length: int = 16) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(length))
