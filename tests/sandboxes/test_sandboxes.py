"""Sandboxes over a real socket: lifecycle, isolation, tokens, TTL, cap, and clients on a prefix."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
import pytest

from emulator.app import create_app
from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread
from emulator.testing.receiver import Receiver

ADMIN = "s3cret"
YEMOT_TOKEN = "0773137770:1234"
SIMOTEL_KEY = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"


@pytest.fixture
def server():
    config = EmulatorConfig.from_env({}, admin_token=ADMIN, max_sandboxes=3, tick_interval_s=0.05)
    with (
        serve_in_thread(config) as urls,
        httpx.Client(base_url=urls.base, timeout=10, headers={"Authorization": f"Bearer {ADMIN}"}) as admin,
    ):
        yield urls, admin


def create(admin: httpx.Client, **spec) -> dict:
    response = admin.post("/__emulator__/sandboxes", json=spec)
    assert response.status_code == 201, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ping_webhook(made: dict, receiver: Receiver) -> list:
    """Point the sandbox's Simotel webhook at ``receiver``, fire its Ping event, wait for the delivery."""
    settings = {"webhook": {"url": receiver.url, "method": "G4", "events": ["Ping"]}}
    put = httpx.put(f"{made['urls']['admin']}simotel/settings", json=settings, headers=bearer(made["token"]))
    assert put.status_code == 200, put.text
    httpx.put(
        f"{made['urls']['simotel']}setting/ping/act",
        json={},
        auth=("test", "Aa123456"),
        headers={"X-APIKEY": SIMOTEL_KEY},
    )
    return receiver.wait_for(1)


def test_create_answers_201_with_id_token_and_prefixed_urls(server):
    urls, admin = server
    made = create(admin, fixtures="default", seed=3, ttl_s=60)
    base = f"{urls.base}/sb/{made['id']}"
    assert made["urls"] == {"yemot": f"{base}/ym/api/", "simotel": f"{base}/api/v4/", "admin": f"{base}/__emulator__/"}
    assert len(made["token"]) >= 24 and made["ttl_s"] == 60
    answer = httpx.get(f"{made['urls']['yemot']}GetCustomerData", params={"token": YEMOT_TOKEN}).json()
    assert (answer["responseStatus"], answer["mainDid"]) == ("OK", "0773137770")
    ping = httpx.put(
        f"{made['urls']['simotel']}setting/ping/act",
        json={},
        auth=("test", "Aa123456"),
        headers={"X-APIKEY": SIMOTEL_KEY},
    )
    assert ping.status_code == 200 and ping.json()["success"] == 1


def test_state_clock_and_journal_are_isolated_between_sandboxes_and_root(server):
    urls, admin = server
    one, two = create(admin), create(admin)
    sms = {"token": YEMOT_TOKEN, "phones": "0527777701", "message": "only in one"}
    assert httpx.post(f"{one['urls']['yemot']}SendSms", data=sms).json()["responseStatus"] == "OK"
    httpx.post(f"{one['urls']['admin']}clock", json={"set": "2030-01-01T00:00:00Z"}, headers=bearer(one["token"]))

    def units(made):
        return httpx.get(f"{made['urls']['yemot']}GetCustomerData", params={"token": YEMOT_TOKEN}).json()["units"]

    root_units = httpx.get(f"{urls.yemot}GetCustomerData", params={"token": YEMOT_TOKEN}).json()["units"]
    assert units(one) < units(two) == root_units
    journal_one = httpx.get(f"{one['urls']['admin']}journal", headers=bearer(one["token"])).json()
    journal_two = httpx.get(f"{two['urls']['admin']}journal", headers=bearer(two["token"])).json()
    ops_one = [entry["operation"] for entry in journal_one["entries"]]
    ops_two = [entry["operation"] for entry in journal_two["entries"]]
    assert "SendSms" in ops_one and "SendSms" not in ops_two
    clock_one = httpx.get(f"{one['urls']['admin']}clock", headers=bearer(one["token"])).json()["now"]
    clock_two = httpx.get(f"{two['urls']['admin']}clock", headers=bearer(two["token"])).json()["now"]
    assert clock_one.startswith("2030-01-01") and not clock_two.startswith("2030")
    root_journal = admin.get("/__emulator__/journal").json()["entries"]
    assert all(entry["operation"] != "SendSms" for entry in root_journal)


def test_a_sandbox_token_reaches_only_its_own_sandbox(server):
    urls, admin = server
    one, two = create(admin), create(admin)
    assert httpx.get(f"{two['urls']['admin']}journal", headers=bearer(one["token"])).status_code == 401
    assert httpx.post(f"{two['urls']['admin']}reset", headers=bearer(one["token"])).status_code == 401
    assert httpx.post(f"{urls.admin}reset", headers=bearer(one["token"])).status_code == 401
    assert httpx.get(f"{urls.admin}sandboxes", headers=bearer(one["token"])).status_code == 401
    # No token at all is refused in a sandbox even from loopback; the server's admin token reaches all.
    assert httpx.get(f"{one['urls']['admin']}clock").status_code == 401
    assert httpx.get(f"{one['urls']['admin']}clock", headers=bearer(ADMIN)).status_code == 200
    assert httpx.get(f"{one['urls']['admin']}clock", headers=bearer(one["token"])).status_code == 200


