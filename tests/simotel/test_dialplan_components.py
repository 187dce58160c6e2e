"""IVR API, Extension API and Trunk API flows, plain nodes, originated calls entering a dialplan, and the
control-plane routes that define dialplans and place calls (reference B1, §5)."""

from __future__ import annotations

import pytest
from simotel_wire import ANCHOR

from emulator.testing.receiver import Receiver


@pytest.fixture
def service():
    """A web service answering ``replies[app_name]`` (a dict, or a callable of the request fields)."""
    replies: dict = {}

    def respond(hit):
        fields = hit.json if hit.method == "POST" else hit.query
        reply = replies[fields["app_name"]]
        return reply(fields) if callable(reply) else reply

    with Receiver(respond=respond) as receiver:
        receiver.replies = replies
        yield receiver


def _define(emulator, name: str, plan: dict) -> None:
    emulator.control("PUT", f"simotel/dialplans/{name}", json=plan)
    emulator.freeze(ANCHOR)


def _walk(emulator, body: dict, seconds: float = 120) -> dict:
    placed = emulator.control("POST", "simotel/calls", json=body)
    emulator.advance(seconds)
    return emulator.control("GET", f"calls/{placed['id']}")


def _kinds(view: dict, kind: str) -> list[dict]:
    return [entry for entry in view["transcript"] if entry["kind"] == kind]


def _gotos(view: dict) -> list[tuple]:
    return [(entry["from"], entry["reason"], entry["to"]) for entry in _kinds(view, "goto")]


def _notes(view: dict, message: str) -> list[dict]:
    return [entry for entry in _kinds(view, "note") if entry["message"] == message]


def ivr_api_plan(url: str) -> dict:
    return {
        "numbers": ["21000"],
        "nodes": {
            "menu": {
                "type": "ivr_api", "url": url, "announcement": "menu-file", "timeout_announcement": "again-file",
                "invalid_announcement": "invalid-file", "repeat": 2, "timeout": 5, "max_digits": 2,
                "exits": {"3": "sales", "7": "support", "i": "bye", "t": "bye", "e": "bye"},
            },
            "sales": {"type": "announcement", "file": "sales-file"},
            "support": {"type": "announcement", "file": "support-file"},
            "bye": {"type": "announcement", "file": "bye-file"},
        },
    }  # fmt: skip


def test_ivr_api_sends_the_keyed_digits_as_data_and_follows_the_case(emulator, service):
    service.replies["menu"] = lambda fields: {"ok": "1", "case": "3" if fields["data"] == "12" else "7"}
    _define(emulator, "ivrapi", ivr_api_plan(service.url + "/ivr"))
    view = _walk(emulator, {"src": "09121234567", "dst": "21000", "keys": ["12"]})
    [hit] = service.wait_for(1)
    assert hit.json == {"src": "09121234567", "dst": "21000", "data": "12", "unique_id": view["unique_id"],
                        "app_name": "menu"}  # fmt: skip
    assert "originated_call_id" not in hit.json  # SmartAPI only
    assert _gotos(view) == [("menu", "3", "sales"), ("sales", "next", None)]
    played = [part["name"] for entry in _kinds(view, "play") for part in entry["parts"]]
    assert played == ["menu-file", "sales-file"]
    # menu 3 s + two digits 2 s: the request goes out when the caller has keyed in
    assert _kinds(view, "request")[0]["at"] == "2026-01-01T00:00:05Z"


def test_ivr_api_silence_repeats_then_leaves_by_t_without_asking(emulator, service):
    service.replies["menu"] = {"ok": "1", "case": "3"}
    _define(emulator, "ivrapi", ivr_api_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "21000", "keys": ["", ""]})
    assert service.hits == []
    played = [part["name"] for entry in _kinds(view, "play") for part in entry["parts"]]
    assert played == ["menu-file", "again-file", "menu-file", "again-file", "bye-file"]
    assert _gotos(view)[0] == ("menu", "t", "bye")


