"""Simotel as the registry sees it: the one ``SPEC`` ``emulator/apis.py`` lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.core.api import ApiSpec, CallViews, Conformance, FixturePart, Host, LinkRule, ParityHooks, ProblemPath
from emulator.simotel import fixtures, install, parity, tags, wire
from emulator.simotel.admin import routes as admin_routes
from emulator.simotel.conformance import AUTH, RULES
from emulator.simotel.dialplan import call_view
from emulator.simotel.methods import SERVICES
from emulator.simotel.state import SimotelState


def _problems(data: dict[str, Any], directory: Path | None) -> list[tuple[ProblemPath, str]]:
    return fixtures.dialplan_problems(data.get("simotel", {}))


def _credentials(state: SimotelState, limit: int) -> list[dict[str, Any]]:
    accounts = list(state.accounts.values())[:limit]
    return [
        {"username": a.username, "password": a.password, "api_key": a.token, "auth_mode": a.auth_mode} for a in accounts
    ]


def _credential_parts(a: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [
        ("Simotel account ", a["username"]),
        (": password ", a["password"]),
        (", X-APIKEY ", a["api_key"] or "-"),
        (f" (auth mode {a['auth_mode']})", None),
    ]


def _own_call(host: Host, call_id: str, hang_up: bool) -> dict[str, Any] | None:
    from emulator.simotel.admin import dialplans

    return dialplans.lookup(host, call_id, hang_up=hang_up)


def _world_swapped(host: Host, before: SimotelState, after: SimotelState) -> None:
    host.ids.carry(before, after, "next_object_id")  # record ``_id``s never go back


SPEC = ApiSpec(
    name="simotel",
    title="Simotel",
    prefix="/api/v4",
    contract="simotel.yaml",
    endpoint=wire.endpoint,
    param="path",
    single_segment=False,
    too_large=wire.too_large,
    state=SimotelState,
    implemented=lambda: SERVICES,
    routes=wire.routes,
    install=install,
    fixture=FixturePart(
        schema=fixtures.SCHEMA,
        build=fixtures.build,
        locale="fa_IR",
        problems=_problems,
        generated=lambda data: [data.get("simotel", {}).get("generate", {})],
        unique=(("accounts", "username"),),
    ),
    admin_routes=admin_routes,
    dashboard="views/apis/simotel.js",
    number_kinds=frozenset({"il_mobile", "il_voip", "il_landline", "ir_mobile", "ir_landline", "extension"}),
    tags=tags.CONTRACT_TAGS,
    parity=ParityHooks(placeholders=parity.placeholders),
    conformance=Conformance(
        envelope=("success", "message", "data"),
        rules=RULES,
        auth=AUTH,
        outcome=("success",),
        links=(
            LinkRule(
                r"(?P<base>.+)/add",
                ("{base}/update", "{base}/remove"),
                {"requestBody": {"_id": "$response.body#/data/_id"}},
            ),
        ),
    ),
    credentials=_credentials,
    credential_parts=_credential_parts,
    client_options=lambda a: {
        "auth": (a["username"], a["password"]),
        "headers": {"X-APIKEY": a["api_key"]} if a["api_key"] else None,
    },
    world_swapped=_world_swapped,
    calls=CallViews(own=_own_call, walk=call_view.walk_view),
)
