"""yemot-api (PyPI) against the emulator over real HTTP: every issue-4 method it exposes parses our answers.

The client's pydantic models require exact field names and types, so a passing call is a strict
check of the wire format. It is pointed at the emulator by overriding ``BASE_URL`` (reference §11.1).
Two of its methods never succeed by design: ``sip_extension_management`` raises NotImplementedError
before sending, ``view_campaign_reports`` after a successful request.
"""

from __future__ import annotations

import asyncio
import re

import pytest

pytest.importorskip("yemot_api")

from yemot_api import input_types
from yemot_api.async_yemot_api import AsyncYemot
from yemot_api.exceptions import YemotAPIError
from yemot_api.yemot_api import Yemot

from emulator.testing.harness import RemoteControlPlane

SYSTEM, PASSWORD, CREATE_PHONE = "0773137770", "1234", "0527777770"
START = "2026-03-01T08:00:00Z"


class Server(RemoteControlPlane):
    """The running emulator: a yemot-api client aimed at it, plus control-plane helpers."""

    def __init__(self, urls) -> None:
        super().__init__(urls.admin)
        self.urls = urls
        self.freeze(START)

    def client(self, token: str = f"{SYSTEM}:{PASSWORD}") -> Yemot:
        client = Yemot(token)
        client.BASE_URL = self.urls.yemot
        return client


@pytest.fixture
def server(emulator_server):
    running = Server(emulator_server)
    yield running
    running.close()


@pytest.fixture
def ym(server):
    client = server.client()
    yield client
    client.close()


def test_account_methods_parse(server, ym):
    token = ym.login(SYSTEM, PASSWORD)
    assert len(token) == 16
    assert ym.get_session().username == SYSTEM
    data = ym.get_customer_data()
    assert data.main_did == SYSTEM and data.secondary_dids[0].usage == "goto:/1"
    assert ym.transfer_units("0773137780", 1).new_balance == 99
    assert ym.get_transactions(limit=10).total_count >= 1
    ym.get_incoming_sum()
    ym.get_incoming_sum("2025-12-01", "2025-12-31")
    assert ym.logout() is True
    with pytest.raises(YemotAPIError):
        ym.get_session()


def test_security_methods_parse(server, ym):
    ym.login(SYSTEM, PASSWORD)
    other = server.client()
    other.login(SYSTEM, PASSWORD)
    assert ym.validation_token().token_data.double_auth_status is False
    assert ym.double_auth(input_types.DoubleAuthAction.SEND_CODE) == CREATE_PHONE[-4:]
    server.advance(0)
    code = server.phones(CREATE_PHONE)["calls"][-1]["caller_id"][-4:]
    assert ym.double_auth(input_types.DoubleAuthAction.VERIFY_CODE, code) is True
    assert ym.get_login_log(limit=5).data
    sessions = ym.get_all_sessions()
    victim = next(s.id for s in sessions.data if s.token[-6:] == other.token[-6:])
    assert ym.kill_session(victim) is True
    assert ym.kill_all_sessions() is True


def test_sms_tzintuk_and_caller_id_methods_parse(server, ym):
    assert ym.send_sms("שלום", ["0521234567", "0521234568"]).send_count == 2
    assert ym.get_sms_out_log(limit=5).rows
    ym.get_customer_sms_transactions()
    explicit = ym.run_tzintuk(input_types.RunTzintukMethod.OTHER, ["0521234567"], tzintuk_time_out=5)
    assert explicit.calls_count == 1
    ym.run_tzintuk(input_types.RunTzintukMethod.TPL, 3)
    assert ym.run_tzintuk(input_types.RunTzintukMethod.TZL, ["120", "130"]).biling_per_call == 0
    lists = ym.tzintukim_list_management(input_types.TzintukimListManagementAction.GET_LISTS)
    assert {item.list_name for item in lists.lists} >= {"120", "130"}
    ym.tzintukim_list_management(input_types.TzintukimListManagementAction.GET_LIST_ENTRIES, "120")
    ym.tzintukim_list_management(input_types.TzintukimListManagementAction.GET_LOG_LIST, "120")
    assert ym.tzintukim_list_management(input_types.TzintukimListManagementAction.RESET_LIST, "130") is True
    req = ym.validation_callerId(
        input_types.ValidationCallerIdAction.SEND,
        caller_id="0521112233",
        valid_type=input_types.ValidationCallerIdValidType.SMS,
    )
    text = server.phones("0521112233")["messages"][-1]["text"]
    code = re.search(r"\d{4}", text).group(0)
    assert ym.validation_callerId(input_types.ValidationCallerIdAction.VALID, re_id=req, code=code) is True


