"""The control plane answers loopback clients, or anyone with the admin token when one is set."""

from __future__ import annotations

from starlette.testclient import TestClient

from emulator.app import create_app
from emulator.config import EmulatorConfig


def _client(app, address: str) -> TestClient:
    return TestClient(app, base_url="http://localhost", client=(address, 40000))


def test_control_plane_refuses_non_loopback_clients_without_a_token():
    app = create_app(EmulatorConfig())
    with _client(app, "10.20.30.40") as remote:
        response = remote.get("/__emulator__/clock")
        assert response.status_code == 403
        assert "loopback" in response.json()["error"]
        assert remote.post("/__emulator__/reset").status_code == 403
    with _client(app, "127.0.0.1") as local, _client(app, "::1") as local6:
        assert local.get("/__emulator__/clock").status_code == 200
        assert local6.get("/__emulator__/clock").status_code == 200


def test_admin_token_is_accepted_from_any_address():
    app = create_app(EmulatorConfig(admin_token="s3cret"))
    with _client(app, "10.20.30.40") as remote:
        response = remote.get("/__emulator__/clock", headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 200
        assert set(response.json()) == {"now", "frozen"}


def test_admin_token_is_required_even_from_loopback_once_set():
    app = create_app(EmulatorConfig(admin_token="s3cret"))
    with _client(app, "127.0.0.1") as local:
        assert local.get("/__emulator__/clock").status_code == 401
        assert local.get("/__emulator__/clock", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert local.get("/__emulator__/clock", headers={"Authorization": "s3cret"}).status_code == 401


def test_the_apis_themselves_are_not_restricted_to_loopback():
    app = create_app(EmulatorConfig())
    with _client(app, "10.20.30.40") as remote:
        body = remote.get("/ym/api/GetSession", params={"token": "0773137770:1234"}).json()
        assert body["responseStatus"] == "OK"


def test_unknown_control_path_gets_a_json_404(emulator):
    response = emulator.admin.get("no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"error": "no control endpoint GET /__emulator__/no/such/thing"}
