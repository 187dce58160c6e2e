"""``GET /`` (what runs here, for people and programs) and ``GET /__emulator__/health``.

Health answers every client and holds no secret. The landing page shows the default credentials
only to clients the control plane would answer (loopback, or the admin token).
"""

from __future__ import annotations

import html
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from emulator.admin.docs import favicon
from emulator.admin.http import access_refusal
from emulator.admin.routes import clock_json
from emulator.admin.served import contract_files, served
from emulator.apis import ADMIN_PREFIX
from emulator.core.api import ApiSpec
from emulator.version import __version__

HIDDEN_CREDENTIALS = "default credentials are shown to loopback clients, or with 'Authorization: Bearer <admin token>'"


async def health(request: Request) -> Response:
    emulator = request.app.state.emulator
    return JSONResponse(
        {
            "status": "ok",
            "version": __version__,
            "uptime_s": round(time.monotonic() - emulator.started, 3),
            "clock": clock_json(emulator),
        }
    )


def describe(request: Request) -> dict[str, Any]:
    """Version, base URLs, links, and the default credentials when the client may see them."""
    emulator = request.app.state.emulator
    base = str(request.base_url).rstrip("/")
    admin = f"{base}{ADMIN_PREFIX}"
    allowed = access_refusal(request) is None
    return {
        "name": "telephony-emulator",
        "version": __version__,
        "urls": {**{spec.name: f"{base}{spec.prefix}/" for spec in emulator.apis}, "control": f"{admin}/"},
        "links": {
            "dashboard": f"{admin}/ui/",
            "docs": {name: f"{admin}/docs/{name}" for name in contract_files(emulator)},
            "health": f"{admin}/health",
        },
        "credentials": emulator.default_credentials() if allowed else None,
        "credentials_note": None if allowed else HIDDEN_CREDENTIALS,
    }


def _prefers_html(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    if "text/html" not in accept:
        return False
    return "application/json" not in accept or accept.index("text/html") < accept.index("application/json")


async def landing(request: Request) -> Response:
    info = describe(request)
    if not _prefers_html(request):
        return JSONResponse(info)
    return HTMLResponse(render_landing(info, served(request)))


def _link(url: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text or url)}</a>'


def _credential_html(parts: list[tuple[str, str | None]]) -> str:
    """A credential's text with its values as code."""
    return "".join(
        html.escape(text) + ("" if value is None else f"<code>{html.escape(value)}</code>") for text, value in parts
    )


def render_landing(info: dict[str, Any], specs: tuple[ApiSpec, ...]) -> str:
    labels = {**{spec.name: f"{spec.title} API" for spec in specs}, "control": "Control plane"}
    rows = [
        f"<tr><th>{html.escape(labels[name])}</th><td><code>{html.escape(url)}</code></td></tr>"
        for name, url in info["urls"].items()
    ]
    docs = " · ".join(_link(url, name) for name, url in info["links"]["docs"].items())
    credentials = info["credentials"]
    if credentials is None:
        secret = f"<p>{html.escape(info['credentials_note'])}</p>"
    else:
        items = [
            f"<li>{_credential_html(spec.credential_parts(item))}</li>"
            for spec in specs
            for item in credentials[spec.name]
        ]
        secret = f"<ul>{''.join(items)}</ul>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>telephony-emulator {html.escape(info["version"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="{ADMIN_PREFIX.lstrip("/")}/icons/favicon.svg">
<style>body{{font:15px system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2330}}
th{{text-align:left;padding-right:1rem}}code{{background:#eef1f6;padding:0 .25rem;border-radius:3px}}</style>
</head><body>
<h1>telephony-emulator <small>{html.escape(info["version"])}</small></h1>
<p>{html.escape(" and ".join(spec.title for spec in specs))}, emulated with state, a clock and a journal.</p>
<table>{"".join(rows)}</table>
<h2>Look and try</h2>
<ul><li>{_link(info["links"]["dashboard"], "Dashboard")}: clock, systems, phones, calls, SMS, journal, faults</li>
<li>API docs (Swagger UI): {docs}</li>
<li>{_link(info["links"]["health"], "Health")}</li></ul>
<h2>Default credentials</h2>
{secret}
</body></html>
"""


landing_route = Route("/", landing, methods=["GET"])
favicon_route = Route("/favicon.ico", favicon, methods=["GET"])  # what browsers ask for unbidden
routes = [Route("/health", health, methods=["GET"])]
