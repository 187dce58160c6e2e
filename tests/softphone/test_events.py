"""``GET /__emulator__/calls/{id}/events``: the transcript as Server-Sent Events on a served emulator -
entries in order (those so far, then live ones), ``waiting`` while the call waits for input, ``end``
and the stream closes when the call ends; ``Last-Event-ID`` resumes; the number of streams is bounded."""

from __future__ import annotations

from softphone_helpers import EventReader, api_extension, code_reader, live_call

from emulator.admin import softphone

_asking = code_reader("הקישו קוד", "קיבלנו")


def _entries(reader: EventReader) -> list[dict]:
    return [data for event, _, data in reader.events if event == "entry"]


def test_entries_stream_live_in_order_and_the_stream_ends_with_the_call(served, ivr_service):
    client, admin = served
    service = ivr_service(_asking)
    api_extension(client, "/5", service.url)
    call_id = live_call(client, "/5")
    reader = EventReader(f"{admin}calls/{call_id}/events")
    reader.wait_for(lambda events: any(event == "waiting" for event, _, _ in events))
    kinds = [entry["kind"] for entry in _entries(reader)]
    assert kinds == ["goto", "request", "reply", "play"]  # the walk so far, then it waits for the code
    waiting = next(data for event, _, data in reader.events if event == "waiting")["waiting"]
    assert waiting["wait_s"] == 7.0
    answer = client.post(f"calls/{call_id}/input", json={"keys": "1234"})
    assert answer.status_code == 200, answer.text
    assert reader.closed.wait(15), "the stream did not close after the call ended"
    assert reader.status == 200 and reader.names()[-1] == "end"
    entries = _entries(reader)
    assert [entry["index"] for entry in entries] == list(range(len(entries)))
    assert [event_id for event, event_id, _ in reader.events if event == "entry"] == [
        str(i) for i in range(len(entries))
    ]
    assert [entry["kind"] for entry in entries] == [
        "goto", "request", "reply", "play", "input", "request", "reply", "play", "hangup", "request", "reply",
    ]  # fmt: skip
    assert entries[4]["keys"] == "1234" and ["code", "1234"] in entries[5]["params"]
    assert entries[6]["text"] == "id_list_message=t-קיבלנו.d-1234&go_to_folder=hangup"
    assert ["hangup", "yes"] in entries[9]["params"]
    transcript = client.get(f"calls/{call_id}").json()["transcript"]
    assert [{k: v for k, v in entry.items() if k != "index"} for entry in entries] == transcript
    assert service.requests[1]["code"] == "1234"
    assert client.post(f"calls/{call_id}/input", json={"keys": "1"}).status_code == 409


def test_a_stream_opened_after_the_end_sends_everything_then_end(served, ivr_service):
    client, admin = served
    api_extension(client, "/5", ivr_service(lambda params: "" if params.get("hangup") else "go_to_folder=hangup").url)
    call_id = live_call(client, "/5")
    reader = EventReader(f"{admin}calls/{call_id}/events")
    assert reader.closed.wait(15)
    transcript = client.get(f"calls/{call_id}").json()["transcript"]
    assert len(_entries(reader)) == len(transcript) and reader.names() == ["entry"] * len(transcript) + ["end"]
    assert reader.events[-1][2] == {"id": call_id, "api": "yemot", "entries": len(transcript)}


def test_last_event_id_resumes_after_that_entry(served, ivr_service):
    client, admin = served
    api_extension(client, "/5", ivr_service(lambda params: "" if params.get("hangup") else "go_to_folder=hangup").url)
    call_id = live_call(client, "/5")
    reader = EventReader(f"{admin}calls/{call_id}/events", headers={"Last-Event-ID": "1"})
    assert reader.closed.wait(15)
    assert [entry["index"] for entry in _entries(reader)][0] == 2


def test_hanging_up_a_waiting_call_ends_its_stream(served):
    client, admin = served
    call_id = live_call(client, "/")  # the root menu of the default system waits for a key
    reader = EventReader(f"{admin}calls/{call_id}/events")
    reader.wait_for(lambda events: any(event == "waiting" for event, _, _ in events))
    assert client.delete(f"calls/{call_id}").status_code == 200
    assert reader.closed.wait(15) and reader.names()[-1] == "end"
    assert _entries(reader)[-1]["kind"] == "hangup"


def test_a_simotel_dialplan_call_streams_too(served):
    client, admin = served
    plan = {"numbers": ["789"], "start": "menu", "nodes": {
        "menu": {"type": "ivr", "announcement": "menu-file", "timeout": 5, "max_digits": 1,
                 "exits": {"1": "bye", "t": "bye", "i": "bye"}},
        "bye": {"type": "announcement", "file": "bye-file"}}}  # fmt: skip
    assert client.put("simotel/dialplans/live", json=plan).status_code == 200
    call_id = client.post("simotel/calls", json={"src": "09121111111", "dst": "789"}).json()["id"]
    reader = EventReader(f"{admin}calls/{call_id}/events")
    reader.wait_for(lambda events: any(event == "waiting" for event, _, _ in events))
    assert client.post(f"calls/{call_id}/input", json={"keys": "1"}).status_code == 200
    assert reader.closed.wait(20)
    kinds = [(entry["kind"], entry.get("keys")) for entry in _entries(reader)]
    assert kinds[:3] == [("note", None), ("play", None), ("input", "1")]
    assert reader.names()[-1] == "end"


def test_unknown_call_is_404_and_streams_are_bounded(served, monkeypatch):
    client, admin = served
    response = client.get("calls/call-999/events")
    assert (response.status_code, response.json()) == (404, {"error": "no call 'call-999'"})
    monkeypatch.setattr(softphone, "MAX_STREAMS", 1)
    call_id = live_call(client, "/")
    first = EventReader(f"{admin}calls/{call_id}/events")
    first.wait_for(lambda events: bool(events))
    second = client.get(f"calls/{call_id}/events")
    assert second.status_code == 429
    assert second.json() == {"error": "1 event streams are open already; close one first"}
    client.delete(f"calls/{call_id}")
    assert first.closed.wait(15)
