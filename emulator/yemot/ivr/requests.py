"""The request the API module sends to ``api_link``: its settings from ext.ini and its exact fields.

``ApiSettings.from_ini`` reads every ``api_*`` key the module honours; ``build_request`` lays out
the fields in the platform's order (``ApiCallId``, ``ApiYFCallId``, ``ApiDID``, ``ApiRealDID``,
``ApiPhone``, ``ApiExtension``, ``ApiEnterID``, ``ApiEnterIDName``, ``ApiTime``, then the
``api_add_N`` pairs, the values read so far, and ``hangup=yes`` + ``ApiHangupExtension`` on the
final request) and encodes them as a GET query or an urlencoded POST body.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from emulator.core.observe.redact import is_secret_name, redact_url, redact_value
from emulator.core.outbound.targets import Listeners, OutboundUrlError, check_outbound_url, check_service_target

DEFAULT_TIMEOUT_S = 30.0
MAX_TIMEOUT_S = 120.0
MAX_VALUES = 200
URL_KEYS = ("api_link", "api_url", "api_url_hangup", "api_hangup_link")
"""The ext.ini keys whose value is a URL the platform calls (checked when stored and when called)."""
_ADD = re.compile(r"api_add_(\d{1,3})")
_READ = re.compile(r"api_(\d{3})")
# ext.ini switch -> the fields it drops when set to ``no``.
SEND_SWITCHES = {
    "api_call_id_send": ("ApiCallId", "ApiYFCallId"),
    "api_did_send": ("ApiDID", "ApiRealDID"),
    "api_phone_send": ("ApiPhone",),
    "api_extension_send": ("ApiExtension",),
    "api_enter_id_send": ("ApiEnterID",),
    "api_enter_id_name_send": ("ApiEnterIDName",),
    "api_time_send": ("ApiTime",),
}


class ApiLinkError(ValueError):
    """An ``api_link`` the emulator will not call."""


def check_api_link(url: str, listeners: Listeners | None = None) -> httpx.URL:
    """Parse ``url`` with the client that will call it and apply the shared outbound guard: absolute
    http(s), never the control plane however spelled, never this emulator itself (``listeners``)."""
    try:
        check_outbound_url(url, listeners)
        return httpx.URL(url)
    except (OutboundUrlError, httpx.InvalidURL, ValueError, TypeError) as exc:
        raise ApiLinkError(f"api_link {getattr(exc, 'reason', exc)}") from exc


async def check_api_link_target(url: str, listeners: Listeners | None = None) -> httpx.URL:
    """``check_api_link`` with the host name resolved (``check_service_target``, which runs the same
    shared guard first): await it just before each request, since a name may resolve differently
    than when the link was stored."""
    try:
        await check_service_target(url, listeners)
        return httpx.URL(url)
    except (OutboundUrlError, httpx.InvalidURL, ValueError, TypeError) as exc:
        raise ApiLinkError(f"api_link {getattr(exc, 'reason', exc)}") from exc


def _no(settings: dict[str, str], key: str) -> bool:
    return settings.get(key, "").strip().lower() == "no"


@dataclass
class ApiSettings:
    """The ``api_*`` keys of an API extension (already merged with inherited ext.ini values)."""

    link: str | None = None
    post: bool = False
    add: list[tuple[str, str]] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)
    hangup_send: bool = True
    timeout_s: float = DEFAULT_TIMEOUT_S
    end_goto: str | None = None
    record_dir: str | None = None
    reads: list[str] = field(default_factory=list)
    hold_music: bool = False

    @classmethod
    def from_ini(cls, ini: dict[str, str]) -> ApiSettings:
        link = (ini.get("api_link") or ini.get("api_url") or "").strip() or None
        adds = sorted(
            (int(match.group(1)), value)
            for key, value in ini.items()
            if (match := _ADD.fullmatch(key)) and "=" in value
        )
        reads = sorted((key, value) for key, value in ini.items() if _READ.fullmatch(key))
        dropped = {name for key, names in SEND_SWITCHES.items() if _no(ini, key) for name in names}
        return cls(
            link=link,
            post=ini.get("api_url_post", "").strip().lower() == "yes",
            add=[tuple(value.split("=", 1)) for _, value in adds],  # type: ignore[misc]
            dropped=dropped,
            hangup_send=not _no(ini, "api_hangup_send"),
            timeout_s=_timeout(ini.get("api_timeout", "")),
            end_goto=(ini.get("api_end_goto") or "").strip() or None,
            record_dir=(ini.get("api_dir") or "").strip() or None,
            reads=[value for _, value in reads],
            hold_music=ini.get("api_wait_answer_music_on_hold", "").strip().lower() == "yes",
        )


def _timeout(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        return DEFAULT_TIMEOUT_S
    if math.isnan(seconds):  # (no deadline could be set from it: the exchange failed and the call hung)
        return DEFAULT_TIMEOUT_S
    return min(max(seconds, 1.0), MAX_TIMEOUT_S)


@dataclass
class CallIdentity:
    """Who is calling where: the fields every request repeats."""

    api_call_id: str
    yf_call_id: str
    did: str
    real_did: str
    phone: str
    started: float
    enter_id: str | None = None
    enter_id_name: str | None = None


@dataclass
class OutgoingRequest:
    """A request ready to send: ``params`` are the fields in order, ``url`` what goes on the wire."""

    method: str
    url: str
    params: list[tuple[str, str]]
    body: bytes | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Content-Type": "application/x-www-form-urlencoded"} if self.body is not None else {}

    def to_json(self) -> dict[str, Any]:
        """The request as the call's transcript records it: fields with secret names (an
        ``api_add_N`` such as ``token=...``) redacted, as in the journal; the service gets them whole."""
        params = [[name, redact_value(value) if is_secret_name(name) else value] for name, value in self.params]
        return {"url": redact_url(self.url), "method": self.method, "params": params}


def extension_field(folder: str) -> str:
    """``ApiExtension`` spelling of a canonical folder: no leading slash, ``""`` for the root."""
    return folder.strip("/")


def build_request(
    settings: ApiSettings,
    identity: CallIdentity,
    folder: str,
    values: list[tuple[str, str]],
    *,
    hangup_at: str | None = None,
) -> OutgoingRequest:
    """The request for the API extension at ``folder``; ``hangup_at`` makes it the final one."""
    if settings.link is None:
        raise ApiLinkError("no api_link")
    base = [
        ("ApiCallId", identity.api_call_id),
        ("ApiYFCallId", identity.yf_call_id),
        ("ApiDID", identity.did),
        ("ApiRealDID", identity.real_did),
        ("ApiPhone", identity.phone),
        ("ApiExtension", extension_field(folder)),
    ]
    if identity.enter_id is not None:
        base.append(("ApiEnterID", identity.enter_id))
    if identity.enter_id_name is not None:
        base.append(("ApiEnterIDName", identity.enter_id_name))
    base.append(("ApiTime", str(int(identity.started))))
    params = [pair for pair in base if pair[0] not in settings.dropped]
    params += settings.add
    params += values[-MAX_VALUES:]
    if hangup_at is not None:
        params += [("hangup", "yes"), ("ApiHangupExtension", extension_field(hangup_at))]
    encoded = urlencode(params)
    if settings.post:
        return OutgoingRequest("POST", settings.link, params, body=encoded.encode("ascii"))
    # A link with its own query string gets the fields after a second '?', as reported of the
    # platform (which is why secrets belong in api_add_N).
    return OutgoingRequest("GET", f"{settings.link}?{encoded}", params)
