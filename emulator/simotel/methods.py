"""The table of Simotel services the emulator implements: ``/group/resource/action`` -> function.

Each function returns ``(data, message)``; the contract (``contracts/simotel.yaml``) says which
services exist and what they accept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.simotel import catalog, resources
from emulator.simotel.context import SimotelCall
from emulator.simotel.services import calls, files, queues, reports, setting

Service = Callable[[SimotelCall], tuple[Any, str | None]]

SERVICES: dict[str, Service] = {
    "setting/ping/act": setting.ping,
    "call/originate/act": calls.originate,
    **dict.fromkeys(reports.REPORTS, reports.search),
    **dict.fromkeys(reports.ORDERED, reports.ordered),
    "reports/quick/info": reports.quick_info,
    "reports/audio/download": reports.download_audio,
    "reports/audio/dual_channel_download": reports.download_audio,
    "voicemails/audio/download": reports.download_voicemail,
    "autodialer/reports/info": reports.autodialer_info,
    **{name: fn for resource in catalog.RESOURCES.values() for name, fn in resources.handlers(resource).items()},
    **queues.SERVICES,
    **dict.fromkeys(files.KINDS, files.upload),
    "pbx/faxes/download": files.fax_download,
}
SERVICES["autodialer/trunks"] = SERVICES["autodialer/trunks/search"]  # the documented example's URL
