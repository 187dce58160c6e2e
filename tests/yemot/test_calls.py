"""SendTTS, SendFax, CreateBridgeCall and ViewCampaignReports over the wire, billed on the emulator clock."""

from __future__ import annotations

import hashlib
import re

import httpx
import pytest
from yemot_wire import SYSTEM, api, error, ok

START = "2026-03-01T08:00:00Z"  # 10:00 in Israel
HOOK = "http://hooks.example.test/yemot"


@pytest.fixture
def emu(emulator_factory):
    """Default fixture, frozen clock, hooks answered 200 by an in-memory transport."""
    emulator = emulator_factory(outbox_transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    emulator.freeze(START)
    return emulator


def load(emulator, units: float) -> None:
    files = '{"ivr2:/FaxTest.pdf": {text: "%PDF-1.4"}}'
    system = f'{{number: "{SYSTEM}", password: "1234", units: {units}, sip_account_limit: 2, files: {files}}}'
    emulator.control("POST", "fixtures", content=f"seed: 1\nyemot:\n  systems:\n    - {system}\n")


def campaign_rows(emulator, campaign: str) -> list[dict]:
    rows = api(emulator, "GetTransactions", limit=1000)["transactions"]
    return [row for row in rows if row["campaignId"] == campaign]


# -- SendTTS -------------------------------------------------------------------------------------------


def test_send_tts_answers_seed_and_client_fields(emu):
    body = ok(api(emu, "SendTTS", phones="0521234567:0521234902:abc", ttsMessage="שלום", ttsRate=3, ttsVoice="Osnat"))
    assert re.fullmatch(r"YA-\d+-0773137770-Yemot-\d+", body["CampaignId"])
    assert body["OKCalls"] == 2 and body["ErrorCalls"] == {"abc": "notValid"}
    assert (body["billing"], body["units"], body["TTS_RATE"], body["TTS_VOICE"]) == (2.0, 100.0, 3, "Osnat")


def test_send_tts_bills_one_unit_for_the_first_minute_then_per_second(emu):
    emu.set_phone("0521111111", outcome="answered", ring_s=5, talk_s=90)
    campaign = ok(api(emu, "SendTTS", phones="0521111111", ttsMessage="x" * 1200, repeatFile=1))["CampaignId"]
    emu.advance(200)
    assert [row["amount"] for row in campaign_rows(emu, campaign)] == [-1.5]


def test_send_tts_unanswered_calls_cost_nothing(emu):
    campaign = ok(api(emu, "SendTTS", phones="0521234901:0521234902", ttsMessage="hello"))["CampaignId"]
    emu.advance(60)
    assert campaign_rows(emu, campaign) == []


def test_send_tts_sends_hooks_with_end_last(emu):
    campaign = ok(api(emu, "SendTTS", phones="0521234567", ttsMessage="hello", callbackUrl=HOOK))["CampaignId"]
    emu.advance(60)
    hooks = [d["json"] for d in emu.outbox() if d["url"] == HOOK]
    assert [h["Status"] for h in hooks] == ["UP", "DOWN", "END"]
    assert all(h["CampaignId"] == campaign for h in hooks)
    assert hooks[-1]["moreData"]["CampaignBilling"] == 1


def test_send_tts_over_500_numbers_sends_no_hooks(emu):
    load(emu, 1000)
    phones = ":".join(f"052{n:07d}" for n in range(501))
    ok(api(emu, "SendTTS", phones=phones, ttsMessage="hi", callbackUrl=HOOK))
    emu.advance(60)
    assert [d for d in emu.outbox() if d["url"] == HOOK] == []


def test_send_tts_not_enough_units_is_refused_without_calls(emu):
    load(emu, 1.5)
    body = api(emu, "SendTTS", phones="0521234567:0521234568", ttsMessage="hi")
    error(body, "Not enough balance")
    assert emu.calls(kind="tts") == []


def test_send_tts_bad_callback_url_is_refused(emu):
    error(
        api(emu, "SendTTS", phones="0521234567", ttsMessage="hi", callbackUrl="ftp://x"),
        "callbackUrl must be an absolute http(s) URL",
    )


def test_send_tts_unapproved_caller_id_is_refused(emu):
    error(
        api(emu, "SendTTS", phones="0521234567", ttsMessage="hi", callerId="0529999999"),
        "callerId 0529999999 is not approved in this system",
    )


# -- SendFax -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["ivr2://FaxTest.pdf", "/FaxTest.pdf"])
def test_send_fax_from_the_tree_answers_the_seed_fields(emu, path):
    body = ok(api(emu, "SendFax", pdfFile=path, phone="0521234567", deliveryUrl=HOOK))
    assert re.fullmatch(r"WSOC-LC-2026-03-01-10-00-00-\d{3}", body["CampaignId"])
    assert (body["callerId"], body["fileNameSend"], body["deliveryUrl"]) == (SYSTEM, path, HOOK)
    assert (body["callsCount"], body["bilingPerCall"], body["biling"]) == (1, 0.1, 0.1)


def test_send_fax_upload_is_accepted_multipart(emu):
    response = emu.yemot.post(
        "SendFax",
        data={"token": emu.yemot_token, "pdfFile": "UPLOAD", "phone": "0521234567"},
        files={"fileToUpload": ("fax.pdf", b"%PDF-1.4", "application/pdf")},
    )
    body = ok(response.json())
    assert body["fileNameSend"] == "fax.pdf" and "deliveryUrl" not in body
    [fax] = emu.phones("0521234567")["calls"]
    assert (fax["extra"]["file"], fax["extra"]["size"]) == ("fax.pdf", 8)
    assert fax["extra"]["sha256"] == hashlib.sha256(b"%PDF-1.4").hexdigest()


def test_send_fax_upload_without_file_is_refused(emu):
    body = api(emu, "SendFax", pdfFile="UPLOAD", phone="0521234567")
    error(body, "File upload expected")
    assert body["messageCode"] == 107


@pytest.mark.parametrize(
    ("path", "message"), [("/missing.pdf", "file does not exist"), ("FaxTest.pdf", "path is invalid")]
)
def test_send_fax_missing_or_bad_path_is_refused(emu, path, message):
    error(api(emu, "SendFax", pdfFile=path, phone="0521234567"), message)


def test_send_fax_needs_more_than_five_spare_units(emu):
    load(emu, 6)  # 6 - (0.1 + 1 minute) = 4.9 left: not more than 5
    error(api(emu, "SendFax", pdfFile="/FaxTest.pdf", phone="0521234567"), "Not enough balance")


def test_send_fax_bills_connected_time_pro_rata_and_reports_delivery(emu):
    emu.set_phone("0521234567", talk_s=90)  # the seed's "חיוב יחסי": 0.1 + 1.5 units for 90 s
    campaign = ok(api(emu, "SendFax", pdfFile="/FaxTest.pdf", phone="0521234567", deliveryUrl=HOOK))["CampaignId"]
    emu.advance(120)
    assert sorted(row["amount"] for row in campaign_rows(emu, campaign)) == [-1.5, -0.1]
    forms = [d["form"] for d in emu.outbox() if d["url"] == HOOK]
    assert forms == [
        {"CampaignId": campaign, "Delivery": "Answer"},
        {"CampaignId": campaign, "Delivery": "End", "status": "SUCCESS"},
    ]


# -- CreateBridgeCall ----------------------------------------------------------------------------------


def test_create_bridge_call_answers_the_union_of_fields(emu):
    body = ok(api(emu, "CreateBridgeCall", Phones="0521234567", BridgePhones="0537654321", RecordCall=1))
    assert re.fullmatch(r"WSOC-LC-\d{4}(-\d{2}){5}-\d{3}", body["CampaignId"])
    assert body["callerId"] == body["CallerId"] == SYSTEM
    assert (body["callsCount"], body["OKCalls"], body["ErrorCalls"]) == (1, 1, {})
    assert (body["bilingPerCall"], body["biling"], body["Billing"], body["CustomerUnit"]) == (0.1, "0.1", 0.1, 99.9)
    assert (body["Phones"], body["RecordCall"], body["SendMailInCall"]) == (["0521234567"], True, False)
    assert body["SendMailInCallTo"] == "test@example.com"


def test_create_bridge_call_without_units_for_the_launch_is_refused_with_no_call(emu):
    load(emu, 0.05)
    error(api(emu, "CreateBridgeCall", Phones="0521234567", BridgePhones="0537654321"), "Not enough balance")
    emu.advance(120)
    assert emu.calls(kind="bridge") == []
    assert api(emu, "GetTransactions")["transactions"] == []


def test_create_bridge_call_bills_both_tracks(emu):
    campaign = ok(api(emu, "CreateBridgeCall", Phones="0521234567", BridgePhones="0537654321"))["CampaignId"]
    emu.advance(120)
    amounts = sorted(row["amount"] for row in campaign_rows(emu, campaign))
    assert amounts == [round(-110 / 60, 4), -0.1]  # 60 s first leg + 50 s bridged talk


def test_create_bridge_call_invalid_number_is_refused(emu):
    body = api(emu, "CreateBridgeCall", Phones="0521234567", BridgePhones="123")
    error(body, "No valid phones")
    assert body["errors"] == {"123": "notValid"}


def test_create_bridge_call_dial_sip_rings_the_account(emu):
    ok(api(emu, "CreateSipAccount", extNumber=220))
    body = ok(api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSip=1))
    assert body["Phones"] == ["0773137770=1"]
    emu.advance(120)
    first = emu.calls(kind="bridge")[0]
    assert (first["to"], first["outcome"]) == ("0773137770=1", "answered")


