"""The URLs a Yemot request stores, checked (names resolved) before its service runs.

Services are synchronous and cannot wait for a host name to resolve, so the wire awaits
``check_stored_urls`` between validating the parameters and running the service. Every URL a
method keeps for later - SendTTS ``callbackUrl``, SendFax ``deliveryUrl``, the ext.ini URL keys
given to UpdateExtension or written in an ``ext.ini`` by UploadTextFile - goes through
``core.outbound.check_service_target``, the same check that runs again before each send; a
refusal is ERROR ``<name> <reason>``. A name that does not resolve is accepted (and checked again
when it is called).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from emulator.core.outbound.targets import OutboundUrlError, check_service_target
from emulator.yemot import extini
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import CallbackUrlInvalid
from emulator.yemot.ivr.requests import URL_KEYS

Fields = Callable[[dict[str, Any]], Iterable[tuple[str, Any]]]


def _named(*names: str) -> Fields:
    return lambda params: [(name, params.get(name)) for name in names]


def _ext_ini_text(params: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    """The URL keys of an ``ext.ini`` written as a text file."""
    what, contents = params.get("what"), params.get("contents")
    if not isinstance(what, str) or not what.rstrip("/").lower().endswith("ext.ini") or contents is None:
        return []
    settings = extini.parse(str(contents))
    return [(key, settings.get(key)) for key in URL_KEYS]


STORED_URLS: dict[str, Fields] = {
    "SendTTS": _named("callbackUrl"),
    "SendFax": _named("deliveryUrl"),
    "UpdateExtension": _named(*URL_KEYS),
    "UploadTextFile": _ext_ini_text,
}
"""Method -> the (name, value) pairs of the URLs it stores."""


async def check_stored_urls(call: YemotCall, method: str) -> None:
    """Refuse (``CallbackUrlInvalid``) a URL that ``method`` would store and the emulator would not call.

    Empty values (a key being removed, a hook not asked for) and lists (answered by the service as
    invalid settings) are left alone.
    """
    fields = STORED_URLS.get(method)
    if fields is None:
        return
    listeners = call.emulator.outbox.listeners
    for name, value in fields(call.params):
        if value is None or isinstance(value, list | dict):
            continue
        url = str(value).strip() if name in URL_KEYS else str(value)
        if not url:
            continue
        try:
            await check_service_target(url, listeners)
        except OutboundUrlError as exc:
            raise CallbackUrlInvalid(name, exc.reason) from exc