def test_ivr_api_case_not_among_the_routes_plays_invalid_and_leaves_by_i(emulator, service):
    service.replies["menu"] = {"ok": 1, "case": 9}
    _define(emulator, "ivrapi", ivr_api_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "21000", "keys": ["5"]})
    assert _gotos(view)[0] == ("menu", "i", "bye")
    assert _kinds(view, "error")[0]["code"] == "case"


def test_ivr_api_with_get_method_sends_query_parameters(emulator, service):
    service.replies["menu"] = {"ok": "1", "case": "7"}
    emulator.control("PUT", "simotel/settings", json={"webhook": {"method": "GET"}})
    _define(emulator, "ivrapi", ivr_api_plan(service.url + "/ivr"))
    view = _walk(emulator, {"src": "09121234567", "dst": "21000", "keys": ["4"]})
    [hit] = service.wait_for(1)
    assert (hit.method, hit.path, hit.body) == ("GET", "/ivr", b"")
    assert hit.query == {"src": "09121234567", "dst": "21000", "data": "4", "unique_id": view["unique_id"],
                         "app_name": "menu"}  # fmt: skip
    assert _gotos(view)[0] == ("menu", "7", "support")


def exten_plan(url: str) -> dict:
    return {
        "numbers": ["22000"],
        "nodes": {
            "who": {"type": "exten_api", "url": url, "timeout": 20, "exits": {"S": "done", "B": "busy", "F": "fail"}},
            "done": {"type": "hangup"},
            "busy": {"type": "announcement", "file": "busy-file"},
            "fail": {"type": "announcement", "file": "fail-file"},
        },
    }


def test_extension_api_rings_the_extension_and_leaves_by_s(emulator, service):
    service.replies["who"] = {"ok": "1", "extension": "102"}
    _define(emulator, "exten", exten_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "22000", "keys": []})
    [dial] = _notes(view, "dial")
    assert dial["number"] == "102"
    [ended] = _notes(view, "leg ended")
    assert ended["outcome"] == "answered"
    assert _gotos(view) == [("who", "S", "done")]
    assert view["state"] == "ended"
    legs = emulator.calls(kind="dialplan")
    assert [(leg["to"], leg["caller_id"], leg["outcome"]) for leg in legs] == [("102", "09121234567", "answered")]


def test_extension_api_busy_extension_leaves_by_b(emulator, service):
    service.replies["who"] = {"ok": "1", "extension": "103"}
    emulator.set_phone("103", outcome="busy")
    _define(emulator, "exten", exten_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "22000", "keys": []})
    assert _gotos(view)[0] == ("who", "B", "busy")


@pytest.mark.parametrize("reply", [{"ok": "0", "extension": "102"}, {"ok": "1"}, {"ok": "1", "extension": ""}])
def test_extension_api_without_a_usable_reply_leaves_by_f(emulator, service, reply):
    service.replies["who"] = reply
    _define(emulator, "exten", exten_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "22000", "keys": []})
    assert _gotos(view)[0] == ("who", "F", "fail")
    assert emulator.calls(kind="dialplan") == []


def trunk_plan(url: str) -> dict:
    return {
        "numbers": ["23000"],
        "nodes": {"out": {"type": "trunk_api", "url": url, "exits": {"S": "done", "F": "fail"}},
                  "done": {"type": "hangup"}, "fail": {"type": "announcement", "file": "fail-file"}},
    }  # fmt: skip


def test_trunk_api_dials_out_over_the_trunk_with_the_call_limit(emulator, service):
    service.replies["out"] = {"ok": "1", "trunk": "Cisco", "extension": "09151412541", "call_limit": "10"}
    _define(emulator, "trunk", trunk_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "23000", "keys": []})
    [dial] = _notes(view, "dial")
    assert (dial["number"], dial["trunk"]) == ("09151412541", "Cisco")
    [leg] = emulator.calls(kind="dialplan")
    assert (leg["to"], leg["outcome"], leg["talk_s"]) == ("09151412541", "answered", 10.0)  # cut at call_limit
    assert _gotos(view) == [("out", "S", "done")]


