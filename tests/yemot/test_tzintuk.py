"""RunTzintuk (every phone-list form) and TzintukimListManagement."""

from __future__ import annotations

import pytest
from yemot_wire import SYSTEM, TOKEN, VERSION

pytestmark = pytest.mark.usefixtures("frozen_at_start")


def run(emulator, **params):
    return emulator.yemot.post("RunTzintuk", json={"token": TOKEN, **params}).json()


def manage(emulator, action: str, **params):
    return emulator.yemot.get("TzintukimListManagement", params={"token": TOKEN, "action": action, **params}).json()


def dialled(emulator, campaign: str) -> list[tuple[str, str]]:
    emulator.advance(0)
    return [(call["to"], call["caller_id"]) for call in emulator.calls(campaign=campaign)]


def test_run_tzintuk_rings_a_colon_list_and_bills_a_tenth_each(emulator):
    body = emulator.yemot.get(
        "RunTzintuk", params={"token": TOKEN, "phones": "0527777701:0527777702:0527777702:*8080:0527777903"}
    ).json()
    assert body == {
        "responseStatus": "OK",
        "verifyCode": "",
        "callerId": SYSTEM,
        "callsCount": 2,
        "bilingPerCall": 0.1,
        "biling": "0.20",
        "errors": {"0527777702": "double", "*8080": "notValid", "0527777903": "blocked"},
        "callsTimeout": 9,
        "campaignId": body["campaignId"],
        **VERSION,
    }
    assert body["campaignId"].startswith(f"YA-1-{SYSTEM}-Yemot-")
    assert dialled(emulator, body["campaignId"]) == [("0527777701", SYSTEM), ("0527777702", SYSTEM)]
    assert emulator.runtime.world.yemot.systems[SYSTEM].units == 99.8


def test_run_tzintuk_rings_for_at_most_the_timeout(emulator):
    body = run(emulator, phones=["0527777901"], TzintukTimeOut=12)
    assert body["callsTimeout"] == 12
    emulator.advance(60)
    call = emulator.calls(campaign=body["campaignId"])[0]
    assert (call["outcome"], call["ring_s"]) == ("no_answer", 12.0)


def test_run_tzintuk_timeout_above_16_is_refused(emulator):
    assert run(emulator, phones="0527777701", TzintukTimeOut=16.5) == {
        "responseStatus": "ERROR",
        "message": "TzintukTimeOut max is 16 seconds",
        **VERSION,
    }


def test_run_tzintuk_json_objects_carry_per_number_caller_ids(emulator):
    body = run(
        emulator,
        phones=[{"phone": "0527777701", "callerId": "0773137771"}, {"phones": ["0527777702", "0527777703"]}],
    )
    assert dialled(emulator, body["campaignId"]) == [
        ("0527777701", "0773137771"),
        ("0527777702", SYSTEM),
        ("0527777703", SYSTEM),
    ]


def test_run_tzintuk_json_group_caller_id_applies_to_every_number_of_the_group(emulator):
    groups = [{"phones": ["0527777702", "0527777703"], "callerId": "0773137771"}, {"phones": ["0527777704"]}]
    body = run(emulator, phones=groups)
    assert dialled(emulator, body["campaignId"]) == [
        ("0527777702", "0773137771"),
        ("0527777703", "0773137771"),
        ("0527777704", SYSTEM),
    ]


def test_run_tzintuk_with_an_unapproved_per_number_caller_id_is_refused(emulator):
    body = run(emulator, phones=[{"phones": ["0527777701"], "callerId": "0521111111"}])
    assert body["message"] == "callerId 0521111111 is not approved in this system"
    assert emulator.calls(tenant=SYSTEM) == []


def test_run_tzintuk_on_free_lists_is_free_deduplicated_and_logged(emulator):
    body = run(emulator, phones="tzl:120,130")
    assert (body["callsCount"], body["bilingPerCall"], body["biling"]) == (3, 0.0, "0.00")
    assert body["errors"] == {"0527777733": "blocked"}
    assert [to for to, _ in dialled(emulator, body["campaignId"])] == ["0527777731", "0527777732", "0527777735"]
    assert emulator.runtime.world.yemot.systems[SYSTEM].units == 100.0
    events = manage(emulator, "getLogList", TzintukimList="130")["events"]
    assert events[-1]["TypeOperation"] == "RunTzintuk"


def test_run_tzintuk_tzl_with_tzintuk_lists_array_accepts_names_with_commas(emulator):
    body = run(emulator, phones="tzl:", tzintukLists=["בית ספר, כיתה ג", "130"])
    assert body["callsCount"] == 3


def test_run_tzintuk_over_50_lists_is_refused(emulator):
    body = run(emulator, phones="tzl:" + ",".join(str(n) for n in range(51)))
    assert body["message"] == "tzl: at most 50 lists per call"


def test_run_tzintuk_unknown_free_list_is_refused(emulator):
    assert run(emulator, phones="tzl:999")["message"] == "TzintukimList 999 not found"


