"""The control plane and pages against other sites: rebound Host names, foreign origins, simple bodies."""

from __future__ import annotations

import pytest
from conftest import TOKEN, Wire

from emulator.admin.sites import HostRules

EVIL = "http://evil.example"
HOST_REFUSED = (
    "control plane and pages answer this server's own names, not Host 'evil.example'; "
    "start with --allowed-hosts to add names (docs/security.md)"
)


def test_a_rebound_host_name_gets_neither_state_nor_credentials(wire: Wire):
    response = wire.admin.get("state", headers={"Host": "evil.example"})
    assert (response.status_code, response.json()) == (403, {"error": HOST_REFUSED})
    assert "1234" not in response.text
    landing = wire.raw.get("/", headers={"Host": "evil.example", "Accept": "application/json"})
    assert landing.status_code == 403
    for page in ("ui/", "docs/", "docs/yemot.json"):
        assert wire.admin.get(page, headers={"Host": "evil.example"}).status_code == 403, page


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "app.localhost:{port}", "[::1]"])
def test_loopback_names_and_addresses_are_this_server(wire: Wire, host: str):
    response = wire.admin.get("clock", headers={"Host": host.format(port=wire.port)})
    assert response.status_code == 200, response.text


def test_the_apis_answer_any_host_name_as_behind_a_proxy_or_compose_service(wire: Wire):
    response = wire.yemot.get("GetSession", params={"token": TOKEN}, headers={"Host": "emulator-1:8080"})
    assert response.json()["responseStatus"] == "OK"
    ping = wire.simotel.put("setting/ping/act", json={}, headers={"Host": "pbx.internal"})
    assert ping.json()["success"] == 1


def test_allowed_hosts_add_names_and_suffixes(wire_factory):
    wire = wire_factory(allowed_hosts=("emulator:8080", ".ci.example"))
    for host in ("emulator:8080", "EMULATOR", "a.ci.example", "b.a.ci.example."):
        assert wire.admin.get("clock", headers={"Host": host}).status_code == 200, host
    for host in ("ci.example.evil", "emulatorx", "ci.example"):
        assert wire.admin.get("clock", headers={"Host": host}).status_code == 403, host
    anything = wire_factory(allowed_hosts=("*",))
    assert anything.admin.get("clock", headers={"Host": "whatever.example"}).status_code == 200


def test_host_rules_of_the_listen_address():
    wildcard = HostRules("0.0.0.0", ())
    assert wildcard.allows("10.1.2.3:8080") and wildcard.allows("[fe80::1]:80")
    assert not wildcard.allows("evil.example")
    bound = HostRules("10.0.0.5", ())
    assert bound.allows("10.0.0.5:8080") and bound.allows("127.0.0.2") and not bound.allows("10.0.0.6")
    named = HostRules("emulator.lan", ())
    assert named.allows("emulator.lan:8080") and not named.allows("emulator.lan.evil.example")


def test_a_sandbox_control_plane_checks_host_while_its_apis_do_not(wire: Wire):
    created = wire.admin.post("sandboxes", json={"id": "site-check"}).json()
    try:
        auth = {"Authorization": f"Bearer {created['token']}"}
        inner = wire.raw.get("/sb/site-check/__emulator__/clock", headers={**auth, "Host": "evil.example"})
        assert (inner.status_code, inner.json()) == (403, {"error": HOST_REFUSED})
        api = wire.raw.get("/sb/site-check/ym/api/GetSession", params={"token": TOKEN}, headers={"Host": "node-2"})
        assert api.json()["responseStatus"] == "OK"
    finally:
        wire.admin.delete("sandboxes/site-check")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Origin": "http://localhost:1"},  # another local page: same site, another origin
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_state_changing_requests_from_another_origin_are_refused(wire: Wire, headers: dict[str, str]):
    response = wire.admin.post("clock", json={"freeze": True, "set": "2030-01-01T00:00:00Z"}, headers=headers)
    assert response.status_code == 403
    (name, value), *_ = headers.items()
    error = f"control plane refuses state-changing requests from another origin ({name}: {value})"
    assert response.json() == {"error": error}
    assert wire.admin.post("reset", headers=headers).status_code == 403
    assert wire.admin.delete("faults", headers=headers).status_code == 403
    assert wire.control.clock()["frozen"] is False
    assert wire.admin.get("clock", headers=headers).status_code == 200  # reading is not changing


def test_the_pages_own_origin_may_change_state(wire: Wire):
    own = {"Origin": wire.urls.base, "Sec-Fetch-Site": "same-origin"}
    assert wire.admin.post("clock", json={"freeze": True}, headers=own).status_code == 200
    local = {"Origin": f"http://localhost:{wire.port}", "Host": f"localhost:{wire.port}"}
    assert wire.admin.post("reset", headers=local).status_code == 200
    assert wire.admin.post("reset", headers={"Sec-Fetch-Site": "none"}).status_code == 200  # typed in the address bar


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_simple_request_bodies_never_change_state(wire: Wire, content_type: str):
    body = b'{"freeze": true, "set": "2030-01-01T00:00:00Z"}'
    response = wire.admin.post("clock", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 415
    kind = content_type.split(";")[0].lower()
    assert response.json() == {
        "error": f"control plane takes application/json bodies, not {kind} "
        "(types a page on another site could send without asking are refused)"
    }
    assert wire.admin.post("fixtures", content=b"seed: 4\n", headers={"Content-Type": content_type}).status_code == 415
    assert wire.control.clock()["frozen"] is False


def test_fixtures_take_yaml_and_programs_may_post_untyped_bodies(wire: Wire):
    for content_type in ("application/yaml", "text/yaml", "application/x-yaml"):
        response = wire.admin.post("fixtures", content=b"seed: 4\n", headers={"Content-Type": content_type})
        assert response.status_code == 200, content_type
    assert wire.admin.post("fixtures", content=b"seed: 4\n").status_code == 200  # no type, no browser headers
    from_page = wire.admin.post("fixtures", content=b"seed: 4\n", headers={"Origin": wire.urls.base})
    assert from_page.status_code == 415
    merge = wire.admin.post("clock", content=b'{"advance": 1}', headers={"Content-Type": "application/merge+json"})
    assert merge.status_code == 200


def test_allowed_hosts_come_from_the_command_line_or_the_environment():
    from emulator.cli import _parser
    from emulator.config import EmulatorConfig

    args = _parser().parse_args(["serve", "--allowed-hosts", "emulator, .svc.cluster.local,"])
    assert args.allowed_hosts == ("emulator", ".svc.cluster.local")
    config = EmulatorConfig.from_env({"EMULATOR_ALLOWED_HOSTS": "proxy,*"})
    assert config.allowed_hosts == ("proxy", "*")
    assert EmulatorConfig.from_env({}).allowed_hosts == ()
