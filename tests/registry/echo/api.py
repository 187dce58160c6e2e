"""Step 4: the API's one ``SPEC``; step 5 is ``apis.register(SPEC)`` (the test does it)."""

from __future__ import annotations

from pathlib import Path

from emulator.core.api import ApiSpec, Conformance, FixturePart

from . import wire
from .state import EchoState

SPEC = ApiSpec(
    name=wire.NAME,
    title="Echo",
    prefix="/echo/api",
    contract=Path(__file__).with_name("echo.yaml"),  # step 2: the contract, beside the code
    endpoint=wire.endpoint,
    param="method",
    single_segment=True,
    too_large=wire.too_large,
    state=EchoState,
    implemented=lambda: ("Say",),
    fixture=FixturePart(
        schema={"type": "object", "additionalProperties": False, "properties": {"greeting": {"type": "string"}}},
        build=lambda section, faker, anchor: EchoState(greeting=section.get("greeting", "hello")),
    ),
    number_kinds=frozenset({"il_mobile"}),
    conformance=Conformance(envelope=("ok",)),
    credentials=lambda state, limit: [{"greeting": state.greeting}][:limit],
    credential_parts=lambda item: [("Echo greets with ", item["greeting"])],
)