def test_trunk_api_unknown_trunk_leaves_by_f(emulator, service):
    service.replies["out"] = {"ok": "1", "trunk": "NasimTrunk", "extension": "09151412541", "call_limit": "300"}
    _define(emulator, "trunk", trunk_plan(service.url))
    view = _walk(emulator, {"src": "09121234567", "dst": "23000", "keys": []})
    assert _gotos(view)[0] == ("out", "F", "fail")
    assert _kinds(view, "error")[0]["code"] == "trunk"


def test_plain_ivr_routes_digits_and_handles_timeout_and_invalid(emulator):
    plan = {
        "numbers": ["24000"],
        "nodes": {
            "menu": {"type": "ivr", "announcement": "menu", "exits": {"1": "ext", "t": "bye", "i": "bye"}},
            "ext": {"type": "extension", "extension": "104", "exits": {"S": "end"}},
            "bye": {"type": "hangup"},
            "end": {"type": "hangup"},
        },
    }
    _define(emulator, "plain", plan)
    routed = _walk(emulator, {"src": "09121234567", "dst": "24000", "keys": ["1"]})
    silent = _walk(emulator, {"src": "09121234567", "dst": "24000", "keys": [""]})
    wrong = _walk(emulator, {"src": "09121234567", "dst": "24000", "keys": ["9"]})
    assert [g[1] for g in _gotos(routed)] == ["1", "S"]
    assert _gotos(silent) == [("menu", "t", "bye")]
    assert _gotos(wrong) == [("menu", "i", "bye")]


def test_smartapi_setexten_feeds_an_extension_node_without_a_number(emulator, service):
    service.replies["s"] = {"ok": "1", "commands": "ClearUserData();SetExten('103');SetLimitOnCall(7);Exit('go')"}
    plan = {"numbers": ["25000"], "nodes": {
        "s": {"type": "smart_api", "url": service.url, "exits": {"go": "ext"}},
        "ext": {"type": "extension"}}}  # fmt: skip
    _define(emulator, "setexten", plan)
    _walk(emulator, {"src": "09121234567", "dst": "25000", "keys": []})
    [leg] = emulator.calls(kind="dialplan")
    assert (leg["to"], leg["talk_s"]) == ("103", 7.0)


def test_originate_into_a_dialplan_context_carries_originated_call_id(emulator, service):
    service.replies["s"] = {"ok": "1", "commands": "Playback('hello-world');Exit('done')"}
    plan = {"numbers": [], "nodes": {"s": {"type": "smart_api", "url": service.url, "exits": {"done": "bye"}},
                                     "bye": {"type": "hangup"}}}  # fmt: skip
    _define(emulator, "campaign_ctx", plan)
    body = {"caller": "09121234567", "callee": "700", "context": "campaign_ctx", "caller_id": "02191000000"}
    originated = emulator.simotel.post("call/originate/act", json=body).json()["data"]["originated_call_id"]
    emulator.advance(60)
    [hit] = service.wait_for(1)
    assert hit.json["originated_call_id"] == originated
    assert (hit.json["src"], hit.json["dst"], hit.json["app_name"]) == ("09121234567", "700", "s")
    view = emulator.control("GET", f"calls/{hit.json['unique_id']}")
    assert view["originated_call_id"] == originated
    assert view["state"] == "ended"


def test_dialplan_definitions_are_validated(emulator):
    bad = [
        ({"nodes": {}}, "'nodes'"),
        ({"nodes": {"a": {"type": "teleport"}}}, "'type'"),
        ({"nodes": {"a": {"type": "announcement", "exits": {"next": "zz"}}}}, "unknown node 'zz'"),
        ({"nodes": {"a": {"type": "smart_api", "url": "ftp://x"}}}, "'url'"),
        ({"nodes": {"a": {"type": "smart_api", "url": "http://127.0.0.1/__emulator__/reset"}}}, "control plane"),
        ({"nodes": {"a": {"type": "ivr", "timeout": "5"}}}, "'timeout' must be int"),
        ({"numbers": ["abc"], "nodes": {"a": {"type": "hangup"}}}, "'numbers'"),
    ]
    for body, fragment in bad:
        response = emulator.admin.put("simotel/dialplans/x", json=body)
        assert response.status_code == 400, body
        assert fragment in response.json()["error"], (body, response.json())


