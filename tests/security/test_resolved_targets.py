"""Host names that resolve to this server are refused when a URL is stored and again when it is sent.

The server's resolver is replaced by a table (``NAMES``), so nothing here depends on DNS; one test
uses the machine's own host name from /etc/hosts with the real resolver.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import TOKEN, Wire, start

from emulator.app import create_app
from emulator.config import EmulatorConfig

NAMES: dict[str, list[str]] = {
    "self.test": ["127.0.0.1"],
    "self6.test": ["::1"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "mixed.test": ["192.0.2.10", "127.0.0.2"],  # a name is checked against every address it has
    "elsewhere.test": ["192.0.2.10"],
}
REFUSED = [
    ("self.test", "127.0.0.1"),
    ("self6.test", "::1"),
    ("mapped.test", "127.0.0.1"),  # (named by the IPv4 address it maps)
    ("mixed.test", "127.0.0.2"),
]


async def _table_resolver(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return list(NAMES[host])


@pytest.fixture(scope="module")
def resolving() -> Iterator[Wire]:
    """An emulator whose host names resolve through ``NAMES``."""
    app = create_app(EmulatorConfig.from_env({}, strict=True))
    app.state.emulator.outbox.listeners.resolver = _table_resolver
    yield from start(app)


@pytest.fixture
def wire(resolving: Wire) -> Iterator[Wire]:
    resolving.control.reset()
    resolving.control.freeze()  # no call moves on, so no hook is sent unless a test advances the clock
    saved = dict(NAMES)
    yield resolving
    NAMES.clear()
    NAMES.update(saved)


def _refusal(name: str, host: str, address: str) -> str:
    return f"{name} must not point at this emulator itself ({host} is {address})"


def _yemot_error(message: str) -> dict[str, Any]:
    return {"yemotAPIVersion": 6, "yAfastVersion": "6.6.156", "responseStatus": "ERROR", "message": message}


@pytest.mark.parametrize(("host", "address"), REFUSED)
def test_yemot_callback_urls_naming_this_server_are_refused_when_given(wire: Wire, host: str, address: str):
    url = f"http://{host}:{wire.port}/hook"
    tts = wire.yemot_call("SendTTS", phones="0527777001", ttsMessage="hi", callbackUrl=url)
    assert tts == _yemot_error(_refusal("callbackUrl", host, address))
    fax = wire.yemot.post(
        "SendFax",
        data={"token": TOKEN, "pdfFile": "UPLOAD", "phone": "0527777001", "deliveryUrl": url},
        files={"fileToUpload": ("fax.pdf", b"%PDF-1.4", "application/pdf")},
    ).json()
    assert fax == _yemot_error(_refusal("deliveryUrl", host, address))
    assert wire.control.calls() == [] and wire.control.outbox() == []


@pytest.mark.parametrize("key", ["api_link", "api_url", "api_url_hangup"])
def test_update_extension_refuses_a_link_to_this_server_and_creates_nothing(wire: Wire, key: str):
    url = f"http://self.test:{wire.port}/ivr"
    body = wire.yemot_call("UpdateExtension", path="ivr2:/7", type="api", **{key: url})
    assert body == _yemot_error(_refusal(key, "self.test", "127.0.0.1"))
    assert wire.yemot_call("CheckIfFolderExists", path="ivr2:/7")["folderExists"] is False


def test_an_ext_ini_written_as_text_is_checked_like_update_extension(wire: Wire):
    assert wire.yemot_call("UpdateExtension", path="ivr2:/7", type="menu")["responseStatus"] == "OK"
    contents = f"type=api\napi_link = http://self6.test:{wire.port}/ivr\n"
    body = wire.yemot_call("UploadTextFile", what="ivr2:/7/ext.ini", contents=contents)
    assert body == _yemot_error(_refusal("api_link", "self6.test", "::1"))
    assert wire.yemot_call("GetTextFile", what="ivr2:/7/ext.ini")["contents"] == "type=menu\n"


def test_names_elsewhere_unresolvable_names_and_other_ports_are_accepted(wire: Wire):
    for url in (
        f"http://elsewhere.test:{wire.port}/ivr",
        f"http://nowhere.test:{wire.port}/ivr",  # does not resolve now: checked again when called
        "http://self.test:9/ivr",  # this machine, but not this server
    ):
        body = wire.yemot_call("UpdateExtension", path="ivr2:/8", type="api", api_link=url)
        assert body["responseStatus"] == "OK", (url, body)
        assert wire.yemot_call("GetTextFile", what="ivr2:/8/ext.ini")["contents"] == f"type=api\napi_link={url}\n"


def test_simotel_webhook_and_dialplan_urls_naming_this_server_are_refused_when_given(wire: Wire):
    url = f"http://mixed.test:{wire.port}/smart"
    hook = wire.admin.put("simotel/settings", json={"webhook": {"url": url, "events": ["*"]}})
    assert (hook.status_code, hook.json()) == (400, {"error": _refusal("webhook url", "mixed.test", "127.0.0.2")})
    assert wire.admin.get("simotel/settings").json()["webhook"]["url"] != url
    plan = {"numbers": ["789"], "nodes": {"s1": {"type": "smart_api", "url": url}}}
    put = wire.admin.put("simotel/dialplans/p1", json=plan)
    assert (put.status_code, put.json()) == (
        400,
        {"error": "node 's1': " + _refusal("'url'", "mixed.test", "127.0.0.2")},
    )
    assert wire.admin.get("simotel/dialplans").json() == {"dialplans": []}
    plan["nodes"]["s1"]["url"] = f"http://elsewhere.test:{wire.port}/smart"
    assert wire.admin.put("simotel/dialplans/p1", json=plan).status_code == 200


def test_a_callback_whose_name_later_resolves_to_this_server_is_refused_when_sent(wire: Wire):
    NAMES["rebind.test"] = ["192.0.2.10"]  # a public address when the callback is given
    url = f"http://rebind.test:{wire.port}/hook"
    body = wire.yemot_call("SendTTS", phones="0527777001", ttsMessage="hi", callbackUrl=url)
    assert body["responseStatus"] == "OK"
    NAMES["rebind.test"] = ["127.0.0.1"]  # ... and this server when it is sent
    wire.control.advance(120)
    deliveries = wire.control.wait_for_outbox()
    assert deliveries and {delivery["state"] for delivery in deliveries} == {"failed"}
    refusal = "refused: URL must not point at this emulator itself (rebind.test is 127.0.0.1)"
    assert all([attempt["error"] for attempt in d["attempts"]] == [refusal] for d in deliveries), deliveries


def test_the_machine_s_own_host_name_is_refused_through_the_real_resolver():
    hostname = socket.gethostname()
    try:
        address = socket.gethostbyname(hostname)
    except OSError:
        address = ""
    if not address.startswith("127."):
        pytest.skip(f"this machine's host name {hostname!r} does not resolve to loopback ({address or 'no address'})")
    with contextlib.contextmanager(start)() as wire:
        url = f"http://{hostname}:{wire.port}/hook"
        body = wire.yemot_call("UpdateExtension", path="ivr2:/7", type="api", api_link=url)
        assert body == _yemot_error(_refusal("api_link", hostname, address))
