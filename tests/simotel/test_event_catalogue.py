"""Every documented event (reference §4.2, Part B3): cause it, receive it on a local HTTP receiver, and
validate the received body against the contract's ``webhooks`` schema."""

from __future__ import annotations

import pytest
from simotel_wire import ANCHOR, ok

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract
from emulator.simotel.events import EVENT_NAMES
from emulator.testing.receiver import Receiver

ORIGINATE = {"caller": "101", "callee": "09121234567", "context": "main_routing", "caller_id": "101"}


@pytest.fixture(scope="module")
def contract():
    return Contract.from_file(default_contracts_dir() / "simotel.yaml", prefix="/api/v4")


def _schema(contract, name):
    body = contract.resolve(contract.document["webhooks"][name]["post"]["requestBody"])
    return contract.resolve(body["content"]["application/json"]["schema"])


def _dialplan(emulator, plan):
    emulator.control("PUT", "simotel/dialplans/events", json={"numbers": ["30000"], **plan})
    placed = emulator.control("POST", "simotel/calls", json={"src": "09121234567", "dst": "30000", "keys": ["5"]})
    return placed


def originate(emulator):
    ok(emulator, "call/originate/act", ORIGINATE)
    emulator.advance(120)


def incoming_to_queue(emulator):
    emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "500"})
    emulator.advance(60)


def voicemail(emulator):
    box = {"name": "box", "number": "901", "password": "1", "email": "box@example.com", "send_email": "yes"}
    ok(emulator, "voicemails/voicemails/add", box)
    emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "901"})
    emulator.advance(60)


def transfer(emulator):
    placed = _dialplan(emulator, {"nodes": {"ext": {"type": "extension", "extension": "102"}}})
    emulator.advance(10)  # 102 rings 5 s and answers
    emulator.control("POST", f"simotel/calls/{placed['id']}/transfer", json={"to": "103"})
    emulator.advance(60)


def survey(emulator):
    plan = {"nodes": {"q": {"type": "queue", "queue": "500", "exits": {"next": "poll"}},
                      "poll": {"type": "survey", "label": "MySurvey", "announcement": "rate-us"}}}  # fmt: skip
    _dialplan(emulator, plan)
    emulator.advance(120)


def reserved(emulator):
    _dialplan(emulator, {"nodes": {"q": {"type": "queue", "queue": "501"}}})  # queue 501 has no agents
    emulator.advance(60)


def campaign(emulator):
    body = {"name": "c", "trunk_manager_id": "0123456789abcdef01234567", "numbers": ["09121234567"],
            "start": "2026-01-01 04:00", "end": "2026-01-02 04:00"}  # fmt: skip
    ok(emulator, "autodialer/campaigns/add", body)
    emulator.advance(30 * 60 + 120)


def trunk_state(emulator):
    trunk = ok(emulator, "pbx/trunks/add", {"name": "T1", "active": "yes"})["data"]["_id"]
    ok(emulator, "pbx/trunks/update", {"_id": trunk, "active": "no"})


CAUSES = {
    "NewState": (originate, {"exten": "101", "state": "Ringing", "direction": "in"}),
    "Transfer": (transfer, {"transferer": "102", "transferred_from": "09121234567", "transferred_to": "103"}),
    "IncomingCall": (incoming_to_queue, {"number": "09121234567", "entry_point": "main"}),
    "OutgoingCall": (originate, {"number": "09121234567"}),
    "ExtenAdded": (lambda e: ok(e, "pbx/users/add", {"name": "n", "number": "301", "secret": "s"}),
                   {"exten": "301", "state": "Unavailable"}),
    "ExtenRemoved": (lambda e: ok(e, "pbx/users/remove", {"_id": _user(e, "104")}), {"exten": "104"}),
    "IncomingFax": (lambda e: e.control("POST", "simotel/faxes/incoming", json={"src": "02191015504",
                                                                                "dst": "2191015504"}),
                    {"src": "02191015504", "dst": "2191015504", "state": "SUCCESS", "entry_point": "main"}),
    "OutgoingFax": (lambda e: ok(e, "pbx/faxes/add", {"to": "021", "text": "hi"}), {"state": "SENDING"}),
    "CdrQueue": (incoming_to_queue, {"queue": "500", "dst": "101", "billsec": "20", "wait": "5"}),
    "VoiceMail": (voicemail, {"number": "901", "state": "SUCCESS", "duration": 10, "caller": "09121234567"}),
    "VoiceMailEmail": (voicemail, {"number": "901", "state": "FAILED", "message": "SMTP is disabled",
                                   "receiver": "box@example.com", "active": "True", "attached_file": "False"}),
    "Survey": (survey, {"event": "Survey", "queue": "500", "dst": "101", "point": 5, "label": "MySurvey"}),
    "Cdr": (originate, {"src": "101", "dst": "09121234567", "disposition": "ANSWERED", "billsec": 50}),
    "TrunkNewState": (trunk_state, {"trunk_name": "T1", "state": "Deactivate", "last_time_sec": 0}),
    "TrunkAdded": (lambda e: ok(e, "pbx/trunks/add", {"name": "T2"}), {"trunk_name": "T2", "state": "Unavailable"}),
    "TrunkRemoved": (lambda e: ok(e, "pbx/trunks/remove", {"_id": "64b0c0de0000000000000002"}),
                     {"trunk_name": "Cisco"}),
    "AutoDialerReport": (campaign, {"number": "09121234567", "disposition": "ANSWERED", "try": 1}),
    "ReservedCallInFront": (reserved, {"event": "ReservedCallInFront", "queue_name": "فروش",
                                       "caller_id": "09121234567"}),
    "Ping": (lambda e: ok(e, "setting/ping/act", {}), {}),
}  # fmt: skip


