"""Sandboxes: many isolated emulators in one server, each under ``/sb/<id>/``.

A sandbox is a whole emulator (its own World, clock, scheduler, journal, faults, outbox, phones and
calls) built by ``create_app`` from a shipped fixture or an inline one. The root emulator is simply
the default sandbox with no prefix. Each sandbox's control plane accepts its own token or the
server's admin token, never a bare loopback call, so jobs sharing a server cannot touch each
other's sandboxes. Idle sandboxes expire after their TTL on the wall clock.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from emulator.config import EmulatorConfig
from emulator.core.persist import memory, store
from emulator.fixtures import Fixture, FixtureError, parse
from emulator.runtime import load_fixture

RECLAIM_AFTER = 32  # deleted sandboxes whose memory is given back together (see ``reclaim``)
SANDBOX_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # whole id (fullmatch): no trailing newline


class SandboxError(Exception):
    """A sandbox request that cannot be served; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.details = details


@dataclass
class Sandbox:
    id: str
    token: str
    app: Any
    ttl_s: float
    fixture: str
    created: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)
    requests: int = 0
    ticker: asyncio.Task[None] | None = None
    deleted: bool = False  # set when it ends: a request still running in it answers 404

    @property
    def emulator(self) -> Any:
        return self.app.state.emulator

    def touch(self) -> None:
        self.last_used = time.monotonic()
        self.requests += 1

    def describe(self, now: float) -> dict[str, Any]:
        return {
            "id": self.id,
            "fixture": self.fixture,
            "age_s": round(now - self.created, 3),
            "idle_s": round(now - self.last_used, 3),
            "ttl_s": self.ttl_s,
            "requests": self.requests,
            "approx_bytes": len(store.encode(self.emulator.saved_world())) + 512 * len(self.emulator.journal),
        }


