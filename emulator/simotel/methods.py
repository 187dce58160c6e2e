"""The table of Simotel services the emulator implements: ``/group/resource/action`` -> function.

Each function returns ``(data, message)``; the contract (``contracts/simotel.yaml``) says which
services exist and what they accept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.simotel.context import SimotelCall
from emulator.simotel.services import setting

Service = Callable[[SimotelCall], tuple[Any, str | None]]

SERVICES: dict[str, Service] = {
    "setting/ping/act": setting.ping,
}
