"""``create_app``: one ASGI app serving Yemot, Simotel, the control plane and the sandboxes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.routing import Mount

from emulator.admin import all_routes as admin_routes
from emulator.admin.landing import landing_route
from emulator.config import EmulatorConfig
from emulator.dispatch import ApiMount, Dispatcher
from emulator.fixtures import Fixture
from emulator.runtime import PREFIXES, Emulator
from emulator.sandboxes import SandboxRegistry
from emulator.simotel import wire as simotel_wire
from emulator.yemot import wire as yemot_wire


async def tick(emulator: Emulator, sandboxes: SandboxRegistry | None = None) -> None:
    """Run scheduled events as their moment arrives (real-time mode); between requests, decode the
    fixture's world ahead of the next reset and end sandboxes idle past their TTL."""
    while True:
        await asyncio.sleep(emulator.config.tick_interval_s)
        if not emulator.clock.frozen:
            emulator.scheduler.run_due()
        emulator.prepare_spare()
        if sandboxes is not None:
            sandboxes.expire()


def create_app(config: EmulatorConfig | None = None, fixture: Fixture | None = None) -> Dispatcher:
    """Build the emulator app; all state hangs off ``app.state.emulator``.

    The two APIs are dispatched directly (``emulator/dispatch.py``); the control plane and pages go
    through a Starlette app behind the dispatcher, which also runs the lifespan. The server's root
    app also holds the sandboxes (``app.state.sandboxes``); a sandbox's own app holds none.
    """
    config = config or EmulatorConfig.from_env()
    emulator = Emulator(config, fixture)
    sandboxes = SandboxRegistry(config, create_app) if config.sandbox_id is None else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.create_task(tick(emulator, sandboxes))
        emulator.outbox.resume()
        try:
            yield
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            if sandboxes is not None:
                sandboxes.close()
            await emulator.outbox.drain(timeout=2.0)

    app = Starlette(
        routes=[
            landing_route,
            Mount(PREFIXES["yemot"], routes=yemot_wire.routes),
            Mount(PREFIXES["simotel"], routes=simotel_wire.routes),
            Mount(PREFIXES["admin"], routes=admin_routes()),
        ],
        lifespan=lifespan,
    )
    app.state.emulator = emulator
    app.state.sandboxes = sandboxes
    return Dispatcher(
        app,
        [
            ApiMount(PREFIXES["yemot"], yemot_wire.endpoint, "method", single_segment=True),
            ApiMount(PREFIXES["simotel"], simotel_wire.endpoint, "path", single_segment=False),
        ],
        sandboxes,
    )
