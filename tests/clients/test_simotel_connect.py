"""simotel-connect (PyPI) against the emulator over real HTTP: every manager method succeeds and parses.

The client has no base-URL option; it is pointed at the emulator with ``host``/``port``/``scheme``
(reference §6.1). Calls it sends in its own dialect (PUT, flat filters, ``?id=``, records named by
number or name) are accepted and journaled as conformance warnings.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
import pytest

simotel_connect = pytest.importorskip("simotel_connect")

from simotel_connect import Simotel  # noqa: E402

from emulator.testing.harness import RemoteControlPlane  # noqa: E402

TOKEN = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
ANCHOR = "2026-01-01T00:00:00Z"


class Server(RemoteControlPlane):
    """The running emulator: a simotel-connect client plus control-plane helpers."""

    def __init__(self, urls) -> None:
        super().__init__(urls.admin)
        parts = urlsplit(urls.base)
        self.sm = Simotel(host=parts.hostname, port=parts.port, scheme="http", username="test",
                          password="Aa123456", api_key=TOKEN)  # fmt: skip
        self.sm._client.debug = False  # the client prints a curl line per call by default
        self.api = httpx.Client(base_url=urls.simotel, auth=("test", "Aa123456"), headers={"X-APIKEY": TOKEN})

    def ok(self, service: str, body: dict):
        payload = self.api.post(service, json=body).json()
        assert payload["success"] == 1, payload
        return payload["data"]


@pytest.fixture
def server(emulator_server):
    running = Server(emulator_server)
    running.freeze(ANCHOR)
    yield running
    running.close()
    running.api.close()


@pytest.fixture
def sm(server):
    return server.sm


def _ok(response):
    assert response.success is True, (response.message, response.data)
    return response.data


def _upload(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


# -- setting, call ------------------------------------------------------------------------------


def test_setting_ping_succeeds_with_documented_message(sm):
    response = sm.setting.ping()
    assert response.success and response.data is None
    assert response.message == "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"


def test_call_originate_returns_originated_call_id(sm):
    data = _ok(sm.call.originate(caller="101", callee="09121234567", caller_id="101", timeout=30))
    assert data["originated_call_id"].startswith("orig.call.1767225600.")


# -- pbx users, trunks, queues --------------------------------------------------------------------


def test_pbx_users_add_search_update_remove(sm):
    assert _ok(sm.pbx.users.add(extension="555", name="علی رضایی", password="Secret123"))["_id"]
    [user] = _ok(sm.pbx.users.search(extension="555"))
    assert (user["number"], user["name"]) == ("555", "علی رضایی")
    _ok(sm.pbx.users.update(extension="555", name="رضا"))
    assert _ok(sm.pbx.users.search(extension="555"))[0]["name"] == "رضا"
    _ok(sm.pbx.users.remove(extension="555"))
    assert _ok(sm.pbx.users.search(extension="555")) == []


def test_pbx_trunks_add_search_update_remove(sm):
    _ok(sm.pbx.trunks.add(name="NasimTrunk", host="10.0.0.1", username="u", password="p"))
    assert [t["name"] for t in _ok(sm.pbx.trunks.search(name="NasimTrunk"))] == ["NasimTrunk"]
    _ok(sm.pbx.trunks.update(name="NasimTrunk", host="10.0.0.2"))
    assert _ok(sm.pbx.trunks.search(name="NasimTrunk"))[0]["host"] == "10.0.0.2"
    _ok(sm.pbx.trunks.remove(name="NasimTrunk"))
    assert _ok(sm.pbx.trunks.search(name="NasimTrunk")) == []


def test_pbx_queues_add_search_update_remove(sm):
    _ok(sm.pbx.queues.add(name="support", strategy="ringall", timeout=30, number="700"))
    [queue] = _ok(sm.pbx.queues.search(name="support"))
    assert queue["strategy"] == "ringall"
    _ok(sm.pbx.queues.update(name="support", strategy="rrmemory"))
    assert _ok(sm.pbx.queues.search(name="support"))[0]["strategy"] == "rrmemory"
    _ok(sm.pbx.queues.remove(name="support"))
    assert _ok(sm.pbx.queues.search(name="support")) == []


def test_pbx_queues_single_agent_operations(sm):
    _ok(sm.pbx.queues.add(name="sales", number="701"))
    assert _ok(sm.pbx.queues.add_agent(queue="701", agent="101"))["message"] == "Added successfully"
    assert _ok(sm.pbx.queues.pause_agent(queue="701", agent="101", reason="lunch"))["message"] == "Paused successfully"
    assert _ok(sm.pbx.queues.resume_agent(queue="701", agent="101"))["message"] == "UnPaused successfully"
    assert _ok(sm.pbx.queues.remove_agent(queue="701", agent="101"))["message"] == "Removed successfully"


def test_pbx_queues_batch_agent_operations(sm):
    _ok(sm.pbx.queues.add(name="sales", number="701"))
    agents = ["101", "102"]
    batches = [
        (sm.pbx.queues.batch_add_agent(queue="701", agents=agents), "Added successfully"),
        (sm.pbx.queues.batch_pause_agent(queue="701", agents=agents, reason="x"), "Paused successfully"),
        (sm.pbx.queues.batch_resume_agent(queue="701", agents=agents), "UnPaused successfully"),
        (sm.pbx.queues.batch_remove_agent(queue="701", agents=agents), "Removed successfully"),
    ]
    for response, message in batches:
        data = _ok(response)
        assert [item["message"] for item in data["Data"]] == [message, message]


# -- pbx lists, announcements, music on hold, faxes ---------------------------------------------------


@pytest.mark.parametrize("manager", ["blacklists", "whitelists"])
def test_pbx_number_lists_add_search_update_remove(sm, manager):
    lists = getattr(sm.pbx, manager)
    _ok(lists.add(number="09121112233", description="spam"))
    [entry] = _ok(lists.search(number="09121112233"))
    assert entry["comment"] == "spam"
    _ok(lists.update(number="09121112233", comment="ok"))
    assert _ok(lists.search(number="09121112233"))[0]["comment"] == "ok"
    _ok(lists.remove(number="09121112233"))
    assert _ok(lists.search(number="09121112233")) == []


def test_pbx_announcements_upload_add_search_update_remove(sm, tmp_path):
    uploaded = _ok(sm.pbx.announcements.upload(_upload(tmp_path, "welcome.mp3", b"ID3 audio"), name="welcome"))
    _ok(sm.pbx.announcements.add(name="welcome", filename=uploaded["filename"]))
    [announcement] = _ok(sm.pbx.announcements.search(name="welcome"))
    assert announcement["filename"] == uploaded["filename"]
    _ok(sm.pbx.announcements.update(name="welcome", comment="hello"))
    _ok(sm.pbx.announcements.remove(name="welcome"))
    assert _ok(sm.pbx.announcements.search(name="welcome")) == []


def test_pbx_musiconholds_search_returns_a_list(sm):
    assert isinstance(_ok(sm.pbx.musiconholds.search(alike="true", conditions={"name": ""})), list)


def test_pbx_faxes_upload_add_search_download(sm, tmp_path):
    uploaded = _ok(sm.pbx.faxes.upload(_upload(tmp_path, "doc.pdf", b"%PDF-1.4 fax")))
    fax = _ok(sm.pbx.faxes.add(to="02112345678", file=uploaded["filename"], trunk_name="NasimTrunk"))
    page = _ok(sm.pbx.faxes.search(limit=10, offset=0))
    assert fax["_id"] in [item["_id"] for item in page["data"]]
    assert len(sm.pbx.faxes.download(fax_id=fax["_id"])) > 0


# -- voicemails --------------------------------------------------------------------------------------


def test_voicemails_add_search_update_remove(sm):
    _ok(sm.voicemails.add(name="صندوق", number="555", password="1234"))
    [box] = _ok(sm.voicemails.search(extension="555"))
    assert box["name"] == "صندوق"
    _ok(sm.voicemails.update(number="555", email="box@example.com"))
    assert _ok(sm.voicemails.search(extension="555"))[0]["email"] == "box@example.com"
    _ok(sm.voicemails.remove(number="555"))
    assert _ok(sm.voicemails.search(extension="555")) == []


def test_voicemails_inbox_search_by_extension(sm, server):
    number = server.ok("voicemails/inbox/search", {"alike": "false"})["data"][0]["number"]
    page = _ok(sm.voicemails.inbox_search(extension=number))
    assert page["data"] and all(message["number"] == number for message in page["data"])


def test_voicemails_download_audio_by_message_id(sm, server):
    messages = server.ok("voicemails/inbox/search", {"alike": "false"})["data"]
    message = next(m for m in messages if "filename" in m)
    assert sm.voicemails.download_audio(message_id=message["_id"])[:4] == b"RIFF"


# -- reports ----------------------------------------------------------------------------------------


def test_reports_quick_search_without_filters_pages_the_cdrs(sm):
    data = _ok(sm.reports.quick_search())
    assert data["pagination"]["sorting"] == {"starttime": -1}
    assert data["pagination"]["total"] == 40 and len(data["data"]) == 20


def test_reports_quick_search_with_documented_body(sm):
    data = _ok(sm.reports.quick_search(alike="true", conditions={"from": "", "to": "", "cuid": ""}, date_range={},
                                       pagination={"start": 0, "count": 5, "sorting": {}}))  # fmt: skip
    assert len(data["data"]) == 5


def test_reports_quick_info_by_cuid(sm, server):
    leg = server.ok("reports/queue_details/search", {"alike": "false"})["data"][0]
    assert _ok(sm.reports.quick_info(cuid=leg["cuid"])) == [leg]


def test_reports_cdr_search_with_limit_and_cuid(sm, server):
    record = server.ok("reports/cdr/search", {"alike": "false"})["data"][3]
    data = _ok(sm.reports.cdr_search(cuid=record["cuid"], limit=5, offset=0))
    assert data["target"] == "cdr" and data["data"] == [record]


def test_reports_cdr_search_with_gregorian_dates(sm):
    data = _ok(sm.reports.cdr_search(from_date="2025-12-01 00:00", to_date="2026-01-01 03:30", alike=True))
    assert data["pagination"]["total"] > 0


def test_reports_cdr_ordered_returns_the_first_twenty_as_json_bytes(sm):
    body = json.loads(sm.reports.cdr_ordered(after_id=""))
    assert body["success"] == 1 and len(body["data"]["data"]) == 20
    after = json.loads(sm.reports.cdr_ordered(after_id=body["data"]["last_id"]))
    assert after["data"]["data"][0]["_id"] > body["data"]["last_id"]


@pytest.mark.parametrize("method", ["queue_ordered", "queue_details_ordered"])
def test_reports_queue_exports_return_json_bytes(sm, method):
    body = json.loads(getattr(sm.reports, method)(after_id=""))
    assert body["success"] == 1 and body["data"]["data"]


def test_reports_queue_search_by_queue(sm):
    data = _ok(sm.reports.queue_search(queue="500"))
    assert data["target"] == "queue_stat" and {r["qnum"] for r in data["data"]} == {"500"}


def test_reports_queue_details_search_by_queue(sm):
    data = _ok(sm.reports.queue_details_search(queue="501"))
    assert data["target"] == "queue" and {r["qnum"] for r in data["data"]} == {"501"}


def test_reports_agent_search_by_agent(sm, server):
    exten = server.ok("reports/agent/search", {"alike": "false"})["data"][0]["exten"]
    data = _ok(sm.reports.agent_search(agent=exten))
    assert data["target"] == "agent" and {r["exten"] for r in data["data"]} == {exten}


def test_reports_poll_search(sm):
    data = _ok(sm.reports.poll_search())
    assert data["target"] == "poll" and data["pagination"]["total"] > 0


def test_reports_download_audio_of_an_originated_call(sm, server):
    originated = _ok(sm.call.originate(caller="101", callee="09121234567", caller_id="101"))["originated_call_id"]
    server.advance(120)
    [record] = _ok(sm.reports.cdr_search(conditions={"cuid": ""}, alike="true", limit=1))["data"]
    assert record["originated_call_id"] == originated
    assert sm.reports.download_audio(file=record["record"])[:2] == b"\xff\xfb"
    assert sm.reports.download_audio_dual_channel(file=record["record"])[:2] == b"\xff\xfb"


# -- autodialer ------------------------------------------------------------------------------------


def test_autodialer_contacts_add_search_update_remove(sm):
    _ok(sm.autodialer.contacts.add(number="09120000001", name="مریم"))
    [contact] = _ok(sm.autodialer.contacts.search(number="09120000001"))["data"]
    assert contact["name"] == "مریم"
    _ok(sm.autodialer.contacts.update(number="09120000001", name="سارا"))
    assert _ok(sm.autodialer.contacts.search(number="09120000001"))["data"][0]["name"] == "سارا"
    _ok(sm.autodialer.contacts.remove(number="09120000001"))
    assert _ok(sm.autodialer.contacts.search(number="09120000001"))["data"] == []


def test_autodialer_groups_upload_add_search_update_remove(sm, tmp_path):
    uploaded = _ok(sm.autodialer.groups.upload(_upload(tmp_path, "book1.csv", b"09120000001\n09120000002\n")))
    group_id = _ok(sm.autodialer.groups.add(name="vip", numbers=["09120000003"], description="d"))["_id"]
    _ok(sm.autodialer.groups.add(name="csv", filename=uploaded["filename"]))
    found = _ok(sm.autodialer.groups.search(name="vip"))["data"]
    assert [(g["name"], g["count"]) for g in found] == [("vip", 1)]
    assert _ok(sm.autodialer.groups.update(_id=group_id, numbers=["1", "2"]))["count"] == 2
    _ok(sm.autodialer.groups.remove(_id=group_id))


def test_autodialer_announcements_upload_add_search_update_remove(sm, tmp_path):
    uploaded = _ok(sm.autodialer.announcements.upload(_upload(tmp_path, "promo.wav", b"RIFF....WAVE")))
    announcement_id = _ok(sm.autodialer.announcements.add(name="promo", filename=uploaded["filename"]))["_id"]
    assert [a["name"] for a in _ok(sm.autodialer.announcements.search(name="promo"))] == ["promo"]
    _ok(sm.autodialer.announcements.update(_id=announcement_id, description="x"))
    _ok(sm.autodialer.announcements.remove(_id=announcement_id))


def test_autodialer_trunks_search_and_update(sm):
    [manager] = _ok(sm.autodialer.trunks.search())  # the default fixture's trunk manager
    _ok(sm.autodialer.trunks.update(name=manager["title"], capacity="9"))
    assert _ok(sm.autodialer.trunks.search())[0]["capacity"] == "9"


def test_autodialer_campaigns_add_search_update_remove(sm):
    campaign_id = _ok(sm.autodialer.campaigns.add(
        name="promo", trunk_manager_id="0123456789abcdef01234567", numbers=["09121234567"],
        start="2026-01-01 04:00", end="2026-01-02 04:00",
    ))["_id"]  # fmt: skip
    [campaign] = _ok(sm.autodialer.campaigns.search(name="promo"))["data"]
    assert (campaign["_id"], campaign["status"]) == (campaign_id, "waiting")
    _ok(sm.autodialer.campaigns.update(_id=campaign_id, description="new"))
    _ok(sm.autodialer.campaigns.remove(_id=campaign_id))


def test_autodialer_reports_search_ordered_and_info_after_a_campaign(sm, server):
    campaign_id = _ok(sm.autodialer.campaigns.add(
        name="promo", trunk_manager_id="0123456789abcdef01234567", numbers=["09121234567"],
        start="2026-01-01 04:00", end="2026-01-02 04:00",
    ))["_id"]  # fmt: skip
    server.advance(40 * 60)
    [report] = _ok(sm.autodialer.reports.search(campaign_id=campaign_id))["data"]
    assert (report["number"], report["disposition"]) == ("09121234567", "ANSWERED")
    ordered = _ok(sm.autodialer.reports.ordered())
    assert ordered["last_id"] == report["_id"]
    info = _ok(sm.autodialer.reports.info(_id=report["tries"][0]["cdr_id"]["$oid"]))
    assert info["amaflags"] == "DOCUMENTATION"
