"""API docs: Swagger UI pages for the three contracts, served offline from installed files.

The Swagger UI assets come from the ``swagger-ui-bundle-v2`` distribution (Swagger UI 5, which reads
OpenAPI 3.1); the pages and their initializer ship in ``emulator/admin/static/docs``. The contract
each page shows is served with ``servers`` set to the address the browser used, so "Try it out"
calls this emulator.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from emulator.admin.http import guarded, ok
from emulator.admin.served import contract_files
from emulator.core.http.contracts import SAFE_LOADER

STATIC = Path(__file__).parent / "static"
ICONS = STATIC / "icons"
ICON_CACHE = {"Cache-Control": "public, max-age=86400"}


async def _with_slash(request: Request) -> Response:
    """``/docs`` -> ``/docs/`` (the pages' relative links need the slash)."""
    return RedirectResponse(str(request.url.replace(path=request.url.path + "/", query="")), status_code=307)


async def favicon(request: Request) -> Response:
    """The icon as an ICO (a 32x32 PNG inside), for ``/favicon.ico``; the pages link the SVG."""
    return FileResponse(ICONS / "favicon.ico", media_type="image/x-icon", headers=ICON_CACHE)


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "docs" / "index.html")


async def page(request: Request) -> Response:
    docs = contract_files(request.app.state.emulator)
    if request.path_params["name"] not in docs:
        return JSONResponse({"error": f"no API docs named {request.path_params['name']!r}; try {', '.join(docs)}"}, 404)
    return FileResponse(STATIC / "docs" / "swagger.html")


async def spec(request: Request) -> Response:
    """The contract as JSON, its ``servers`` pointing at the address this request came to."""
    name = request.path_params["name"]
    docs = contract_files(request.app.state.emulator)
    path = docs.get(name)
    if path is None or not path.exists():
        return ok({"error": f"no contract named {name!r}; try {', '.join(docs)}"}, status=404)
    document = {**_parsed(path, path.stat().st_mtime)}
    document["servers"] = [{"url": str(request.base_url).rstrip("/"), "description": "this emulator"}]
    return ok(document)


@lru_cache(maxsize=8)
def _parsed(path: Path, mtime: float) -> dict[str, Any]:
    """A contract file parsed once while unchanged (libyaml's loader when present: several times faster)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


routes = [
    Route("/docs", _with_slash, methods=["GET"]),
    Route("/docs/", index, methods=["GET"]),
    Mount("/docs/swagger-ui", app=StaticFiles(directory=str(swagger_ui_path))),
    Mount("/docs/static", app=StaticFiles(directory=STATIC / "docs")),
    Route("/docs/{name}.json", guarded(spec), methods=["GET"]),
    Route("/docs/{name}", page, methods=["GET"]),
    Mount("/icons", app=StaticFiles(directory=ICONS)),
    Route("/ui", _with_slash, methods=["GET"]),
    Mount("/ui", app=StaticFiles(directory=STATIC / "ui", html=True)),
]