def test_run_tzintuk_tpl_list_is_billed(emulator):
    body = run(emulator, phones="tpl:3")
    assert (body["callsCount"], body["biling"], body["errors"]) == (2, "0.20", {"0527777743": "blocked"})


def test_run_tzintuk_rand_calls_only_the_first_number_and_returns_its_code(emulator):
    body = run(emulator, phones=["0527777701", "0527777702"], callerId="RAND")
    calls = dialled(emulator, body["campaignId"])
    assert len(calls) == 1 and calls[0][0] == "0527777701"
    assert body["callerId"] == calls[0][1] and body["verifyCode"] == calls[0][1][-4:]
    assert (body["callsCount"], body["biling"]) == (1, "0.10")


def test_run_tzintuk_without_valid_numbers_is_refused(emulator):
    assert run(emulator, phones="1:2") == {
        "responseStatus": "ERROR",
        "message": "No valid phones",
        "errors": {"1": "notValid", "2": "notValid"},
        **VERSION,
    }


def test_tzintukim_list_management_getlists_counts_subscribers(emulator):
    body = manage(emulator, "getlists")
    assert body["lists"][0] == {"listName": "120", "subscribers": 4, "blocked": 1, "active": 3}
    assert [entry["listName"] for entry in body["lists"]] == ["120", "130", "בית ספר, כיתה ג"]


def test_tzintukim_list_management_getlistenteres_names_from_phonesname_ini(emulator):
    body = manage(emulator, "getlistEnteres", TzintukimList="120")
    assert body == {
        "responseStatus": "OK",
        "listName": "120",
        "countSubscribers": 4,
        "countsBlocked": 1,
        "countsActive": 3,
        "enteres": [
            {"phone": "0527777731", "name": "משה כהן", "active": True},
            {"phone": "0527777732", "name": "דוד לוי", "active": True},
            {"phone": "0527777733", "name": None, "active": True},
            {"phone": "0527777734", "name": None, "active": False},
        ],
        "blocked": [{"phone": "0527777733", "name": None}],
        "active": [
            {"phone": "0527777731", "name": "משה כהן"},
            {"phone": "0527777732", "name": "דוד לוי"},
            {"phone": "0527777733", "name": None},
        ],
        **VERSION,
    }


def test_tzintukim_list_management_getloglist_shows_seeded_additions(emulator):
    events = manage(emulator, "getLogList", TzintukimList="120")["events"]
    assert len(events) == 4
    assert events[0] == {
        "Folder": "1/2",
        "CustomerDID": SYSTEM,
        "Phone": "0527777731",
        "Date": events[0]["Date"],
        "Time": events[0]["Time"],
        "TypeOperation": "AddToListTzintuk",
        "PhoneAction": "0527777731",
    }


def test_tzintukim_list_management_resetlist_empties_and_logs(emulator):
    assert manage(emulator, "resetList", TzintukimList="130") == {"responseStatus": "OK", "list": "130", **VERSION}
    assert manage(emulator, "getlistEnteres", TzintukimList="130")["countSubscribers"] == 0
    event = manage(emulator, "getLogList", TzintukimList="130")["events"][-1]
    assert (event["TypeOperation"], event["Date"], event["Time"]) == ("ResetToListTzintuk", "10/03/2026", "12:00:00")


def test_tzintukim_list_management_unknown_list_and_missing_list_are_refused(emulator):
    assert manage(emulator, "getlistEnteres", TzintukimList="999")["message"] == "TzintukimList 999 not found"
    assert manage(emulator, "getLogList") == {
        "responseStatus": "ERROR",
        "message": "TzintukimList is required",
        **VERSION,
    }


def test_tzintukim_list_management_unknown_action_is_bad_action(emulator):
    assert manage(emulator, "dance") == {"responseStatus": "EXCEPTION", "message": "bad action", **VERSION}


def test_run_tzintuk_over_form_post_reads_a_json_array_field(emulator):
    phones = '[{"phones": ["0527777701", "0527777702"], "callerId": "0773137771"}]'
    body = emulator.yemot.post("RunTzintuk", data={"token": TOKEN, "phones": phones}).json()
    assert dialled(emulator, body["campaignId"]) == [("0527777701", "0773137771"), ("0527777702", "0773137771")]


def test_run_tzintuk_tzintuk_lists_as_comma_text_over_form_post(emulator):
    body = emulator.yemot.post("RunTzintuk", data={"token": TOKEN, "phones": "tzl:", "tzintukLists": "120,130"}).json()
    assert body["callsCount"] == 3


def test_run_tzintuk_tzl_without_list_names_is_refused(emulator):
    assert run(emulator, phones="tzl:")["message"] == "tzl: needs list names (tzl:X,Y or tzintukLists)"


def test_run_tzintuk_from_a_blocked_rule_handset_reports_blocked(emulator):
    emulator.set_phone("0527777701", outcome="blocked")
    body = run(emulator, phones="0527777701:0527777702")
    assert (body["callsCount"], body["errors"]) == (1, {"0527777701": "blocked"})
