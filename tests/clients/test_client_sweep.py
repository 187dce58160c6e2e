"""Every public method of both PyPI Yemot clients, called against the emulator over real HTTP.

``yemot`` 0.1.2 (``Client``, ``System``, ``Campaign``) and ``yemot-api`` 0.1.36 (``Yemot`` and
``AsyncYemot``): each public method is called once with ordinary arguments and must succeed -
return without raising and without an error envelope - unless ``sweep_expected_failures.py``
lists it, in which case it must fail. The plans below cover every public method; a method a new
client version adds fails the coverage check until it gets a plan.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("yemot")
pytest.importorskip("yemot_api")

from yemot import Client
from yemot.campaign import Campaign
from yemot.system import System
from yemot_api import input_types as it
from yemot_api.async_yemot_api import AsyncYemot
from yemot_api.yemot_api import Yemot

from emulator.testing.harness import RemoteControlPlane

sys.path.insert(0, str(Path(__file__).parent))
from sweep_expected_failures import EXPECTED_FAILURES

SYSTEM, PASSWORD, OTHER = "0773137770", "1234", "0773137780"
PHONE = "0521234567"


class Context(RemoteControlPlane):
    """The running emulator plus the things steps need: live calls, SIP accounts, verified sessions."""

    def __init__(self, urls: Any) -> None:
        super().__init__(urls.admin)
        self.urls = urls
        self.clients: list[Any] = []
        self.freeze("2026-03-01T08:00:00Z")

    def ring(self, path: str = "/1") -> str:
        """A simulated inbound call in ``path``; its API call id."""
        return self.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": path})[
            "api_call_id"
        ]

    def yemot(self, method: str, **params: Any) -> dict[str, Any]:
        """A Yemot API call over HTTP on the fixture system; its answer, which must be OK."""
        answer = httpx.post(f"{self.urls.yemot}{method}", data={"token": f"{SYSTEM}:{PASSWORD}", **params}).json()
        assert answer["responseStatus"] == "OK", answer
        return answer

    def template(self, entries: int = 0) -> int:
        """A new campaign template with a TTS message and ``entries`` phone entries; its id."""
        template = int(self.yemot("CreateTemplate", description="sweep")["templateId"])
        self.control("PUT", f"yemot/systems/{SYSTEM}/files?path=/{template}.tts", content="שלום".encode())
        for number in range(entries):
            self.yemot("UpdateTemplateEntry", templateId=template, phone=f"05212345{number:02d}")
        return template

    def rowids(self, template: int) -> list[int]:
        return [int(entry["rowid"]) for entry in self.yemot("GetTemplateEntries", templateId=template)["entries"]]

    def campaign(self) -> str:
        """A campaign started now from a new one-entry template; its id."""
        return str(self.yemot("RunCampaign", templateId=self.template(entries=1), ttsMode=1)["campaignId"])

    def scheduled(self) -> int:
        """A campaign scheduled for tomorrow; its schedule id."""
        answer = self.yemot("ScheduleCampaign", templateId=self.template(entries=1), time="2026-03-02 10:00:00")
        return int(answer["schedId"])

    def api_client(self, cls: type) -> Any:
        """A yemot-api client on ``number:password``, closed by ``close_clients``."""
        client = cls(f"{SYSTEM}:{PASSWORD}")
        client.BASE_URL = self.urls.yemot
        self.clients.append(client)
        return client

    async def close_clients(self) -> None:
        """Close every client made, then collect them here: their ``__del__`` must not run at a random
        later moment (CPython 3.11.7 raises SystemError when a finalizer runs inside ``ast.parse``)."""
        for client in self.clients:
            await maybe(client.close())
        self.clients.clear()
        gc.collect()


async def maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _session(ctx: Context, c: Any) -> Any:
    other = ctx.api_client(type(c))
    await maybe(other.login(SYSTEM, PASSWORD))
    return other


async def _verified(ctx: Context, c: Any) -> Any:
    other = await _session(ctx, c)
    await maybe(other.double_auth(it.DoubleAuthAction.SEND_CODE))
    ctx.advance(0)
    code = ctx.phones("0527777770")["calls"][-1]["caller_id"][-4:]
    await maybe(other.double_auth(it.DoubleAuthAction.VERIFY_CODE, code))
    return other


async def _account(c: Any) -> int:
    return (await maybe(c.create_sip_account())).account_number


async def _task(c: Any) -> int:
    return (await maybe(c.create_task(it.CreateTaskType.MOVE_ON_FILE, True, folder="2", target="4"))).job_id


async def _set_password(ctx: Context, c: Any) -> Any:
    other = await _session(ctx, c)
    await maybe(other.set_password("5678", PASSWORD))
    return await maybe(other.set_password(PASSWORD, "5678"))


async def _kill_session(ctx: Context, c: Any) -> Any:
    admin, victim = await _verified(ctx, c), await _session(ctx, c)
    sessions = (await maybe(admin.get_all_sessions())).data
    return await maybe(admin.kill_session(next(s.id for s in sessions if s.token[-6:] == victim.token[-6:])))


async def _registered_status(ctx: Context, c: Any) -> Any:
    number = await _account(c)
    ctx.control("PUT", f"yemot/systems/{SYSTEM}/sip/{number}", json={})
    return await maybe(c.get_sip_accounts_registered_status())


async def _blocked_entries(c: Any, ctx: Context) -> Any:
    template = ctx.template(entries=2)
    return await maybe(c.update_template_entries(template, ctx.rowids(template), it.UpdateTemplateEntries.BLOCK))


def _entry_updated(campaign: Campaign, ctx: Context) -> Any:
    template = ctx.template(entries=1)
    return campaign.update_template_entry(template, rowid=ctx.rowids(template)[0], phone=PHONE)


async def _incoming_sms(ctx: Context, c: Any) -> Any:
    ctx.control("POST", f"yemot/systems/{SYSTEM}/sms", json={"from": "0501234567", "text": "hi"})
    return await maybe(c.get_incoming_sms(limit=5))


Step = Callable[[Any, Context], Awaitable[Any]]
YEMOT_API: dict[str, Step] = {
    "call_action": lambda c, x: maybe(c.call_action([x.ring()], it.CallAction.MOVE_CALL_TO, "/2")),
    "call_extension_bridging": lambda c, x: maybe(c.call_extension_bridging(it.RunTzintukMethod.OTHER, [PHONE], "1")),
    "call_manager": lambda c, x: maybe(c.call_manager([x.ring()])),
    "campaign_action": lambda c, x: maybe(c.campaign_action(x.campaign(), it.CampaignAction.STOP)),
    "check_if_file_exists": lambda c, x: maybe(c.check_if_file_exists("1/ext.ini")),
    "check_if_folder_exists": lambda c, x: maybe(c.check_if_folder_exists("1")),
    "clear_template_entries": lambda c, x: maybe(c.clear_template_entries(x.template(entries=2))),
    "close": lambda c, x: maybe(x.api_client(type(c)).close()),
    "create_bridge_call": lambda c, x: maybe(c.create_bridge_call("0537654321", PHONE)),
    "create_music_on_holds": lambda c, x: maybe(c.create_music_on_holds("moh", "1")),
    "create_sip_account": lambda c, x: maybe(c.create_sip_account()),
    "create_task": lambda c, x: _task(c),
    "create_template": lambda c, x: maybe(c.create_template("sweep")),
    "delete_music_on_holds": lambda c, x: maybe(c.delete_music_on_holds("moh")),
    "delete_scheduled_campaign": lambda c, x: maybe(c.delete_scheduled_campaign(x.scheduled())),
    "delete_sip_account": lambda c, x: _then(_account(c), c.delete_sip_account),
    "delete_task": lambda c, x: _then(_task(c), c.delete_task),
    "delete_template": lambda c, x: maybe(c.delete_template(x.template())),
    "double_auth": lambda c, x: _then(_session(x, c), lambda s: s.double_auth(it.DoubleAuthAction.SEND_CODE)),
    "download_campaign_report": lambda c, x: maybe(c.download_campaign_report(x.campaign())),
    "download_file": lambda c, x: maybe(c.download_file("1/ext.ini")),
    "edit_caller_id_in_sip_account": lambda c, x: _then(
        _account(c), lambda n: c.edit_caller_id_in_sip_account(n, SYSTEM)
    ),
    "file_action": lambda c, x: maybe(c.file_action(it.FileAction.COPY, "/1/ext.ini", "/2/ext.ini")),
    "get_active_campaigns": lambda c, x: maybe(c.get_active_campaigns()),
    "get_all_sessions": lambda c, x: _then(_verified(x, c), lambda s: s.get_all_sessions()),
    "get_approved_caller_ids": lambda c, x: maybe(c.get_approved_caller_ids()),
    "get_calls_status": lambda c, x: (x.ring(), maybe(c.get_calls_status()))[1],
    "get_campaign_status": lambda c, x: maybe(c.get_campaign_status(x.campaign())),
    "get_customer_data": lambda c, x: maybe(c.get_customer_data()),
    "get_customer_sms_transactions": lambda c, x: maybe(c.get_customer_sms_transactions()),
    "get_file": lambda c, x: maybe(c.get_file("/1/ext.ini")),
    "get_incoming_calls": lambda c, x: (x.ring(), maybe(c.get_incoming_calls()))[1],
    "get_incoming_sms": lambda c, x: _incoming_sms(x, c),
    "get_incoming_sum": lambda c, x: maybe(c.get_incoming_sum()),
    "get_ivr2_dir": lambda c, x: maybe(c.get_ivr2_dir("/1")),
    "get_ivr2_dir_stats": lambda c, x: maybe(c.get_ivr2_dir_stats("/1")),
    "get_login_log": lambda c, x: _then(_verified(x, c), lambda s: s.get_login_log(limit=5)),
    "get_music_on_holds": lambda c, x: maybe(c.get_music_on_holds("1")),
    "get_queue_real_time": lambda c, x: maybe(c.get_queue_real_time("/3")),
    "get_scheduled_campaigns": lambda c, x: maybe(c.get_scheduled_campaigns("PENDING", "asc")),
    "get_session": lambda c, x: maybe(c.get_session()),
    "get_sip_accounts_in_customer": lambda c, x: maybe(c.get_sip_accounts_in_customer()),
    "get_sip_accounts_registered_status": lambda c, x: _registered_status(x, c),
    "get_sms_out_log": lambda c, x: maybe(c.get_sms_out_log(limit=5)),
    "get_tasks": lambda c, x: maybe(c.get_tasks()),
    "get_tasks_data": lambda c, x: _then(_task(c), c.get_tasks_data),
    "get_tasks_logs": lambda c, x: _then(_task(c), c.get_tasks_logs),
    "get_template_entries": lambda c, x: maybe(c.get_template_entries(x.template(entries=1))),
    "get_templates": lambda c, x: maybe(c.get_templates()),
    "get_text_file": lambda c, x: maybe(c.get_text_file("1/ext.ini")),
    "get_transactions": lambda c, x: maybe(c.get_transactions()),
    "is_caller_id_approved": lambda c, x: maybe(c.is_caller_id_approved(SYSTEM, "call")),
    "kill_all_sessions": lambda c, x: _then(_verified(x, c), lambda s: s.kill_all_sessions()),
    "kill_session": lambda c, x: _kill_session(x, c),
    "login": lambda c, x: maybe(x.api_client(type(c)).login(SYSTEM, PASSWORD)),
    "logout": lambda c, x: _then(_session(x, c), lambda s: s.logout()),
    "mfa_session": lambda c, x: maybe(c.mfa_session(it.MfaSessionAction.GET_MFA_METHODS)),
    "pirsum_phone_management": lambda c, x: maybe(
        c.pirsum_phone_management(it.PirsumPhoneManagementAction.REGISTRATION)
    ),
    "queue_call_back": lambda c, x: maybe(c.queue_call_back(it.QueueCallBackAction.GET_LIST, 7)),
    "queue_management": lambda c, x: maybe(
        c.queue_management("/3", it.QueueManagementAction.KICK, call_ids=[x.ring("/3")])
    ),
    "render_ymgr_file": lambda c, x: maybe(c.render_ymgr_file("ymgtTest", "csv")),
    "run_campaign": lambda c, x: maybe(c.run_campaign(x.template(), phones=[PHONE])),
    "run_tzintuk": lambda c, x: maybe(c.run_tzintuk(it.RunTzintukMethod.OTHER, [PHONE])),
    "schedule_campaign": lambda c, x: maybe(c.schedule_campaign(x.template(entries=1), "2026-03-02 10:00:00")),
    "send_fax": lambda c, x: maybe(c.send_fax("ivr2://FaxTest.pdf", PHONE)),
    "send_sms": lambda c, x: maybe(c.send_sms("שלום", [PHONE])),
    "send_tts": lambda c, x: maybe(c.send_tts([PHONE], "שלום")),
    "set_customer_details": lambda c, x: maybe(c.set_customer_details(name="sweep")),
    "set_password": lambda c, x: _set_password(x, c),
    "set_secondary_did_usage_description": lambda c, x: maybe(c.set_secondary_did_usage_description(100, "goto:/5")),
    "sip_extension_management": lambda c, x: maybe(c.sip_extension_management(it.SipExtensionManagementAction.GET)),
    "sip_get_contexts": lambda c, x: maybe(c.sip_get_contexts()),
    "sip_to_udp": lambda c, x: _then(_account(c), c.sip_to_udp),
    "sip_to_wss": lambda c, x: _then(_account(c), c.sip_to_wss),
    "transfer_units": lambda c, x: maybe(c.transfer_units(OTHER, 1)),
    "tzintukim_list_management": lambda c, x: maybe(
        c.tzintukim_list_management(it.TzintukimListManagementAction.GET_LIST_ENTRIES, "120")
    ),
    "update_extension": lambda c, x: maybe(c.update_extension("1", title="sweep")),
    "update_task": lambda c, x: _then(_task(c), lambda n: c.update_task(n, active=False)),
    "update_template": lambda c, x: maybe(c.update_template(x.template(), description="sweep")),
    "update_template_entries": lambda c, x: _blocked_entries(c, x),
    "update_template_entry": lambda c, x: maybe(c.update_template_entry(x.template(), None, PHONE)),
    # 0.1.36 sends ``path`` as given: the full file path (a bare folder is refused with 110, as live).
    "upload_file": lambda c, x: maybe(c.upload_file("1/sweep.wav", b"RIFF0000WAVE", "sweep.wav")),
    "upload_phone_list": lambda c, x: maybe(c.upload_phone_list([PHONE], x.template())),
    "upload_text_file": lambda c, x: maybe(c.upload_text_file("1/sweep.tts", "שלום")),
    "validation_callerId": lambda c, x: maybe(
        c.validation_callerId(
            it.ValidationCallerIdAction.SEND, caller_id="0521112233", valid_type=it.ValidationCallerIdValidType.SMS
        )
    ),
    "validation_token": lambda c, x: maybe(c.validation_token()),
    "view_campaign_reports": lambda c, x: _then(
        maybe(c.send_tts([PHONE], "שלום")), lambda tts: c.view_campaign_reports(tts.campaign_id, json=True)
    ),
}


async def _then(first: Awaitable[Any], then: Callable[[Any], Any]) -> Any:
    return await maybe(then(await first))


def _yemot_steps(ctx: Context, tmp: Path) -> dict[str, Callable[[], Any]]:
    """``<Class>.<method>`` -> a call on a fresh ``yemot`` client logged in to the fixture system."""
    base = ctx.urls.yemot.rstrip("/")
    client = Client(SYSTEM, PASSWORD, base_url=base)
    system, campaign = System(client), Campaign(client)
    audio = tmp / "sweep.wav"
    audio.write_bytes(b"RIFF0000WAVE")
    csv = {"wath": "ivr2:/ymgtTest.ymgr", "convertType": "csv"}
    return {
        "Client.close": lambda: Client(SYSTEM, PASSWORD, base_url=base).close(),
        "Client.download": lambda: client.download("RenderYMGRFile", csv),
        "Client.get": lambda: client.get("GetCustomerData"),
        "Client.login": lambda: client.login(),
        "Client.logout": lambda: Client(SYSTEM, PASSWORD, base_url=base).logout(),
        "Client.post": lambda: client.post("GetSession", {"unused": None}),
        "Client.post_file": lambda: client.post_file(
            "UploadFile", file_path=str(audio), data={"path": "ivr2:/1/a.wav"}
        ),
        "System.download_file": lambda: system.download_file("ivr2:/1/ext.ini"),
        "System.get_incoming_calls": lambda: (ctx.ring(), system.get_incoming_calls())[1],
        "System.get_transactions": lambda: system.get_transactions(),
        "System.set_password": lambda: (system.set_password("5678"), system.set_password(PASSWORD))[1],
        "System.set_system_info": lambda: system.set_system_info(name="sweep", fax="039999999"),
        "System.system_info": lambda: system.system_info(),
        "System.transfer_units": lambda: system.transfer_units(1, OTHER),
        "System.upload_file": lambda: system.upload_file(file_path=str(audio), path="ivr2:/1/a.wav"),
        "System.upload_file_big": lambda: system.upload_file_big(str(audio), "ivr2:/1/big.wav"),
        "Campaign.create_template": lambda: campaign.create_template("sweep"),
        "Campaign.delete_template": lambda: campaign.delete_template(ctx.template()),
        "Campaign.download_template_file": lambda: (
            campaign.upload_template_file(str(audio), "1", "VOICE"),
            campaign.download_template_file("1", "VOICE"),
        )[1],
        "Campaign.downlaoad_template_file": lambda: (
            campaign.upload_template_file(str(audio), "1", "VOICE"),
            campaign.downlaoad_template_file("1", "VOICE"),
        )[1],
        "Campaign.get_template_entries": lambda: campaign.get_template_entries(ctx.template(entries=1)),
        "Campaign.get_templates": lambda: campaign.get_templates(),
        "Campaign.update_template": lambda: campaign.update_template(ctx.template(), description="sweep"),
        "Campaign.update_template_entry": lambda: _entry_updated(campaign, ctx),
        "Campaign.upload_template_file": lambda: campaign.upload_template_file(str(audio), "1", "VOICE"),
    }


def public_methods(cls: type) -> list[str]:
    return sorted(name for name, member in inspect.getmembers(cls) if not name.startswith("_") and callable(member))


def is_failure(result: Any) -> bool:
    """An error envelope returned instead of raised (the ``yemot`` client returns EXCEPTION bodies,
    and hands back a JSON error as ``download`` bytes), or ``upload_file_big``'s stub answer."""
    if isinstance(result, (bytes, str)):
        text = result.decode("utf-8", "replace") if isinstance(result, bytes) else result
        if text == "Not implemented":
            return True
        if text.lstrip().startswith("{"):
            try:
                result = json.loads(text)
            except ValueError:
                return False
    return isinstance(result, dict) and result.get("responseStatus", "OK") != "OK"


