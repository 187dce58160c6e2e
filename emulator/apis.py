"""The APIs this server emulates: the one place that lists them (the composition root).

Everything that serves, stores or shows every API (runtime, app, World, fixtures, control plane,
dashboard, contract check) iterates ``registered()``; none names an API. A test may ``register`` an
API of its own (``tests/registry/``) and ``unregister`` it after; see "How to add an API" in
``docs/architecture.md``.
"""

from __future__ import annotations

from emulator.core.api import ApiSpec
from emulator.core.sim import phones
from emulator.simotel.api import SPEC as SIMOTEL
from emulator.yemot.api import SPEC as YEMOT

APIS: tuple[ApiSpec, ...] = (YEMOT, SIMOTEL)
"""The shipped APIs, in the order the World, the fixture and every listing show them."""

ADMIN_PREFIX = "/__emulator__"
"""Where the control plane is served (not an API: it is every API's test door)."""

_registered: list[ApiSpec] = list(APIS)


def registered() -> tuple[ApiSpec, ...]:
    """Every API served now: the shipped ones, then any a test registered."""
    return tuple(_registered)


def names() -> tuple[str, ...]:
    """The names of the APIs served now."""
    return tuple(spec.name for spec in _registered)


def named(name: str) -> ApiSpec:
    """The API called ``name`` (KeyError when none is)."""
    for spec in _registered:
        if spec.name == name:
            return spec
    raise KeyError(name)


def prefixes(specs: tuple[ApiSpec, ...] | None = None) -> dict[str, str]:
    """Each API's path prefix (of ``specs``, default the registered ones), and the control plane's
    under ``admin``."""
    return {**{spec.name: spec.prefix for spec in (specs or registered())}, "admin": ADMIN_PREFIX}


def register(spec: ApiSpec) -> None:
    """Serve ``spec`` too, in emulators created from now on (its name must be new)."""
    if spec.name in names() or spec.name in ("admin", "scheduler", "telephony"):
        raise ValueError(f"an API named {spec.name!r} is already registered or the name is taken")
    _registered.append(spec)
    phones.accept(spec.name, spec.number_kinds)


def unregister(name: str) -> None:
    """Stop serving the API ``name`` in emulators created from now on (the shipped ones stay)."""
    if name in (spec.name for spec in APIS):
        raise ValueError(f"{name!r} is a shipped API")
    _registered.remove(named(name))


for _spec in APIS:
    phones.accept(_spec.name, _spec.number_kinds)
