"""Simotel event webhooks, received by a real HTTP receiver on 127.0.0.1 (reference §4)."""

from __future__ import annotations

import base64

import pytest
from simotel_wire import ANCHOR

from emulator.testing.receiver import Receiver

ORIGINATE = {"caller": "101", "callee": "09121234567", "context": "main_routing", "caller_id": "101"}


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def with_webhook(emulator):
    """The emulator with webhook settings: ``with_webhook(url=..., method=..., events=[...])``."""

    def configure(**webhook):
        emulator.control("PUT", "simotel/settings", json={"webhook": webhook})
        emulator.freeze(ANCHOR)
        return emulator

    return configure


def test_ping_with_ping_enabled_posts_g4_json_to_the_url(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url + "/call/", method="G4", events=["Ping"])
    response = emulator.simotel.put("setting/ping/act", json={})
    assert response.json()["success"] == 1
    [hit] = receiver.wait_for(1)
    assert (hit.method, hit.path) == ("POST", "/call/")
    assert hit.headers["content-type"] == "application/json"
    assert hit.json == {"event_name": "Ping", "date": "2026-01-01 03:30:00.000000"}


def test_ping_with_rest4_appends_the_event_name_to_the_url(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url + "/hooks/", method="Rest4", events=["Ping"])
    emulator.simotel.post("setting/ping/act", json={})
    [hit] = receiver.wait_for(1)
    assert (hit.method, hit.path, hit.json["event_name"]) == ("POST", "/hooks/Ping", "Ping")


def test_ping_with_get_method_sends_fields_as_query_parameters(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url + "/events", method="GET", events=["Ping"])
    emulator.simotel.post("setting/ping/act", json={})
    [hit] = receiver.wait_for(1)
    assert (hit.method, hit.path, hit.body) == ("GET", "/events", b"")
    assert hit.query == {"event_name": "Ping", "date": "2026-01-01 03:30:00.000000"}


def test_get_method_keeps_the_query_the_webhook_url_already_has(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url + "/events?token=abc&site=2", method="GET", events=["Ping"])
    emulator.simotel.post("setting/ping/act", json={})
    [hit] = receiver.wait_for(1)
    assert hit.query == {"token": "abc", "site": "2", "event_name": "Ping", "date": "2026-01-01 03:30:00.000000"}


def test_webhook_with_username_sends_basic_auth(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", username="hook", password="s3cret", events=["Ping"])
    emulator.simotel.post("setting/ping/act", json={})
    [hit] = receiver.wait_for(1)
    assert hit.headers["authorization"] == "Basic " + base64.b64encode(b"hook:s3cret").decode()


def test_webhook_without_username_sends_no_authorization(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["Ping"])
    emulator.simotel.post("setting/ping/act", json={})
    [hit] = receiver.wait_for(1)
    assert "authorization" not in hit.headers


def test_ping_with_ping_disabled_delivers_nothing(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["Cdr"])
    emulator.simotel.post("setting/ping/act", json={})
    assert emulator.outbox() == []


def test_originate_fires_newstate_outgoingcall_and_cdr_in_call_order(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["*"])
    originated = emulator.simotel.post("call/originate/act", json=ORIGINATE).json()["data"]["originated_call_id"]
    emulator.advance(120)
    hits = receiver.wait_for(5)
    names = [(hit.json["event_name"], hit.json.get("state")) for hit in hits]
    assert names == [
        ("NewState", "Ringing"),
        ("NewState", "InUse"),
        ("OutgoingCall", None),
        ("NewState", "Idle"),
        ("Cdr", None),
    ]
    outgoing, cdr = hits[2].json, hits[4].json
    assert outgoing["number"] == "09121234567"
    assert outgoing["originated_call_id"] == originated
    assert cdr["src"] == "101" and cdr["dst"] == "09121234567"
    assert (cdr["disposition"], cdr["type"], cdr["billsec"]) == ("ANSWERED", "outgoing", 50)
    assert cdr["unique_id"] == hits[0].json["unique_id"] == outgoing["unique_id"]
    assert cdr["record"].endswith(".mp3")


def test_busy_callee_cdr_event_has_busy_disposition_and_no_record(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["Cdr"])
    emulator.simotel.post("call/originate/act", json={**ORIGINATE, "callee": "09121234902"})
    emulator.advance(120)
    [hit] = receiver.wait_for(1)
    assert (hit.json["event_name"], hit.json["disposition"], hit.json["billsec"]) == ("Cdr", "BUSY", 0)
    assert "record" not in hit.json


def test_events_reach_a_rest4_receiver_in_the_order_they_happened(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="Rest4", events=["Cdr", "Ping"])
    emulator.simotel.post("call/originate/act", json=ORIGINATE)
    emulator.advance(120)
    emulator.simotel.post("setting/ping/act", json={})
    hits = receiver.wait_for(2)
    assert [hit.path for hit in hits] == ["/Cdr", "/Ping"]


def test_incoming_call_fires_incomingcall_newstate_and_cdr(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["*"])
    placed = emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "101"})
    emulator.advance(60)
    hits = receiver.wait_for(5)
    assert [(h.json["event_name"], h.json.get("state")) for h in hits] == [
        ("IncomingCall", None),
        ("NewState", "Ringing"),
        ("NewState", "InUse"),
        ("NewState", "Idle"),
        ("Cdr", None),
    ]
    incoming, cdr = hits[0].json, hits[4].json
    assert incoming == {"event_name": "IncomingCall", "number": "09121234567", "unique_id": placed["unique_id"],
                        "entry_point": "main"}  # fmt: skip
    assert (cdr["type"], cdr["src"], cdr["dst"], cdr["billsec"]) == ("incoming", "09121234567", "101", 20)


