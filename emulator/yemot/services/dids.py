"""SetSecondaryDidUsageDescription: route a secondary number to a SIP account or an extension."""

from __future__ import annotations

import re
from typing import Any

from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadUsage,
    SecondaryDidNotFound,
    SipAccountNotFound,
    SipNotSupported,
    UsageNotChangeable,
)

SIP_USAGE = re.compile(r"sip:(\d+)", re.ASCII)
GOTO_USAGE = re.compile(r"goto:/[A-Za-z0-9א-ת/]+")


def selectable(usage: str) -> bool:
    """Whether ``usage`` is one of the two kinds the API may set (and therefore replace)."""
    return bool(SIP_USAGE.fullmatch(usage) or GOTO_USAGE.fullmatch(usage))


def set_secondary_did_usage_description(call: YemotCall) -> dict[str, Any]:
    """SetSecondaryDidUsageDescription: ``sip:N`` or ``goto:/path`` over a selectable usage."""
    system = call.require_system()
    did = next((d for d in system.secondary_dids if d.id == call.params["secondaryDidId"]), None)
    if did is None:
        raise SecondaryDidNotFound()
    if not selectable(did.usage):
        raise UsageNotChangeable()
    usage = str(call.params["newUsage"]).strip()
    if not selectable(usage):
        raise BadUsage()
    sip = SIP_USAGE.fullmatch(usage)
    if sip is not None:
        if not system.sip_supported:
            raise SipNotSupported()
        target = int(sip.group(1))
        if not any(target in (a.number, a.ext_number) for a in system.sip_accounts):
            raise SipAccountNotFound()
    did.usage = usage
    return {"status": True}