def test_dialplan_put_get_list_delete(emulator):
    plan = {"numbers": ["26000"], "nodes": {"a": {"type": "hangup"}}}
    stored = emulator.control("PUT", "simotel/dialplans/p1", json=plan)
    assert stored == {"name": "p1", "numbers": ["26000"], "start": "a", "nodes": {"a": {"type": "hangup", "exits": {}}}}
    assert emulator.control("GET", "simotel/dialplans/p1") == stored
    assert [p["name"] for p in emulator.control("GET", "simotel/dialplans")["dialplans"]] == ["p1"]
    assert emulator.control("DELETE", "simotel/dialplans/p1") == {"name": "p1", "deleted": True}
    assert emulator.admin.get("simotel/dialplans/p1").status_code == 400


def test_placing_a_call_to_a_number_no_dialplan_serves_is_refused(emulator):
    response = emulator.admin.post("simotel/calls", json={"src": "09121234567", "dst": "99999"})
    assert response.status_code == 400
    assert "no dialplan answers '99999'" in response.json()["error"]
    bad_keys = emulator.admin.post("simotel/calls", json={"src": "0912", "dst": "1", "keys": ["1a"]})
    assert bad_keys.status_code == 400


def test_delete_hangs_up_a_call_waiting_in_a_dialplan(emulator):
    plan = {"numbers": ["27000"], "nodes": {"q": {"type": "ivr", "timeout": 30, "announcement": "long"}}}
    _define(emulator, "waiting", plan)
    placed = emulator.control("POST", "simotel/calls", json={"src": "09121234567", "dst": "27000", "keys": [""]})
    emulator.advance(1)
    view = emulator.control("DELETE", f"calls/{placed['id']}")
    assert view["state"] == "ended"
    assert view["transcript"][-1]["by"] == "caller"
    emulator.advance(60)
    assert emulator.control("GET", f"calls/{placed['id']}")["transcript"][-1] == view["transcript"][-1]


def test_dialplans_from_a_fixture(emulator):
    fixture = (
        "simotel:\n  accounts: [{username: u, password: p}]\n  dialplans:\n"
        "    fx:\n      numbers: ['28000']\n      nodes:\n        a: {type: announcement, file: hi}\n"
    )
    response = emulator.admin.post("fixtures", content=fixture.encode())
    assert response.status_code == 200, response.text
    emulator.freeze(ANCHOR)
    view = _walk(emulator, {"src": "09121234567", "dst": "28000", "keys": []})
    assert [part["name"] for entry in _kinds(view, "play") for part in entry["parts"]] == ["hi"]


def test_a_fixture_with_a_broken_dialplan_is_refused_with_its_path(emulator):
    fixture = "simotel:\n  dialplans:\n    fx:\n      nodes:\n        a: {type: announcement, exits: {next: nowhere}}\n"
    response = emulator.admin.post("fixtures", content=fixture.encode())
    assert response.status_code == 400
    assert "simotel.dialplans.fx" in response.text and "unknown node 'nowhere'" in response.text