def test_list_and_delete(server):
    urls, admin = server
    made = create(admin, ttl_s=30)
    httpx.get(f"{made['urls']['yemot']}GetCustomerData", params={"token": YEMOT_TOKEN})
    listed = admin.get("/__emulator__/sandboxes").json()
    [entry] = [s for s in listed["sandboxes"] if s["id"] == made["id"]]
    assert entry["requests"] == 1 and entry["ttl_s"] == 30 and entry["approx_bytes"] > 1000
    assert entry["age_s"] >= entry["idle_s"] >= 0
    assert admin.delete(f"/__emulator__/sandboxes/{made['id']}").json() == {"deleted": made["id"]}
    gone = httpx.get(f"{made['urls']['yemot']}GetCustomerData", params={"token": YEMOT_TOKEN})
    assert gone.status_code == 404
    assert gone.json()["sandbox"] == made["id"] and made["id"] in gone.json()["error"]
    assert admin.delete(f"/__emulator__/sandboxes/{made['id']}").status_code == 404


def test_idle_sandboxes_expire_after_their_ttl_on_the_wall_clock(server):
    urls, admin = server
    short, long = create(admin, ttl_s=0.3), create(admin, ttl_s=60)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        ids = {s["id"] for s in admin.get("/__emulator__/sandboxes").json()["sandboxes"]}
        if short["id"] not in ids:
            break
        time.sleep(0.05)
    assert short["id"] not in ids and long["id"] in ids


def test_the_cap_answers_429(server):
    urls, admin = server
    for _ in range(3):
        create(admin)
    refused = admin.post("/__emulator__/sandboxes", json={})
    assert refused.status_code == 429 and "3 sandboxes" in refused.json()["error"]


@pytest.mark.parametrize(
    ("spec", "status", "fragment"),
    [
        ({"fixtures": "no-such"}, 400, "no shipped fixture named 'no-such'"),
        ({"fixtures": {"yemot": {"systems": [{"number": 5}]}}}, 400, "yemot.systems.0.number"),
        ({"seed": "x"}, 400, "seed must be an integer"),
        ({"ttl_s": -1}, 400, "ttl_s"),
        ({"colour": "red"}, 400, "unknown sandbox field(s): colour"),
        ({"id": "../etc"}, 400, "sandbox id"),
    ],
)
def test_bad_sandbox_requests_are_refused_with_reasons(server, spec, status, fragment):
    urls, admin = server
    refused = admin.post("/__emulator__/sandboxes", json=spec)
    assert refused.status_code == status and fragment in refused.text


def test_inline_fixture_and_client_chosen_id(server):
    urls, admin = server
    fixture = {"yemot": {"systems": [{"number": "0771111111", "password": "9", "units": 7}]}}
    made = admin.post("/__emulator__/sandboxes?id=job-42", json={"fixtures": fixture}).json()
    assert made["id"] == "job-42"
    data = httpx.get(f"{made['urls']['yemot']}GetCustomerData", params={"token": "0771111111:9"}).json()
    assert data["units"] == 7
    assert admin.post("/__emulator__/sandboxes?id=job-42", json={}).status_code == 409


def test_deliveries_name_the_sandbox_they_came_from(server):
    urls, admin = server
    made = create(admin)
    with Receiver() as receiver:
        [hit] = ping_webhook(made, receiver)
    assert {k.lower(): v for k, v in hit.headers.items()}["x-emulator-sandbox"] == made["id"]


def test_python_clients_work_unchanged_on_a_sandbox_prefix(server):
    yemot = pytest.importorskip("yemot")
    yemot_api = pytest.importorskip("yemot_api.yemot_api")
    simotel_connect = pytest.importorskip("simotel_connect")
    urls, admin = server
    made = create(admin)
    client = yemot.Client("0773137770", "1234", base_url=made["urls"]["yemot"].rstrip("/"))
    assert client.get("GetCustomerData")["mainDid"] == "0773137770"
    client.close()
    api = yemot_api.Yemot(YEMOT_TOKEN)
    api.BASE_URL = made["urls"]["yemot"]
    assert api.get_customer_data().main_did == "0773137770"
    parts = urlsplit(urls.base)
    sm = simotel_connect.Simotel(
        host=f"{parts.hostname}:{parts.port}/sb/{made['id']}", port=80, scheme="http",
        username="test", password="Aa123456", api_key=SIMOTEL_KEY,
    )  # fmt: skip
    sm._client.debug = False
    users = sm.pbx.users.search()
    assert users.success and users.data
    journal = httpx.get(f"{made['urls']['admin']}journal", headers=bearer(made["token"])).json()["entries"]
    assert {"GetCustomerData", "pbx/users/search"} <= {entry["operation"] for entry in journal}


def test_deleting_a_sandbox_closes_its_delivery_client():
    config = EmulatorConfig.from_env({}, admin_token=ADMIN, tick_interval_s=0.05)
    app = create_app(config)
    with (
        serve_in_thread(config, app) as urls,
        httpx.Client(base_url=urls.base, timeout=10, headers=bearer(ADMIN)) as admin,
        Receiver() as receiver,
    ):
        made = create(admin)
        outbox = app.state.sandboxes.get(made["id"]).emulator.outbox
        ping_webhook(made, receiver)
        sender = outbox._sender
        assert sender is not None and sender._session is not None, "the delivery opened the sandbox's client"
        session = sender._session
        assert admin.delete(f"/__emulator__/sandboxes/{made['id']}").status_code == 200
        deadline = time.monotonic() + 5
        while not session.closed and time.monotonic() < deadline:
            time.sleep(0.02)
        assert outbox._sender is None and session.closed