class SandboxRegistry:
    """The sandboxes of one server: create, find, list, delete, expire."""

    Refused = SandboxError  # (what ``prepare`` and ``add`` raise; the control plane answers it)

    def __init__(
        self,
        config: EmulatorConfig,
        build_app: Callable[[EmulatorConfig, Fixture | None], Any],
        ticker: Callable[[Any], Awaitable[None]],
    ) -> None:
        """``build_app`` makes a sandbox's app (``create_app``); ``ticker`` is the background loop each
        sandbox's emulator runs on the server's event loop."""
        self.config = config
        self._build_app = build_app
        self._ticker = ticker
        self._sandboxes: dict[str, Sandbox] = {}
        self._closing: set[asyncio.Task[None]] = set()  # deleted sandboxes' clients being closed
        self._unreclaimed = 0  # sandboxes deleted since memory was last given back

    def __len__(self) -> int:
        return len(self._sandboxes)

    def get(self, sandbox_id: str) -> Sandbox | None:
        return self._sandboxes.get(sandbox_id)

    def create(self, spec: dict[str, Any], sandbox_id: str | None = None) -> Sandbox:
        """A new sandbox from ``{"fixtures": name | mapping | YAML text, "seed": n, "ttl_s": s}``."""
        return self.add(self.prepare(spec, sandbox_id))

    def prepare(self, spec: dict[str, Any], sandbox_id: str | None = None) -> Sandbox:
        """``create``'s checks and build, without registering the sandbox: touches no event loop, so
        a large fixture is built in a worker thread (``add`` then registers it on the loop)."""
        unknown = set(spec) - {"fixtures", "seed", "ttl_s", "id"}
        if unknown:
            raise SandboxError(400, f"unknown sandbox field(s): {', '.join(sorted(unknown))}")
        sandbox_id = sandbox_id or spec.get("id") or secrets.token_hex(8)
        if not isinstance(sandbox_id, str) or not SANDBOX_ID.fullmatch(sandbox_id):
            raise SandboxError(400, "sandbox id must be 1-64 letters, digits, '-' or '_'")
        self._check_room(sandbox_id)
        seed = spec.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise SandboxError(400, "seed must be an integer")
        ttl_s = spec.get("ttl_s", self.config.sandbox_ttl_s)
        if not isinstance(ttl_s, int | float) or isinstance(ttl_s, bool) or not 0 < ttl_s <= 7 * 86400:
            raise SandboxError(400, "ttl_s must be a number of seconds between 0 and 604800")
        fixture, label = self._fixture(spec.get("fixtures"))
        token = secrets.token_urlsafe(24)
        config = replace(
            self.config,
            seed=seed,
            admin_token=token,
            extra_admin_tokens=tuple(t for t in (self.config.admin_token,) if t),
            loopback_trusted=False,
            sandbox_id=sandbox_id,
            state_file=None,  # sandboxes are throwaway: only the root emulator is persisted
        )
        try:
            app = self._build_app(config, fixture)
        except FixtureError as exc:  # (its world failed the checks a restore makes)
            raise SandboxError(400, str(exc), **exc.to_json()) from exc
        return Sandbox(id=sandbox_id, token=token, app=app, ttl_s=float(ttl_s), fixture=label)

    def add(self, sandbox: Sandbox) -> Sandbox:
        """Register a prepared sandbox and start its ticker (checked again: others may have come meanwhile)."""
        try:
            self._check_room(sandbox.id)
        except SandboxError:
            sandbox.emulator.service_client.close()
            raise
        self._sandboxes[sandbox.id] = sandbox
        self._start(sandbox)
        return sandbox

    def _check_room(self, sandbox_id: str) -> None:
        if sandbox_id in self._sandboxes:
            raise SandboxError(409, f"sandbox '{sandbox_id}' already exists")
        if len(self._sandboxes) >= self.config.max_sandboxes:
            raise SandboxError(429, f"this server already holds {self.config.max_sandboxes} sandboxes (the cap)")

    def delete(self, sandbox_id: str) -> bool:
        sandbox = self._sandboxes.pop(sandbox_id, None)
        if sandbox is None:
            return False
        sandbox.deleted = True
        self._unreclaimed += 1
        if sandbox.ticker is not None:
            sandbox.ticker.cancel()
        self.silence(sandbox)
        return True

    def silence(self, sandbox: Sandbox) -> None:
        """Drop a deleted sandbox's deliveries and close its clients (again, after a request that was
        running in it when it was deleted: what that request queued is never sent)."""
        sandbox.emulator.outbox.clear()
        sandbox.emulator.service_client.close()
        self._close_client(sandbox)

    def _close_client(self, sandbox: Sandbox) -> None:
        """Close the sandbox's HTTP client (its pooled connections) on the server's loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: a client, if any, was made on a loop that has ended with its sockets
        task = loop.create_task(sandbox.emulator.outbox.aclose())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def list(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        return [sandbox.describe(now) for sandbox in self._sandboxes.values()]

    def expire(self) -> list[str]:
        """End every sandbox idle for longer than its TTL; the ids that ended."""
        now = time.monotonic()
        ended = [s.id for s in self._sandboxes.values() if now - s.last_used > s.ttl_s]
        for sandbox_id in ended:
            self.delete(sandbox_id)
        return ended

    def reclaim(self) -> bool:
        """Free deleted sandboxes' memory (``core/memory.release``) once enough have piled up: at
        least ``RECLAIM_AFTER``, and at least half as many as are alive, so the cost of the full
        collection (which scans the live ones) stays in proportion to what it frees."""
        if self._unreclaimed < max(RECLAIM_AFTER, len(self._sandboxes) // 2):
            return False
        self._unreclaimed = 0
        memory.release()
        return True

    def close(self) -> None:
        for sandbox_id in list(self._sandboxes):
            self.delete(sandbox_id)

    def _start(self, sandbox: Sandbox) -> None:
        """Run the sandbox's ticker and outbox on the server's loop (none outside a server)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        sandbox.ticker = loop.create_task(self._ticker(sandbox.emulator))
        sandbox.emulator.outbox.resume()

    def _fixture(self, given: Any) -> tuple[Fixture | None, str]:
        if given is None:
            return None, "default"
        if isinstance(given, str) and "\n" not in given and not given.lstrip().startswith("{"):
            return self._shipped(given), given
        text = json.dumps(given) if isinstance(given, dict) else given
        if not isinstance(text, str):
            raise SandboxError(400, "fixtures must be a shipped fixture's name or an inline fixture")
        if len(text.encode()) > self.config.max_fixture_bytes:
            raise SandboxError(413, f"inline fixture larger than {self.config.max_fixture_bytes} bytes")
        try:
            return parse(text, "inline fixture"), "inline"
        except FixtureError as exc:
            raise SandboxError(400, str(exc), **exc.to_json()) from exc

    def _shipped(self, name: str) -> Fixture:
        folder = Path(self.config.fixtures).parent
        shipped = sorted(path.stem for path in folder.glob("*.yaml"))
        if name not in shipped:
            raise SandboxError(400, f"no shipped fixture named '{name}'; shipped: {', '.join(shipped)}")
        return load_fixture(folder / f"{name}.yaml")
