"""``create_app``: one ASGI app serving Yemot, Simotel, the control plane and the sandboxes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import Scope

from emulator import apis
from emulator.admin import all_routes as admin_routes
from emulator.admin.http import too_large as admin_too_large
from emulator.admin.landing import favicon_route, landing_route
from emulator.admin.sites import site_guard
from emulator.config import EmulatorConfig
from emulator.core.api import ApiSpec
from emulator.core.http.limits import BodyLimit, BodyRule, media_type
from emulator.core.observe.logs import logging_config
from emulator.core.persist.state_saver import StateSaver
from emulator.core.sim.ids import IdSource
from emulator.dispatch import SANDBOX_PREFIX, ApiMount, Dispatcher
from emulator.fixtures import Fixture
from emulator.runtime import Emulator
from emulator.sandboxes import SandboxRegistry

MULTIPART = "multipart/form-data"


def smallest_body_cap(config: EmulatorConfig) -> int:
    """The least any rule of ``body_rules`` allows: bodies up to it pass every rule."""
    return min(config.max_body_bytes, config.max_upload_bytes, config.max_fixture_bytes, config.max_snapshot_bytes)


def body_rules(config: EmulatorConfig, served: tuple[ApiSpec, ...]) -> list[BodyRule]:
    """The size cap of every kind of body, each refused in the shape of the plane it was sent to.

    Sandbox paths are left to the sandbox's own app, which applies the same rules to its planes.
    """

    def api_limit(scope: Scope) -> int:
        return config.max_upload_bytes if media_type(scope) == MULTIPART else config.max_body_bytes

    def admin_limit(scope: Scope) -> int:
        path = scope.get("path", "").rstrip("/")
        if path.endswith("/fixtures"):
            return config.max_fixture_bytes
        if path.endswith("/restore"):
            return config.max_snapshot_bytes
        if path.endswith("/files"):  # a Yemot IVR-tree file put by a test: an upload
            return config.max_upload_bytes
        return config.max_body_bytes

    return [
        *(BodyRule(spec.prefix, api_limit, spec.too_large) for spec in served),
        BodyRule(apis.ADMIN_PREFIX, admin_limit, admin_too_large),
        BodyRule(SANDBOX_PREFIX, lambda scope: sys.maxsize, admin_too_large),
        BodyRule("/", lambda scope: config.max_body_bytes, admin_too_large),
    ]


def uvicorn_settings(config: EmulatorConfig) -> dict[str, Any]:
    """uvicorn options every way of serving uses: proxy trust and redacting log configuration.

    ``X-Forwarded-For`` is believed only from the proxies named in ``forwarded_allow_ips``; by
    default nobody is trusted, so the Simotel IP allowlist and the journal see the socket peer.
    """
    log_config = logging_config(config.log_level, config.log_format)
    log_config["filters"] = {"redact": {"()": "emulator.core.observe.redact.RedactingFilter"}}
    for handler in log_config["handlers"].values():
        handler["filters"] = ["redact"]
    log_config["filters"]["dropped"] = {"()": "emulator.core.http.pipeline.DroppedConnectionFilter"}
    log_config["loggers"]["uvicorn.error"]["filters"] = ["dropped"]  # a drop_connection fault, not a bug
    trusted = config.forwarded_allow_ips
    return {
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
        "log_config": log_config,
        "log_level": config.log_level,
        "access_log": False,  # replaced by one telephony_emulator.access line per API request
    }


async def tick(emulator: Emulator, sandboxes: SandboxRegistry | None = None) -> None:
    """Run scheduled events as their moment arrives (real-time mode); between requests, decode the
    fixture's world ahead of the next reset, end sandboxes idle past their TTL and give deleted
    sandboxes' memory back."""
    while True:
        await asyncio.sleep(emulator.config.tick_interval_s)
        if not emulator.clock.frozen and emulator.scheduler.run_due():
            emulator.revision += 1
        emulator.prepare_spare()
        if sandboxes is not None:
            sandboxes.expire()
            sandboxes.reclaim()


def create_app(
    config: EmulatorConfig | None = None, fixture: Fixture | None = None, ids: IdSource | None = None
) -> Dispatcher:
    """Build the emulator app; all state hangs off ``app.state.emulator``.

    The registered APIs (``emulator/apis.py``) are dispatched directly (``emulator/dispatch.py``); the
    control plane and pages go through a Starlette app behind the dispatcher, which also runs the
    lifespan. The server's root app also holds the sandboxes (``app.state.sandboxes``); a sandbox's own app holds none.
    """
    config = config or EmulatorConfig.from_env()
    emulator = Emulator(config, fixture, ids)
    sandbox_app = functools.partial(create_app, ids=emulator.ids)
    sandboxes = SandboxRegistry(config, sandbox_app, tick) if config.sandbox_id is None else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.create_task(tick(emulator, sandboxes))
        saver = StateSaver(emulator, config.state_file, config.state_interval) if config.state_file else None
        emulator.outbox.resume()
        if saver is not None:
            saver.start()
        try:
            yield
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            if sandboxes is not None:
                sandboxes.close()
            await emulator.outbox.drain(timeout=2.0)
            await emulator.outbox.aclose()
            emulator.scheduler.ground()  # (calls still waiting for a web service stop waiting)
            await emulator.service_client.aclose()
            if saver is not None:
                await saver.stop()
            if emulator.state_lock is not None:
                emulator.state_lock.release()

    app = Starlette(
        routes=[
            landing_route,
            favicon_route,
            *(Mount(spec.prefix, routes=list(spec.routes)) for spec in emulator.apis),
            Mount(apis.ADMIN_PREFIX, routes=admin_routes(emulator.apis)),
        ],
        lifespan=lifespan,
    )
    app.state.emulator = emulator
    app.state.sandboxes = sandboxes
    return Dispatcher(
        app,
        [
            ApiMount(spec.prefix, spec.endpoint, spec.param, single_segment=spec.single_segment)
            for spec in emulator.apis
        ],
        sandboxes,
        listeners=emulator.outbox.listeners,
        body_limit=lambda route: BodyLimit(route, body_rules(config, emulator.apis), floor=smallest_body_cap(config)),
        site_guard=site_guard(config),
    )
