"""``create_app``: one Starlette app serving Yemot, Simotel and the control plane."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.admin import all_routes as admin_routes
from emulator.admin.landing import landing_route
from emulator.config import EmulatorConfig
from emulator.runtime import PREFIXES, Emulator
from emulator.simotel import wire as simotel_wire
from emulator.yemot import wire as yemot_wire

_SLASHES = re.compile(r"/{2,}")


class CollapseSlashes:
    """Treat ``//api/v4//pbx/users/add`` like ``/api/v4/pbx/users/add`` (as Apache does)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = {**scope, "path": _SLASHES.sub("/", scope["path"])}
        await self.app(scope, receive, send)


async def _tick(emulator: Emulator) -> None:
    """In real-time mode, run scheduled events as their moment arrives."""
    while True:
        await asyncio.sleep(emulator.config.tick_interval_s)
        if not emulator.clock.frozen:
            emulator.scheduler.run_due()


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    """Build the emulator app; all state hangs off ``app.state.emulator``."""
    config = config or EmulatorConfig.from_env()
    emulator = Emulator(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.create_task(_tick(emulator))
        emulator.outbox.resume()
        try:
            yield
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
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
    app.add_middleware(CollapseSlashes)
    return app
