"""Details of the source document that real clients trip on, each checked on the wire."""

from __future__ import annotations

import pytest
from yemot_wire import TOKEN, api, error, ok

pytestmark = pytest.mark.usefixtures("frozen_at_start")


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("GetTransactions", {"from": "", "limit": "", "filter": ""}),
        ("GetSmsOutLog", {"limit": ""}),
        ("RunTzintuk", {"phones": "0527777701", "TzintukTimeOut": "", "callerId": ""}),
        ("SendTTS", {"phones": "0527777701", "ttsMessage": "x", "ttsRate": "", "repeatFile": ""}),
        ("CreateSipAccount", {"extNumber": ""}),
        ("SendSms", {"phones": "0527777701", "message": "x", "sendFlashMessage": "", "from": ""}),
        ("CreateBridgeCall", {"Phones": "0527777701", "BridgePhones": "0527777702", "RecordCall": ""}),
    ],
)
@pytest.mark.parametrize("encoding", ["params", "data"])
def test_optional_parameters_sent_empty_count_as_absent(emulator, method, params, encoding):
    response = emulator.yemot.request(
        "GET" if encoding == "params" else "POST", method, **{encoding: {"token": TOKEN, **params}}
    )
    ok(response.json())


def test_empty_json_null_counts_as_absent_and_empty_required_is_missing(emulator):
    ok(api(emulator, "GetTransactions", limit=None, **{"from": None}))
    error(api(emulator, "GetQueueRealTime", queuePath=""), "missing required parameter 'queuePath'")


def test_empty_limit_means_every_row(emulator):
    every = ok(api(emulator, "GetSmsOutLog"))["rows"]
    assert len(ok(api(emulator, "GetSmsOutLog", limit=""))["rows"]) == len(every) > 1


def test_fax_is_billed_pro_rata_on_the_ledger(emulator):
    emulator.set_phone("0521234567", talk_s=30)
    ok(api(emulator, "SendFax", pdfFile="/FaxTest.pdf", phone="0521234567"))
    emulator.advance(60)
    rows = ok(api(emulator, "GetTransactions", limit=2))["transactions"]
    assert [row["amount"] for row in rows] == [-0.5, -0.1]


@pytest.mark.parametrize("usage", ["goto:/", "goto:"])
def test_goto_usage_needs_a_target(emulator, usage):
    body = api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage=usage)
    error(body, "newUsage must be sip:<account> or goto:/<path>")
    ok(api(emulator, "SetSecondaryDidUsageDescription", secondaryDidId=100, newUsage="goto:/5"))


def test_sms_out_log_sent_in_one_instant_is_newest_first(emulator):
    ok(api(emulator, "SendSms", phones="0527777701:0527777702", message="first"))
    ok(api(emulator, "SendSms", phones="0527777703", message="second"))
    rows = ok(api(emulator, "GetSmsOutLog", limit=3))["rows"]
    assert [(row["To"], row["Message"]) for row in rows] == [
        ("0527777703", "second"),
        ("0527777702", "first"),
        ("0527777701", "first"),
    ]


def test_validation_token_hint_of_a_number_password_token_hides_the_password(emulator):
    data = ok(emulator.yemot.get("ValidationToken", params={"token": TOKEN}).json())
    assert data["tokenData"]["token"] == "077***137770"


def test_unknown_method_answers_http_200_with_an_error_body(emulator):
    response = emulator.yemot.get("NoSuchMethod", params={"token": TOKEN})
    assert response.status_code == 200
    error(response.json(), "method 'NoSuchMethod' does not exist")


def test_no_method_refuses_an_optional_parameter_sent_empty(emulator):
    """Every optional parameter of every method, sent empty in a form, is never 'invalid value'."""
    contract = emulator.runtime.contracts["yemot"]
    refused = {}
    for key, operation in contract.operations.items():
        optional = [name for name in operation.properties if name not in operation.required]
        if not optional or key in ("Login", "SetPassword", "KillAllSessions"):
            continue
        body = emulator.yemot.post(key, data={"token": TOKEN, **dict.fromkeys(optional, "")}).json()
        if str(body.get("message", "")).startswith("invalid value for parameter"):
            refused[key] = body["message"]
    assert refused == {}