def test_create_bridge_call_dial_sip_rings_the_account_number_given(emu):
    ok(api(emu, "CreateSipAccount"))
    ok(api(emu, "CreateSipAccount"))
    body = ok(api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSip=1, AccountNumber=2))
    assert body["Phones"] == ["0773137770=2"]
    error(
        api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSip=1, AccountNumber=3),
        "SIP account not found",
    )


def test_create_bridge_call_dial_sip_extension_needs_an_existing_extension(emu):
    ok(api(emu, "CreateSipAccount", extNumber=220))
    ok(api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSipExtension=1, SipExtension=220))
    body = api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSipExtension=1, SipExtension=221)
    error(body, "SIP account not found")


def test_create_bridge_call_dial_sip_without_accounts_is_refused(emu):
    error(api(emu, "CreateBridgeCall", Phones="0", BridgePhones="0537654321", DialSip=1), "SIP account not found")


# -- ViewCampaignReports -------------------------------------------------------------------------------


def test_view_campaign_reports_reports_a_tts_campaign(emu):
    campaign = ok(api(emu, "SendTTS", phones="0521234567:0521234902", ttsMessage="hello"))["CampaignId"]
    emu.advance(60)
    body = ok(
        emu.yemot.get(
            "ViewCampaignReports", params={"token": emu.yemot_token, "CampaignId": campaign, "json": 1}
        ).json()
    )
    data = body["CampaignData"]
    assert (data["CampaignId"], data["Type"], data["Status"], data["Entries"], data["Done"], data["Fail"]) == (
        campaign,
        "TTS",
        "ENDED",
        2,
        1,
        1,
    )
    assert data["Billing"] == 1.0 and data["CreateTS"] == "2026-03-01 10:00:00"
    assert body["report"]["0521234902"]["Status"] == "BUSY"
    assert body["report"]["0521234567"]["Status"] == "ANSWERED"


