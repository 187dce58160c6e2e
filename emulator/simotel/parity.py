"""Replaying a recording of Simotel traffic on a target (``telephony-emulator parity``): the
recording's ``<basic:1>`` and ``<apikey:1>`` stand for the target's first account."""

from __future__ import annotations

import base64
from typing import Any


def placeholders(account: dict[str, Any]) -> dict[str, str]:
    """The Basic credentials (base64 of ``user:password``) and API key of the target's account."""
    pair = f"{account['username']}:{account['password']}".encode()
    values = {"basic": base64.b64encode(pair).decode("ascii")}
    if account.get("api_key"):
        values["apikey"] = account["api_key"]
    return values