def test_incoming_call_to_a_queue_fires_cdrqueue_with_the_agent(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["CdrQueue", "NewState"])
    # the default fixture's queue 500 has agents 101 and 102
    emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "500"})
    emulator.advance(60)
    hits = receiver.wait_for(4)
    assert hits[0].json["queue"] == "500" and hits[0].json["exten"] == "101"
    queue_event = hits[-1].json
    assert queue_event["event_name"] == "CdrQueue"
    assert (queue_event["queue"], queue_event["dst"], queue_event["disposition"]) == ("500", "101", "ANSWERED")
    assert queue_event["detail"][0]["tries"] == "1"


def test_unanswered_extension_with_a_voicemail_box_fires_voicemail(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["VoiceMail"])
    box = {"name": "box", "number": "901", "password": "1"}
    assert emulator.simotel.post("voicemails/voicemails/add", json=box).json()["success"] == 1
    emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "901"})
    emulator.advance(60)
    [hit] = receiver.wait_for(1)
    event = hit.json
    assert (event["number"], event["state"], event["caller"], event["duration"]) == (
        "901",
        "SUCCESS",
        "09121234567",
        10,
    )
    assert event["filename"].endswith(".wav")


def test_user_add_and_remove_fire_exten_added_and_exten_removed(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="Rest4", events=["ExtenAdded", "ExtenRemoved"])
    user = emulator.simotel.post("pbx/users/add", json={"name": "x", "number": "555", "secret": "s"}).json()["data"]
    emulator.simotel.post("pbx/users/remove", json={"_id": user["_id"]})
    hits = receiver.wait_for(2)
    assert [h.path for h in hits] == ["/ExtenAdded", "/ExtenRemoved"]
    assert [h.json for h in hits] == [
        {"event_name": "ExtenAdded", "exten": "555", "state": "Unavailable"},
        {"event_name": "ExtenRemoved", "exten": "555", "state": "Unavailable"},
    ]


def test_trunk_add_and_remove_fire_trunk_added_and_trunk_removed(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["TrunkAdded", "TrunkRemoved"])
    trunk = emulator.simotel.post("pbx/trunks/add", json={"name": "Avaya", "trunk_type": "SIP"}).json()["data"]
    emulator.simotel.post("pbx/trunks/remove", json={"_id": trunk["_id"]})
    hits = receiver.wait_for(2)
    assert [(h.json["event_name"], h.json["trunk_name"]) for h in hits] == [
        ("TrunkAdded", "Avaya"),
        ("TrunkRemoved", "Avaya"),
    ]
    assert (hits[0].json["trunk_type"], hits[0].json["state"]) == ("SIP", "Unavailable")


def test_outgoing_fax_unique_ids_never_repeat_across_a_reset(with_webhook, receiver):
    fax = {"to": "02188776655", "text": "salam", "ext": "101", "trunk_name": "Cisco"}
    for sent in (1, 2):  # the same fax at the same frozen instant, with a reset between
        emulator = with_webhook(url=receiver.url, method="G4", events=["OutgoingFax"])
        assert emulator.simotel.post("pbx/faxes/add", json=fax).json()["success"] == 1
        receiver.wait_for(sent)
        emulator.reset()
    first, second = (hit.json for hit in receiver.hits)
    assert first["fax_id"] != second["fax_id"]  # an ObjectId: the record counter goes on too
    assert first["unique_id"] != second["unique_id"]


def test_fax_add_fires_outgoing_fax_with_the_fax_id(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["OutgoingFax"])
    fax = {"to": "02188776655", "text": "salam", "ext": "101", "trunk_name": "Cisco"}
    sent = emulator.simotel.post("pbx/faxes/add", json=fax).json()
    assert sent["success"] == 1
    [hit] = receiver.wait_for(1)
    event = hit.json
    assert (event["event_name"], event["fax_id"], event["state"]) == ("OutgoingFax", sent["data"]["_id"], "SENDING")
    assert event["date"] == "2026-01-01 03:30:00.000000"
    assert set(event["info"]) >= {"FAXSTATUS", "FAXPAGES", "REASON"}


def test_event_not_enabled_is_not_delivered(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["Ping"])
    emulator.simotel.post("pbx/faxes/add", json={"to": "021", "text": "x"})
    emulator.simotel.post("setting/ping/act", json={})
    assert [hit.json["event_name"] for hit in receiver.wait_for(1)] == ["Ping"]


def test_cdr_event_times_are_gregorian_stamps_with_microseconds(with_webhook, receiver):
    emulator = with_webhook(url=receiver.url, method="G4", events=["Cdr"])
    emulator.simotel.post("call/originate/act", json=ORIGINATE)
    emulator.advance(120)
    [hit] = receiver.wait_for(1)
    assert (hit.json["starttime"], hit.json["endtime"]) == ("2026-01-01 03:30:00.000000", "2026-01-01 03:31:05.000000")