def test_view_campaign_reports_accepts_the_ledger_form_of_the_id(emu):
    campaign = ok(api(emu, "SendTTS", phones="0521234567", ttsMessage="hello"))["CampaignId"]
    emu.advance(60)
    description = campaign_rows(emu, campaign)[0]["description"]
    assert description.startswith("Start-YA-")
    body = ok(api(emu, "ViewCampaignReports", CampaignId=description.removeprefix("Start-YA-"), json=1))
    assert body["CampaignData"]["CampaignId"] == campaign


@pytest.mark.parametrize(
    ("method", "params", "key", "kind"),
    [
        ("SendSms", {"phones": "0521234567", "message": "hi"}, "campaignId", "SMS"),
        ("RunTzintuk", {"phones": "0521234567"}, "campaignId", "TZINTUK"),
        ("SendFax", {"pdfFile": "/FaxTest.pdf", "phone": "0521234567"}, "CampaignId", "FAX"),
        ("CreateBridgeCall", {"Phones": "0521234567", "BridgePhones": "0537654321"}, "CampaignId", "BRIDGE"),
    ],
)
def test_view_campaign_reports_covers_every_campaign_kind(emu, method, params, key, kind):
    campaign = ok(api(emu, method, **params))[key]
    emu.advance(120)
    body = ok(api(emu, "ViewCampaignReports", CampaignId=campaign, json=1))
    assert body["CampaignData"]["Type"] == kind
    assert list(body["report"]) == ["0521234567"]


def test_view_campaign_reports_unknown_campaign_is_refused(emu):
    error(
        api(emu, "ViewCampaignReports", CampaignId="YA-1-0773137770-Yemot-1"), "Campaign Id does Not found in customer"
    )
