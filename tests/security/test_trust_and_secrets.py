"""Defects 8 and 9: X-Forwarded-For is not believed by default; secrets never appear in clear."""

from __future__ import annotations

import httpx
import pytest
from conftest import SIMOTEL_KEY, TOKEN, Wire, logged_within

ALLOW_TEN = {"allow_all_ips": False, "allowed_ips": ["10.0.0.0/8"]}


def _ping(wire: Wire, **headers: str) -> httpx.Response:
    return wire.simotel.put("setting/ping/act", json={}, headers=headers)


def test_x_forwarded_for_does_not_pass_the_simotel_allowlist_by_default(wire: Wire):
    wire.control.simotel_settings(**ALLOW_TEN)
    response = _ping(wire, **{"X-Forwarded-For": "10.1.2.3"})
    assert response.status_code == 403
    assert response.json() == {"success": 0, "message": "IP is not permitted", "data": None}
    assert wire.control.journal()[-1]["client"] == "127.0.0.1"


def test_x_forwarded_for_is_believed_only_from_named_proxies(wire_factory):
    wire = wire_factory(forwarded_allow_ips="127.0.0.1")
    wire.control.simotel_settings(**ALLOW_TEN)
    assert _ping(wire, **{"X-Forwarded-For": "10.1.2.3"}).status_code == 200
    assert wire.control.journal()[-1]["client"] == "10.1.2.3"
    assert _ping(wire, **{"X-Forwarded-For": "192.168.1.1"}).status_code == 403


def test_the_journal_redacts_passwords_and_credentials(wire: Wire):
    wire.yemot.post("Login", json={"username": "0773137770", "password": "secret-password"})
    [login] = wire.control.journal(operation="Login")
    assert login["params"] == {"username": "0773137770", "password": "***rd"}
    assert "secret-password" not in wire.admin.get("journal").text


def test_the_access_log_redacts_tokens_in_query_strings(wire_factory, capfd):
    wire = wire_factory(server_log_level="info")
    capfd.readouterr()
    assert wire.yemot.get("GetSession", params={"token": TOKEN}).status_code == 200
    assert wire.yemot.get("GetSession", params={"token": "0773137770:abcdef"}).status_code == 200
    logged = logged_within(capfd, "outcome=FORBIDDEN")  # lines are written in batches, within 50 ms
    # The access log is one telephony_emulator.access line per request: no path, query or token in it.
    assert "api=yemot operation=GetSession tenant=0773137770 status=200 outcome=OK" in logged
    assert (
        'operation=GetSession tenant=- status=200 outcome=FORBIDDEN message="user name or password do not match"'
        in logged
    )
    assert "token=" not in logged and "1234" not in logged and "abcdef" not in logged


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        ("Basic dGVzdDpBYTEyMzQ1Ng==!!", 401),
        ("Basic dGVzdDpBYTEyMzQ1Ng=", 401),
        ("Basic dGVzdDpBYTEy MzQ1Ng==", 401),
        ("Basic dGVzdDpBYTEyMzQ1Ng", 200),
        ("Basic dGVzdDpBYTEyMzQ1Ng==", 200),
    ],
)
def test_basic_credentials_must_be_well_formed_base64(wire: Wire, authorization: str, status: int):
    response = httpx.put(
        f"{wire.urls.simotel}setting/ping/act",
        json={},
        headers={"Authorization": authorization, "X-APIKEY": SIMOTEL_KEY},
        timeout=10,
    )
    assert response.status_code == status
    if status == 401:
        assert response.json() == {"success": 0, "message": "BasicAuth or ApiKey is invalid", "data": None}