def test_dialplan_control_routes_answer_as_admin_yaml_documents(emulator, service):
    from emulator.config import default_contracts_dir
    from emulator.core.http.contracts import Contract

    contract = Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")
    service.replies["who"] = {"ok": "1", "extension": "102"}
    emulator.freeze(ANCHOR)
    put = emulator.admin.put("simotel/dialplans/exten", json=exten_plan(service.url))
    placed = emulator.admin.post("simotel/calls", json={"src": "09121234567", "dst": "22000"})
    emulator.advance(10)
    call_id = placed.json()["id"]
    checks = [
        ("simotel/dialplans/{name}", "put", put),
        ("simotel/dialplans/{name}", "get", emulator.admin.get("simotel/dialplans/exten")),
        ("simotel/dialplans/{name}", "get", emulator.admin.get("simotel/dialplans/nope")),
        ("simotel/dialplans/{name}", "put", emulator.admin.put("simotel/dialplans/bad", json={"nodes": {}})),
        ("simotel/dialplans", "get", emulator.admin.get("simotel/dialplans")),
        ("simotel/calls", "post", placed),
        ("simotel/calls", "post", emulator.admin.post("simotel/calls", json={"src": "x", "dst": "1"})),
        ("calls/{id}", "get", emulator.admin.get(f"calls/{call_id}")),
        ("simotel/calls/{id}/transfer", "post", emulator.admin.post(f"simotel/calls/{call_id}/transfer",
                                                                    json={"to": "103"})),
        ("simotel/calls/{id}/transfer", "post", emulator.admin.post(f"simotel/calls/{call_id}/transfer",
                                                                    json={"to": "x"})),
        ("simotel/faxes/incoming", "post", emulator.admin.post("simotel/faxes/incoming",
                                                               json={"src": "02191015504", "dst": "2191015504"})),
        ("calls/{id}", "delete", emulator.admin.delete(f"calls/{call_id}")),
        ("simotel/dialplans/{name}", "delete", emulator.admin.delete("simotel/dialplans/exten")),
    ]  # fmt: skip
    for key, verb, response in checks:
        operation = contract.get(key)
        documented = contract.resolve(operation.verbs[verb]["responses"][str(response.status_code)])
        schema = contract.resolve(documented["content"]["application/json"]["schema"])
        errors = [str(error) for error in contract.validator(schema).iter_errors(response.json())]
        assert errors == [], (key, verb, response.json())


def test_a_transferred_call_leaves_one_cdr_with_both_legs_in_details(emulator):
    _define(emulator, "xfer", {"numbers": ["29000"], "nodes": {"ext": {"type": "extension", "extension": "102"}}})
    placed = emulator.control("POST", "simotel/calls", json={"src": "09121234567", "dst": "29000"})
    emulator.advance(10)  # 102 answered after 5 s
    emulator.control("POST", f"simotel/calls/{placed['id']}/transfer", json={"to": "103"})
    emulator.advance(60)
    view = emulator.control("GET", f"calls/{placed['id']}")
    assert [(leg["to"], leg["outcome"]) for leg in emulator.calls(kind="dialplan")] == [
        ("102", "answered"), ("103", "answered")]  # fmt: skip
    body = {"alike": "false", "conditions": {"cuid": view["unique_id"]}}
    [cdr] = emulator.simotel.post("reports/cdr/search", json=body).json()["data"]["data"]
    assert [(item["exten"], item["status"], item["billsec"]) for item in cdr["details"]] == [
        ("102", "ANSWERED", 5), ("103", "ANSWERED", 20)]  # fmt: skip


def test_a_dialplan_that_loops_without_time_passing_is_hung_up(emulator):
    plan = {"numbers": ["31000"], "nodes": {"a": {"type": "announcement", "exits": {"next": "b"}},
                                            "b": {"type": "announcement", "exits": {"next": "a"}}}}  # fmt: skip
    _define(emulator, "loop", plan)
    view = _walk(emulator, {"src": "09121234567", "dst": "31000"}, seconds=1)
    assert view["state"] == "ended"
    assert _kinds(view, "error")[-1]["code"] == "loop"
    assert view["transcript"][-1]["kind"] == "hangup"


def test_a_dialplan_queue_rings_an_agent_and_leaves_queue_records(emulator):
    _define(emulator, "q", {"numbers": ["32000"], "nodes": {"q": {"type": "queue", "queue": "500"}}})
    view = _walk(emulator, {"src": "09121234567", "dst": "32000"})
    body = {"alike": "false", "conditions": {"cuid": view["unique_id"]}}
    [stat] = emulator.simotel.post("reports/queue/search", json=body).json()["data"]["data"]
    assert (stat["qnum"], stat["dst"], stat["disposition"], stat["billsec"]) == ("500", "101", "ANSWERED", 20)
    [cdr] = emulator.simotel.post("reports/cdr/search", json=body).json()["data"]["data"]
    assert (cdr["src"], cdr["dst"], cdr["type"], cdr["entry_point"]) == ("09121234567", "32000", "incoming", "q")
    assert cdr["record"].endswith(".mp3")  # the agent answered: the call was recorded
