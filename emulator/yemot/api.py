"""Yemot HaMashiach as the registry sees it: the one ``SPEC`` ``emulator/apis.py`` lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.core.api import ApiSpec, CallViews, Conformance, FixturePart, Host, LinkRule, ParityHooks, ProblemPath
from emulator.core.sim.telephony_state import Call
from emulator.core.sim.walks import WalkView
from emulator.yemot import api_keys, fixtures, install, parity, tags, wire
from emulator.yemot.admin import routes as admin_routes
from emulator.yemot.conformance import AUTH, RULES, status_key
from emulator.yemot.methods import METHODS
from emulator.yemot.state import YemotState


def _problems(data: dict[str, Any], directory: Path | None) -> list[tuple[ProblemPath, str]]:
    section = data.get("yemot", {})
    return [*fixtures.resolve_files(section, directory), *api_keys.fixture_problems(section)]


def _credentials(state: YemotState, limit: int) -> list[dict[str, Any]]:
    systems = list(state.systems.values())[:limit]
    return [{"number": s.number, "password": s.password, "token": f"{s.number}:{s.password}"} for s in systems]


def _locate(host: Host, call_id: str) -> str | None:
    from emulator.yemot import live_calls

    found = live_calls.locate(host, call_id)
    return None if found is None else found[1].call_id


def _state(host: Host, call: Call) -> str | None:
    from emulator.yemot import live_calls

    return live_calls.state_of(host, call) if "api_call_id" in call.extra else None


def _detail(host: Host, call: Call) -> dict[str, Any]:
    from emulator.yemot import live_calls
    from emulator.yemot.admin.systems import live_json
    from emulator.yemot.ivr import engine

    found = live_calls.locate(host, call.id) if "api_call_id" in call.extra else None
    walk = engine.walk_of(host, call.id)
    return {
        "yemot": None if found is None else live_json(*found),
        "transcript": None if walk is None else walk.transcript.to_json(),
    }


def _walk(host: Host, call_id: str) -> WalkView | None:
    from emulator.yemot.ivr.call_view import walk_view

    return walk_view(host, call_id)


SPEC = ApiSpec(
    name="yemot",
    title="Yemot HaMashiach",
    prefix="/ym/api",
    contract="yemot.yaml",
    endpoint=wire.endpoint,
    param="method",
    single_segment=True,
    too_large=wire.too_large,
    state=YemotState,
    implemented=lambda: METHODS,
    routes=wire.routes,
    install=install,
    fixture=FixturePart(
        schema=fixtures.SCHEMA,
        build=fixtures.build,
        locale="he_IL",
        problems=_problems,
        generated=lambda data: [system.get("generate", {}) for system in data.get("yemot", {}).get("systems", [])],
        unique=(("systems", "number"),),
    ),
    admin_routes=admin_routes,
    dashboard="views/apis/yemot.js",
    number_kinds=frozenset({"il_mobile", "il_voip", "il_landline"}),
    tags=tags.CONTRACT_TAGS,
    parity=ParityHooks(placeholders=parity.placeholders, prepare=parity.prepare),
    conformance=Conformance(
        envelope=("responseStatus",),
        rules=RULES,
        auth=AUTH,
        status_key=status_key,
        outcome=("responseStatus",),
        links=(LinkRule(r"Login", ("*",), {"parameters": {"query.token": "$response.body#/token"}}),),
    ),
    credentials=_credentials,
    credential_parts=lambda s: [
        ("Yemot system ", s["number"]),
        (": password ", s["password"]),
        (" (token ", s["token"]),
        (")", None),
    ],
    calls=CallViews(locate=_locate, state=_state, detail=_detail, walk=_walk),
)