def outcome(run: Callable[[], Any]) -> str | None:
    """None when the call succeeded, else a short reason."""
    try:
        result = run()
    except Exception as exc:  # any raise is a failure of this method
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return "error envelope" if is_failure(result) else None


def check(results: dict[str, str | None]) -> tuple[int, int]:
    """Assert every method behaved as the table expects; return (succeeded, total)."""
    unexpected = {name: why for name, why in results.items() if why is not None and name not in EXPECTED_FAILURES}
    now_passing = sorted(name for name, why in results.items() if why is None and name in EXPECTED_FAILURES)
    assert unexpected == {}, "methods that should succeed failed"
    assert now_passing == [], "these succeed now: remove them from sweep_expected_failures.py"
    succeeded = sum(1 for why in results.values() if why is None)
    print(f"\nclient sweep: {succeeded} of {len(results)} public methods succeed")
    return succeeded, len(results)


@pytest.fixture
def ctx(emulator_server):
    context = Context(emulator_server)
    yield context
    context.close()


def test_every_yemot_api_method_has_a_plan():
    assert public_methods(Yemot) == sorted(YEMOT_API) == public_methods(AsyncYemot)


@pytest.mark.parametrize("cls", [Yemot, AsyncYemot], ids=["Yemot", "AsyncYemot"])
def test_yemot_api_sweep(ctx, cls):
    client = ctx.api_client(cls)

    async def run_all() -> dict[str, str | None]:
        results: dict[str, str | None] = {}
        for name in public_methods(cls):
            try:
                await YEMOT_API[name](client, ctx)
                results[f"{cls.__name__}.{name}"] = None
            except Exception as exc:  # any raise is a failure of this method
                results[f"{cls.__name__}.{name}"] = f"{type(exc).__name__}: {str(exc)[:120]}"
        await ctx.close_clients()
        return results

    check(asyncio.run(run_all()))


