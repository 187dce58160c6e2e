"""At send time, an IVR ``api_link`` or a dialplan component ``url`` whose name now resolves to this server is
refused with a transcript ``error`` and never called (the name resolved elsewhere when it was stored).

The exchanges with IVR services await ``core.outbound.check_service_target`` (through
``yemot.ivr.requests.check_api_link_target`` for ``api_link``) just before each request.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest

PORT = 8080  # where the in-process emulator says it listens
NAMES: dict[str, list[str]] = {}


async def _table_resolver(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return list(NAMES[host])


@pytest.fixture
def services() -> list[httpx.Request]:
    return []


@pytest.fixture
def resolving(emulator_factory: Any, services: list[httpx.Request]) -> Any:
    """An in-process emulator listening (as far as its checks know) on PORT, names resolved by NAMES."""

    def answer(request: httpx.Request) -> httpx.Response:
        services.append(request)
        return (
            httpx.Response(200, json={"ok": "1"}) if "smart" in request.url.path else httpx.Response(200, text="noop")
        )

    NAMES.clear()
    NAMES["rebind.test"] = ["192.0.2.10"]  # elsewhere when the URL is stored
    emulator = emulator_factory(ivr_transport=httpx.MockTransport(answer))
    listeners = emulator.runtime.outbox.listeners
    listeners.add("127.0.0.1", PORT)
    listeners.resolver = _table_resolver
    return emulator


def _errors(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry for entry in view["transcript"] if entry["kind"] == "error"]


REFUSAL = "must not point at this emulator itself (rebind.test is 127.0.0.1)"


def test_an_api_link_that_now_resolves_here_is_not_called(resolving: Any, services: list[httpx.Request]):
    system = "0773137770"
    link = f"http://rebind.test:{PORT}/ivr"
    stored = resolving.yemot.get(
        "UpdateExtension", params={"token": f"{system}:1234", "path": "ivr2:/5", "type": "api", "api_link": link}
    ).json()
    assert stored["responseStatus"] == "OK", stored
    NAMES["rebind.test"] = ["127.0.0.1"]  # ... and this server when the call reaches the extension
    resolving.freeze()
    placed = resolving.control("POST", f"yemot/systems/{system}/calls", json={"from": "0501234567", "path": "/5"})
    resolving.advance(120)
    view = resolving.control("GET", f"calls/{placed['id']}")
    assert services == []
    assert f"api_link {REFUSAL}" in json.dumps(
        [entry.get("error") or entry.get("message") for entry in view["transcript"]]
    )


def test_a_component_url_that_now_resolves_here_is_not_called(resolving: Any, services: list[httpx.Request]):
    url = f"http://rebind.test:{PORT}/smart"
    plan = {"numbers": ["789"], "nodes": {"s1": {"type": "smart_api", "url": url, "exits": {"e": "bye"}},
                                          "bye": {"type": "hangup"}}}  # fmt: skip
    resolving.control("PUT", "simotel/dialplans/p1", json=plan)
    NAMES["rebind.test"] = ["::1"]
    resolving.freeze()
    placed = resolving.control("POST", "simotel/calls", json={"src": "09121234567", "dst": "789"})
    resolving.advance(120)
    view = resolving.control("GET", f"calls/{placed['id']}")
    assert services == []
    assert [(entry["code"], entry["message"]) for entry in _errors(view)] == [
        ("url", "must not point at this emulator itself (rebind.test is ::1)")
    ]
