"""Emulator settings, from arguments or ``EMULATOR_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import httpx

from emulator.home import data_dir

MIB = 1024 * 1024


def default_contracts_dir() -> Path:
    """The shipped contracts (see ``emulator.home`` for where they are looked up)."""
    return data_dir("contracts")


def default_fixtures_file() -> Path:
    """The shipped default fixture."""
    return data_dir("fixtures") / "default.yaml"


class SettingError(ValueError):
    """A setting the emulator cannot run with; the message names it."""


AT_LEAST_ONE = ("max_exchanges_per_tenant", "call_max_steps", "call_max_seconds", "call_max_wait_seconds")
"""Settings below 1 would end every simulated call at once, or let none reach its service."""


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    fixtures: Path = field(default_factory=default_fixtures_file)
    contracts_dir: Path = field(default_factory=default_contracts_dir)
    seed: int | None = None
    admin_token: str | None = None
    strict: bool = False
    log_level: str = "info"
    log_format: str = "text"
    state_file: Path | None = None
    state_interval: float = 5.0
    frozen_at: float | None = None
    tick_interval_s: float = 0.2
    outbox_transport: httpx.AsyncBaseTransport | None = None
    ivr_transport: httpx.BaseTransport | None = None  # how simulated calls reach IVR web services
    outbox_backoff_base_s: float = 0.5
    # Size caps, in bytes, answered with 413 before a body is buffered (see docs/security.md).
    max_body_bytes: int = 4 * MIB
    max_upload_bytes: int = 64 * MIB
    max_snapshot_bytes: int = 256 * MIB  # the state budget: restore body, snapshot and state file (state_budget.py)
    # What the request journal may hold in all (its entries' JSON plus a fixed overhead each).
    max_journal_bytes: int = 64 * MIB
    # Outbound deliveries: concurrency, connections, waiting deliveries and finished ones kept.
    outbox_max_concurrency: int = 16
    outbox_max_connections: int = 20
    outbox_max_pending: int = 5_000
    outbox_retention: int = 1_000
    # Simulated calls (see docs/architecture.md, execution model): a tenant's web-service exchanges in
    # flight at once, and each call's budgets of engine steps, emulator seconds and real seconds spent
    # waiting for its services (``emulator.core.sim.budgets``).
    max_exchanges_per_tenant: int = 100
    call_max_steps: int = 5_000
    call_max_seconds: int = 86_400
    call_max_wait_seconds: int = 600
    # Proxies whose X-Forwarded-For is believed (uvicorn's --forwarded-allow-ips); None trusts nobody.
    forwarded_allow_ips: str | None = None
    # Host names the control plane and pages answer to besides loopback names and the listen
    # address (``.example.com`` matches subdomains, ``*`` any name); see emulator/admin/sites.py.
    allowed_hosts: tuple[str, ...] = ()
    # Sandboxes (``/sb/<id>/``): how many one server holds, and how long an idle one lives.
    max_sandboxes: int = 1000
    sandbox_ttl_s: float = 3600.0
    max_fixture_bytes: int = 2_000_000
    # GET /__emulator__/snapshot encodes in a forked child (a copy-on-write image of that instant),
    # so the server keeps answering meanwhile; off, or where fork is missing, it encodes in place.
    snapshot_in_child: bool = True
    # Set on a sandbox's own emulator: its id, the server's admin token also accepted there, and no
    # control-plane access on loopback alone.
    sandbox_id: str | None = None
    extra_admin_tokens: tuple[str, ...] = ()
    loopback_trusted: bool = True
    # ``serve --playback DIR``: answers recorded in DIR served in front of the emulator (docs/parity.md).
    playback: Path | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> EmulatorConfig:
        """Defaults, then ``EMULATOR_<NAME>`` variables, then explicit (non-None) overrides."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = environ.get(f"EMULATOR_{spec.name.upper()}")
            if raw is not None and spec.name in _PARSERS:
                try:
                    values[spec.name] = _PARSERS[spec.name](raw)
                except ValueError as exc:
                    raise SettingError(f"EMULATOR_{spec.name.upper()}={raw!r} is not a valid value") from exc
        values.update({key: value for key, value in overrides.items() if value is not None})
        for name in AT_LEAST_ONE:
            if name in values and values[name] < 1:
                raise SettingError(f"{name.replace('_', '-')} must be at least 1 (not {values[name]})")
        return cls(**values)


def host_list(raw: str) -> tuple[str, ...]:
    """``"a.example, .b.example"`` -> ``("a.example", ".b.example")``."""
    return tuple(name.strip() for name in raw.split(",") if name.strip())


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


_PARSERS = {
    "host": str,
    "port": int,
    "fixtures": Path,
    "contracts_dir": Path,
    "seed": int,
    "admin_token": str,
    "strict": _bool,
    "log_level": str,
    "log_format": str,
    "state_file": Path,
    "state_interval": float,
    "max_body_bytes": int,
    "max_upload_bytes": int,
    "max_fixture_bytes": int,
    "max_snapshot_bytes": int,
    "max_journal_bytes": int,
    "outbox_max_concurrency": int,
    "outbox_max_connections": int,
    "outbox_max_pending": int,
    "outbox_retention": int,
    "max_exchanges_per_tenant": int,
    "call_max_steps": int,
    "call_max_seconds": int,
    "call_max_wait_seconds": int,
    "forwarded_allow_ips": str,
    "allowed_hosts": host_list,
    "max_sandboxes": int,
    "sandbox_ttl_s": float,
    "snapshot_in_child": _bool,
    "playback": Path,
}