def test_yemot_client_sweep(ctx, tmp_path):
    steps = _yemot_steps(ctx, tmp_path)
    expected = {f"{cls.__name__}.{name}" for cls in (Client, System, Campaign) for name in public_methods(cls)}
    assert set(steps) == expected
    check({name: outcome(run) for name, run in sorted(steps.items())})


def test_yemot_client_mfa_required_error(ctx):
    """A system requiring MFA: the ``yemot`` client logs in, then raises MFARequiredError until the
    session passes the ``mfa.php`` step."""
    from yemot.client import MFARequiredError

    ctx.control("PUT", f"yemot/systems/{SYSTEM}/mfa", json={"required": True})
    client = Client(SYSTEM, PASSWORD, base_url=ctx.urls.yemot)
    with pytest.raises(MFARequiredError, match="Multi-factor authentication is required") as raised:
        System(client).system_info()
    assert raised.value.payload == {
        "responseStatus": "FORBIDDEN",
        "message": "MFA_REQUIRED",
        "yemotAPIVersion": 6,
        "yAfastVersion": "6.6.156",
    }
    status = client.post("MFASession", {"action": "isPass"})
    assert (status["isPass"], status["passReason"]) == (False, None)
    answer = httpx.post(f"{ctx.urls.admin}yemot/mfa", json={"token": client.token}, timeout=10).json()
    assert answer == {"mfaDoneStatus": "VALID"}
    assert System(client).system_info()["username"] == SYSTEM
    assert re.fullmatch(r"[A-Za-z0-9]{16}", client.token)
    client.close()
