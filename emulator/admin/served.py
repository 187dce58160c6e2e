"""The control plane's view of the APIs a running emulator serves (``emulator.apis``, fixed per emulator)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin.http import guarded, ok
from emulator.apis import ADMIN_PREFIX
from emulator.core.api import ApiSpec


def served(request: Request) -> tuple[ApiSpec, ...]:
    """The APIs the emulator behind ``request`` serves, in registry order."""
    return request.app.state.emulator.apis


def api_names(request: Request) -> tuple[str, ...]:
    return tuple(spec.name for spec in served(request))


def contract_files(emulator: Any) -> dict[str, Path]:
    """Every contract the emulator answers to, by name: each served API's, then the control plane's."""
    directory = emulator.config.contracts_dir
    return {**{spec.name: spec.contract_path(directory) for spec in emulator.apis}, "admin": directory / "admin.yaml"}


async def api_list(request: Request) -> Response:
    """``GET /apis``: every API this emulator serves, for the dashboard and clients (names, titles,
    where each is served, its docs and its contract)."""
    base = str(request.base_url).rstrip("/")
    admin = f"{base}{ADMIN_PREFIX}"
    return ok(
        {
            "apis": [
                {
                    "name": spec.name,
                    "title": spec.title,
                    "prefix": spec.prefix,
                    "url": f"{base}{spec.prefix}/",
                    "docs": f"{admin}/docs/{spec.name}",
                    "contract": f"{admin}/contracts/{spec.name}.yaml",
                    "dashboard": spec.dashboard,
                }
                for spec in served(request)
            ]
        }
    )


routes = [Route("/apis", guarded(api_list), methods=["GET"])]