def test_task_methods_parse(server, ym):
    created = ym.create_task(
        input_types.CreateTaskType.MOVE_ON_FILE, True, folder="2", target="4", hour=10, minute=1, active_days=[0, 2]
    )
    assert created.action_data.days_of_week == [0, 2]
    sms = ym.create_task(
        input_types.CreateTaskType.SEND_SMS, True, caller_id=SYSTEM, sms_list="3", sms_message="hi", minute=2
    )
    ym.create_task(
        input_types.CreateTaskType.RUN_TZINTUK,
        False,
        caller_id=SYSTEM,
        to_list="120",
        type_list="tzl",
        check_is_kodesh=True,
    )
    assert [task.task_type for task in ym.get_tasks().tasks] == ["MoveOnFile", "SendSMS", "RunTzintuk"]
    data = ym.get_tasks_data(created.job_id)
    assert data.action_data["folder"] == "ivr2:/2" and data.create_by == "API"
    assert ym.update_task(created.job_id, active=True, hour=10, minute=1, mail_in_end=True) is True
    server.advance(180)
    assert [row.succeeded for row in ym.get_tasks_logs(created.job_id).logs] == [True]
    assert [row.succeeded for row in ym.get_tasks_logs(sms.job_id).logs] == [True]
    assert ym.get_tasks_data(sms.job_id).last_run is not None
    assert ym.delete_task(sms.job_id) is True


def test_sip_methods_parse(server, ym):
    first = ym.create_sip_account(ext_number=201)
    assert (first.account_id, first.account_number) == (f"{SYSTEM}=1", 1)
    ym.create_sip_account()
    accounts = ym.get_sip_accounts_in_customer()
    assert accounts.account_limit == 6 and accounts.accounts[0].contacts_count == 0
    assert ym.sip_to_wss(2) is True and ym.sip_to_udp() is True
    assert ym.edit_caller_id_in_sip_account(1, "0773137771") is True
    assert ym.set_secondary_did_usage_description(100, "sip:1") is True
    assert ym.get_sip_accounts_in_customer().accounts[0].special_caller_id == "0773137771"
    assert ym.delete_sip_account([1, 2]) is True
    with pytest.raises(NotImplementedError):  # disabled in the client itself, before any request
        ym.sip_extension_management(input_types.SipExtensionManagementAction.GET)


def test_file_and_queue_methods_parse(server, ym):
    assert ym.check_if_file_exists("1/ext.ini") is True
    assert ym.check_if_file_exists("1/none.wav") is False
    rows = ym.render_ymgr_file("ymgtTest", "json")
    assert rows[0]["טלפון"] == "0527777701"
    assert ym.render_ymgr_file("ymgtTest", "csv", not_load_lang=True).startswith("Date,Time,Phone,Digits")
    assert "<table>" in ym.render_ymgr_file("ymgtTest", "html")
    with pytest.raises(YemotAPIError):
        ym.render_ymgr_file("missing", "csv")
    queue = ym.get_queue_real_time("/3")
    assert queue.queue_data.calls == 2 and queue.entries[0].position == 1
    assert queue.members[0].last_call is not None


def test_call_methods_parse(server, ym):
    tts = ym.send_tts(["0521234567", "0521234902"], "הודעה", tts_rate=2)
    assert tts.ok_calls == 2 and tts.tts_rate == 2
    fax = ym.send_fax("ivr2://FaxTest.pdf", "0521234567", delivery_url="http://hooks.example.test/fax")
    assert fax.delivery_url == "http://hooks.example.test/fax"
    assert ym.send_fax(b"%PDF-1.4", "0521234567").file_name_send == "fax.pdf"
    bridge = ym.create_bridge_call("0537654321", "0521234567", record_call=True)
    assert bridge.phones == ["0521234567"] and bridge.record_call is True
    ym.create_sip_account()
    assert ym.create_bridge_call("0537654321", "0", dial_sip=True).phones == [f"{SYSTEM}=1"]
    server.advance(120)
    with pytest.raises(NotImplementedError):  # raised by the client after our OK answer
        ym.view_campaign_reports(tts.campaign_id, json=True)
    with pytest.raises(YemotAPIError):
        ym.view_campaign_reports("nope", json=True)


def test_async_client_parses_the_same_answers(server):
    async def run() -> None:
        client = AsyncYemot(f"{SYSTEM}:{PASSWORD}")
        client.BASE_URL = server.urls.yemot
        assert (await client.get_customer_data()).main_did == SYSTEM
        assert (await client.create_sip_account()).account_number == 1
        assert (await client.get_sip_accounts_in_customer()).accounts
        assert (await client.get_queue_real_time("/3")).entries
        assert (await client.check_if_file_exists("1/ext.ini")) is True
        task = await client.create_task(input_types.CreateTaskType.MOVE_ON_FILE, True, folder="2", target="4")
        assert (await client.get_tasks_data(task.job_id)).id == task.job_id
        assert (await client.send_tts(["0521234567"], "hi")).ok_calls == 1

    asyncio.run(run())
