"""yemot-api (PyPI) template and campaign methods, sync and async, against the emulator over real HTTP.

Every one of the client's 17 Campaign API methods runs and its pydantic model parses our answer
(the models require every documented key with its type), as in ``test_yemot_api.py``.
"""

from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("yemot_api")

from yemot_api import input_types
from yemot_api.async_yemot_api import AsyncYemot
from yemot_api.exceptions import YemotAPIError
from yemot_api.yemot_api import Yemot

from emulator.testing.harness import RemoteControlPlane

SYSTEM, PASSWORD, TEMPLATE = "0773137770", "1234", 100001
START = "2026-03-10T08:00:00Z"  # Tuesday 10:00 in Israel


def fixture_text() -> str:
    system = {
        "number": SYSTEM,
        "password": PASSWORD,
        "units": 100,
        "files": {f"ivr2:/{TEMPLATE}.wav": {"size": 160_000}},
        "templates": [{"id": TEMPLATE, "description": "Weekly", "entries": ["0521111111"]}],
    }
    return json.dumps({"seed": 1, "yemot": {"systems": [system]}})


@pytest.fixture
def server(emulator_server):
    running = RemoteControlPlane(emulator_server.admin)
    running.control("POST", "fixtures", content=fixture_text())
    running.freeze(START)
    running.urls = emulator_server
    yield running
    running.close()


def test_template_methods_parse(server):
    ym = Yemot(f"{SYSTEM}:{PASSWORD}")
    ym.BASE_URL = server.urls.yemot
    (template,) = ym.get_templates().templates
    assert template.template_id == TEMPLATE and template.message_duration == 10.0
    created = ym.create_template("Second")
    updated = ym.update_template(created, caller_id=SYSTEM, originate_timeout=8, vm_detect=True, redial_wait=2.5)
    assert updated.template.originate_timeout == 8.0 and updated.template.vm_detect is True
    assert ym.update_template_entry(created, None, "0522222222", "Dan", "info", blocked=True) is True
    entries = ym.get_template_entries(created).entries
    assert [(e.phone, e.name, e.more_info, e.blocked) for e in entries] == [("0522222222", "Dan", "info", True)]
    uploaded = ym.upload_phone_list(["0523333333,Avi", "12,bad"], created)
    assert (uploaded.total_inserted, uploaded.rejected_records[0].error_state) == (1, "INVALID")
    with pytest.raises(YemotAPIError):
        ym.upload_phone_list(["", " "], created)  # bad_format, raised by the client itself
    rowids = [e.rowid for e in ym.get_template_entries(created).entries]
    assert ym.update_template_entries(created, rowids, input_types.UpdateTemplateEntries.UNBLOCK) is True
    assert ym.clear_template_entries(created) is True
    assert ym.delete_template(created) is True
    ym.close()


def test_campaign_methods_parse(server):
    ym = Yemot(f"{SYSTEM}:{PASSWORD}")
    ym.BASE_URL = server.urls.yemot
    started = ym.run_campaign(TEMPLATE, tts_mode=True, with_sms=False)
    assert started.entries_count == 1 and started.estimated_price == 1.0
    adhoc = ym.run_campaign(
        TEMPLATE, phones={"0524444444": {"name": "A", "moreinfo": "m", "text": "t", "blocked": False}}
    )
    ym.run_campaign(phones=["0525555555", "0526666666"])
    assert len(ym.get_active_campaigns().campaigns) == 3
    paused = ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.SET_PAUSED, True)
    assert paused.campaign.paused is True
    added = ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.ADD, ["0527777777"])
    assert added.data[0].action == "add"
    ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.BLOCK, {"0527777777": {"name": "x"}})
    ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.HANGUP, ["0524444444"])
    ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.SET_MAX_ACTIVE_CHANNELS, 5)
    ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.SET_MAX_BRIDGED_CHANNELS, 0)
    assert ym.campaign_action(adhoc.campaign_id, input_types.CampaignAction.STOP).campaign.campaign_status == "STOPPED"
    server.advance(120)
    status = ym.get_campaign_status(started.campaign_id, input_types.CampaignStatusEntries.ALL, 1, 10)
    assert status.campaign.campaign_status == "FINISHED" and status.campaign.entries[0].entry_status == "done"
    assert ym.get_campaign_status(started.campaign_id, max_range=5).campaign.entries is None
    assert ym.get_campaign_status(started.campaign_id, input_types.CampaignStatusEntries.DONE, all_entries=True)
    assert ym.download_campaign_report(started.campaign_id).startswith("index,phone,name")
    with pytest.raises(YemotAPIError):
        ym.download_campaign_report("nope")
    scheduled = ym.schedule_campaign(TEMPLATE, "2026-03-10 12:00")
    assert scheduled.sched_time.hour == 12
    listed = ym.get_scheduled_campaigns("PENDING", "asc", 0, 10)
    assert listed.total_count == 1 and listed.scheduled_campaigns[0].pending is True
    assert ym.delete_scheduled_campaign(scheduled.sched_id) is True
    ym.close()


def test_async_client_parses_the_same_answers(server):
    async def run() -> None:
        client = AsyncYemot(f"{SYSTEM}:{PASSWORD}")
        client.BASE_URL = server.urls.yemot
        assert (await client.get_templates()).templates[0].template_id == TEMPLATE
        created = await client.create_template("Async")
        assert (await client.update_template(created, max_active_channels=3)).template.max_active_channels == 3
        assert await client.update_template_entry(created, None, "0522222222") is True
        assert (await client.upload_phone_list(["0523333333"], created)).total_inserted == 1
        rowids = [e.rowid for e in (await client.get_template_entries(created)).entries]
        assert await client.update_template_entries(created, rowids, input_types.UpdateTemplateEntries.BLOCK) is True
        assert await client.clear_template_entries(created) is True
        assert await client.delete_template(created) is True
        started = await client.run_campaign(TEMPLATE)
        assert (await client.get_active_campaigns()).campaigns[0].campaign_id == started.campaign_id
        action = await client.campaign_action(started.campaign_id, input_types.CampaignAction.SET_PAUSED, False)
        assert action.campaign.paused is False
        server.advance(60)
        status = await client.get_campaign_status(started.campaign_id, input_types.CampaignStatusEntries.ALL)
        assert status.campaign.total_successful == 1
        assert (await client.download_campaign_report(started.campaign_id)).count("\r\n") == 2
        scheduled = await client.schedule_campaign(TEMPLATE, "2026-03-11")
        assert (await client.get_scheduled_campaigns("PENDING", "desc")).scheduled_campaigns[
            0
        ].sched_id == scheduled.sched_id
        assert await client.delete_scheduled_campaign(scheduled.sched_id) is True
        await client.close()

    asyncio.run(run())