def _user(emulator, number):
    users = ok(emulator, "pbx/users/search", {"alike": "false", "conditions": {"number": number}})["data"]
    return users[0]["_id"]


def test_every_documented_event_has_a_cause_and_a_contract_schema(contract):
    assert sorted(CAUSES) == sorted(EVENT_NAMES)
    assert len(EVENT_NAMES) == 19
    assert sorted(contract.document["webhooks"]) == sorted(EVENT_NAMES)


@pytest.mark.parametrize("name", list(CAUSES))
def test_event_is_received_and_matches_the_contract(emulator, contract, name):
    cause, expected = CAUSES[name]
    with Receiver() as receiver:
        emulator.control("PUT", "simotel/settings", json={"webhook": {"url": receiver.url, "events": [name]}})
        emulator.freeze(ANCHOR)
        cause(emulator)
        hits = receiver.wait_for(1)
    assert hits, f"no {name} event arrived"
    body = hits[0].json
    assert [error.message for error in contract.validator(_schema(contract, name)).iter_errors(body)] == []
    assert body.get("event_name", body.get("event")) == name
    assert {key: body.get(key) for key in expected} == expected


def test_cdr_carries_unique_id_and_cuid_with_the_same_value(emulator):
    with Receiver() as receiver:
        emulator.control("PUT", "simotel/settings", json={"webhook": {"url": receiver.url, "events": ["Cdr"]}})
        emulator.freeze(ANCHOR)
        originate(emulator)
        [hit] = receiver.wait_for(1)
    assert hit.json["cuid"] == hit.json["unique_id"]


def test_cdrqueue_times_are_gregorian_stamps(emulator):
    with Receiver() as receiver:
        emulator.control("PUT", "simotel/settings", json={"webhook": {"url": receiver.url, "events": ["CdrQueue"]}})
        emulator.freeze(ANCHOR)
        incoming_to_queue(emulator)
        [hit] = receiver.wait_for(1)
    event = hit.json
    # Tehran 03:30; ringing from the start, answered after the agent's 5 s of ringing
    assert (event["ringtime"], event["answeredtime"]) == ("2026-01-01 03:30:00.000000", "2026-01-01 03:30:05.000000")
    assert event["duration"] == "25" and event["agent_wait"] == "5"


def test_trunk_added_times_are_epoch_seconds(emulator):
    with Receiver() as receiver:
        emulator.control("PUT", "simotel/settings", json={"webhook": {"url": receiver.url, "events": ["TrunkAdded"]}})
        emulator.freeze(ANCHOR)
        ok(emulator, "pbx/trunks/add", {"name": "T9"})
        [hit] = receiver.wait_for(1)
    assert hit.json["last_time"] == hit.json["date"] == 1767225600.0


def test_voicemail_over_get_carries_the_fields_a_get_receiver_reads(emulator):
    with Receiver() as receiver:
        webhook = {"url": receiver.url + "/vm", "method": "GET", "events": ["VoiceMail"]}
        emulator.control("PUT", "simotel/settings", json={"webhook": webhook})
        emulator.freeze(ANCHOR)
        voicemail(emulator)
        [hit] = receiver.wait_for(1)
    fields = ("event_name", "state", "filename", "caller", "number", "duration", "date", "cuid", "id")
    assert set(fields) <= set(hit.query)
    assert (hit.query["event_name"], hit.query["duration"], hit.query["number"]) == ("VoiceMail", "10", "901")
