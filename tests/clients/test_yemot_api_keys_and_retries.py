"""yemot-api (PyPI) over real HTTP with what public apps do: an API key as its token (sent in the
query by GET methods, in a JSON body by POST ones, in a multipart form by uploads), and a retry of a
request an injected fault answered, counted by the journal and named in the access log."""

from __future__ import annotations

import base64
import logging

import pytest

pytest.importorskip("yemot_api")

from yemot_api.exceptions import YemotAPIError
from yemot_api.yemot_api import Yemot

SYSTEM = "0773137770"
INVALID = "IllegalStateException(session token is invalid)"


def _client(server, token: str) -> Yemot:
    client = Yemot(token)
    client.BASE_URL = server.yemot
    return client


def test_an_api_key_is_a_token_for_get_json_and_multipart_requests_until_revoked(emulator_server):
    server = emulator_server
    server.freeze("2026-03-10T08:00:00Z")
    made = server.control("POST", f"yemot/systems/{SYSTEM}/api-keys", json={"note": "ci"})
    ym = _client(server, made["key"])
    try:
        assert ym.get_session().username == SYSTEM  # GET, token in the query
        assert ym.send_sms("שלום", "0527777701").send_count == 1  # POST, token in a JSON body
        ym.upload_file("/1/000.tts", "שלום".encode(), "000.tts", convert_audio=False)  # multipart form
        stored = server.control_client.get(f"yemot/systems/{SYSTEM}/files", params={"path": "ivr2:/1/000.tts"})
        assert base64.b64decode(stored.json()["base64"]) == "שלום".encode(), stored.text
        listed = server.control("GET", f"yemot/systems/{SYSTEM}/api-keys")["api_keys"]
        assert [(key["id"], key["note"], key["last_used"]) for key in listed] == [
            (made["id"], "ci", "2026-03-10T08:00:00Z")
        ]
        assert "key" not in listed[0]  # shown once, at creation
        server.control("DELETE", f"yemot/systems/{SYSTEM}/api-keys/{made['id']}")
        with pytest.raises(YemotAPIError) as raised:
            ym.get_session()
        assert (raised.value.response_status, raised.value.message) == ("EXCEPTION", INVALID)
    finally:
        ym.close()
    wire = server.client("yemot").get("GetSession", headers={"Authorization": made["key"]})
    assert wire.json()["message"] == INVALID


def test_a_faulted_send_and_its_retry_are_both_counted(emulator_server, caplog):
    server = emulator_server
    server.freeze("2026-03-10T08:00:00Z")
    server.fault(api="yemot", operation="SendSms", status=503, times=1)
    ym = _client(server, server.yemot_token)
    caplog.set_level(logging.INFO, logger="telephony_emulator.access")
    try:
        with pytest.raises(YemotAPIError) as raised:
            ym.send_sms("שלום", "0527777701")
        assert raised.value.message == "injected fault"
        assert ym.send_sms("שלום", "0527777701").send_count == 1  # the client's retry
    finally:
        ym.close()
    wanted = {"api": "yemot", "operation": "SendSms", "tenant": SYSTEM, "params": {"message": "שלום"}}
    verified = server.control_client.post("journal/verify", json={**wanted, "count": 2})
    assert verified.status_code == 200 and verified.json()["matched"] == 2, verified.text
    faulted, retried = server.journal(operation="SendSms")
    assert (faulted["status"], faulted["fault"], faulted["params"]) == (503, 1, retried["params"])
    lines = [record.getMessage() for record in caplog.records if "operation=SendSms" in record.getMessage()]
    assert any(f"tenant={SYSTEM} status=503" in line for line in lines), lines
