"""Landing page, health, Swagger UI pages and the dashboard's files: served offline, secrets guarded."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from emulator import __version__
from emulator.app import create_app
from emulator.config import EmulatorConfig

STATIC = Path(__file__).resolve().parents[2] / "emulator" / "admin" / "static"


def _client(app, address: str = "127.0.0.1") -> TestClient:
    return TestClient(app, base_url="http://localhost", client=(address, 40000))


@pytest.fixture(scope="module")
def app():
    return create_app(EmulatorConfig(strict=True))


def test_health_answers_any_client_without_secrets(app):
    with _client(app, "203.0.113.9") as remote:
        response = remote.get("/__emulator__/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "version", "uptime_s", "clock"}
    assert (body["status"], body["version"]) == ("ok", __version__)
    assert isinstance(body["uptime_s"], float) and body["uptime_s"] >= 0
    assert set(body["clock"]) == {"now", "frozen"}
    assert "1234" not in response.text and "Aa123456" not in response.text


def test_health_needs_no_token_even_when_the_control_plane_does():
    with _client(create_app(EmulatorConfig(admin_token="s3cret")), "203.0.113.9") as remote:
        assert remote.get("/__emulator__/health").json()["status"] == "ok"
        assert remote.get("/__emulator__/clock").status_code == 401


def test_landing_as_json_lists_urls_links_and_default_credentials(app):
    with _client(app) as local:
        response = local.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == __version__
    assert body["urls"] == {
        "yemot": "http://localhost/ym/api/",
        "simotel": "http://localhost/api/v4/",
        "control": "http://localhost/__emulator__/",
    }
    assert body["links"]["dashboard"] == "http://localhost/__emulator__/ui/"
    assert body["links"]["docs"]["simotel"] == "http://localhost/__emulator__/docs/simotel"
    assert body["credentials"]["yemot"][0] == {"number": "0773137770", "password": "1234", "token": "0773137770:1234"}
    assert body["credentials"]["simotel"][0]["username"] == "test"
    assert body["credentials"]["simotel"][0]["api_key"].startswith("vZKtIKWsld0egNlkzHo8i5LV")


def test_landing_as_html_for_browsers(app):
    with _client(app) as local:
        response = local.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<a href="http://localhost/__emulator__/ui/">Dashboard</a>' in response.text
    assert "<code>0773137770:1234</code>" in response.text
    assert 'href="http://localhost/__emulator__/docs/yemot">yemot</a>' in response.text


def test_landing_hides_credentials_from_clients_the_control_plane_would_refuse(app):
    with _client(app, "203.0.113.9") as remote:
        body = remote.get("/", headers={"Accept": "application/json"}).json()
        page = remote.get("/", headers={"Accept": "text/html"}).text
    assert body["credentials"] is None and "loopback" in body["credentials_note"]
    assert "1234" not in page and "Aa123456" not in page


@pytest.mark.parametrize("name", ["yemot", "simotel", "admin"])
def test_swagger_page_and_its_assets_are_served_from_installed_files(app, name):
    with _client(app) as local:
        page = local.get(f"/__emulator__/docs/{name}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert "swagger-ui/swagger-ui-bundle.js" in assets and "static/swagger.js" in assets
        for asset in assets:
            if asset.startswith("data:"):
                continue
            assert not asset.startswith(("http:", "https:", "//")), f"{asset} is not served by the emulator"
            response = local.get(f"/__emulator__/docs/{asset}")
            assert response.status_code == 200, asset
        bundle = local.get("/__emulator__/docs/swagger-ui/swagger-ui-bundle.js")
        assert "javascript" in bundle.headers["content-type"] and len(bundle.content) > 500_000


def test_swagger_spec_points_try_it_out_at_the_emulator(app):
    with _client(app) as local:
        spec = local.get("/__emulator__/docs/simotel.json").json()
        assert spec["openapi"].startswith("3.1")
        assert spec["servers"] == [{"url": "http://localhost", "description": "this emulator"}]
        assert "/api/v4/pbx/users/add" in spec["paths"]
        assert local.get("/__emulator__/docs/nothing.json").status_code == 404
        assert local.get("/__emulator__/docs/nothing").status_code == 404
        assert local.get("/__emulator__/docs", follow_redirects=False).headers["location"].endswith("/docs/")
        assert "Swagger UI for each contract" in local.get("/__emulator__/docs/").text
    with _client(app, "203.0.113.9") as remote:
        assert remote.get("/__emulator__/docs/simotel.json").status_code == 403


def test_dashboard_files_are_static_modules_that_all_resolve(app):
    """Every module the dashboard imports is served; nothing is fetched from outside the emulator."""
    with _client(app, "203.0.113.9") as remote:  # the page itself holds no secret
        index = remote.get("/__emulator__/ui/")
        assert index.status_code == 200 and "<title>telephony-emulator dashboard</title>" in index.text
        assert remote.get("/__emulator__/ui", follow_redirects=False).status_code == 307
        seen, queue = set(), ["app.js", "style.css"]
        while queue:
            name = queue.pop()
            if name in seen:
                continue
            seen.add(name)
            response = remote.get(f"/__emulator__/ui/{name}")
            assert response.status_code == 200, name
            for target in re.findall(r'from "(\.[^"]+)"', response.text):
                queue.append(posixpath.normpath(posixpath.join(posixpath.dirname(name), target)))
        assert {"app.js", "api.js", "dom.js", "views/journal.js", "views/phones.js"} <= seen
        assert remote.get("/__emulator__/state").status_code == 403
    for path in STATIC.rglob("*"):
        if path.suffix in {".js", ".html", ".css"}:
            assert not re.search(r"https?://", path.read_text(encoding="utf-8")), f"{path.name} refers outside"


def test_a_single_fault_can_be_removed(emulator):
    first = emulator.fault(api="yemot", operation="SendSms", status=500)
    second = emulator.fault(api="yemot", operation="GetSession", status=500)
    assert emulator.control("DELETE", f"faults/{first['id']}") == {"id": first["id"], "removed": True}
    assert [fault["id"] for fault in emulator.control("GET", "faults")["faults"]] == [second["id"]]
    assert emulator.admin.delete(f"faults/{first['id']}").status_code == 400


def test_the_favicon_is_served_and_every_page_links_it(app):
    with _client(app, "203.0.113.9") as remote:  # pages and icons hold no secret: any client
        ico = remote.get("/favicon.ico")
        assert (ico.status_code, ico.headers["content-type"]) == (200, "image/x-icon")
        assert ico.content[:6] == b"\0\0\1\0\1\0" and ico.content[22:30] == b"\x89PNG\r\n\x1a\n"  # one PNG icon
        svg = remote.get("/__emulator__/icons/favicon.svg")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.text.startswith("<svg ")
        for page in ("/", "/__emulator__/ui/", "/__emulator__/docs/", "/__emulator__/docs/yemot"):
            text = remote.get(page, headers={"Accept": "text/html"}).text
            link = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', text)
            assert link, page
            assert posixpath.normpath(posixpath.join(posixpath.dirname(page), link.group(1))) == (
                "/__emulator__/icons/favicon.svg"
            ), page
