"""Yemot state: systems (tenants) with their sessions, units ledger, files and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

from emulator.yemot.campaigns.state import CampaignBook
from emulator.yemot.ivr.walk import IvrWalk
from emulator.yemot.queue_state import Queue


@dataclass
class Session:
    token: str
    created: float
    last_request: float
    remote_ip: str
    session_type: str = "API"
    active: bool = True
    double_auth: bool = False
    id: int = 0
    auth_code: str | None = None  # last 4 digits of the pending DoubleAuth call's caller ID
    mfa_passed: bool = False  # the mfa.php step was completed for this session


@dataclass(slots=True)
class LoginLogRow:
    time: float
    username: str
    remote_ip: str
    success: bool
    session_type: str = "API"


class Transaction(msgspec.Struct, gc=False):
    """One ledger row. (A Struct holding plain values only: built in C, and never scanned by the
    cyclic collector however many rows a system keeps.)"""

    id: int
    time: float
    amount: float
    description: str
    who: str
    new_balance: float
    expire_date: str | None = None
    campaign_id: str | None = None
    category: str = ""  # sms, tzintuk, fax, tts, bridge, transfer, ... (billing.py)


@dataclass
class CallerId:
    caller_id: str
    expires: float


@dataclass
class CallerIdRequest:
    """A pending ValidationCallerId ``send``: the code sent to ``caller_id`` by SMS or call."""

    id: str
    caller_id: str
    code: str
    created: float
    used: bool = False


@dataclass(slots=True)
class ListEntry:
    """A number on a free-tzintuk list or a distribution list (``tpl:X``)."""

    phone: str
    name: str | None = None
    active: bool = True
    blocked: bool = False


@dataclass(slots=True)
class TzintukLogRow:
    time: float
    folder: str
    phone: str
    type_operation: str
    phone_action: str = ""


@dataclass
class TzintukList:
    """A free-tzintuk list: subscribers and the log of every action on the list."""

    name: str
    folder: str = "1"
    entries: list[ListEntry] = field(default_factory=list)
    log: list[TzintukLogRow] = field(default_factory=list)


@dataclass
class SecondaryDid:
    id: int
    did: str
    usage: str


@dataclass
class IvrFile:
    """A file of the virtual IVR tree; its bytes are ``IvrTree.blobs[blob]``."""

    blob: str  # sha256 (hex) of the bytes
    size: int
    mtime: float  # emulator clock
    phone: str | None = None  # who recorded or uploaded it, where known
    ip: str | None = None
    source: str = "fixture"  # fixture | api | call | admin | task
    duration: float | None = None  # seconds, for WAV audio the emulator could read


@dataclass
class ChunkedUpload:
    """An UploadFile in chunks (``qquuid``) until ``UploadFile?done``; parts are base64 by index."""

    uuid: str
    filename: str
    total_parts: int
    total_size: int
    started: float
    parts: dict[str, str] = field(default_factory=dict)


@dataclass
class IvrTree:
    """A system's IVR tree: files by canonical path, folders created empty, content-addressed bytes.

    ``blobs`` maps sha256 -> base64 once per distinct content, so copies share bytes and a snapshot
    of the tree copies references, not megabytes (see docs/architecture.md).
    """

    files: dict[str, IvrFile] = field(default_factory=dict)
    folders: dict[str, float] = field(default_factory=dict)  # canonical path -> creation time
    blobs: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, ChunkedUpload] = field(default_factory=dict)
    music_on_hold: dict[str, str] = field(default_factory=dict)  # class name -> folder path
    quota_bytes: int = 500 * 1024 * 1024


class SmsOutRow(msgspec.Struct, gc=False):
    """One GetSmsOutLog row (a Struct of plain values, as ``Transaction``)."""

    time: float
    caller_id: str
    to: str
    message: str
    billing: float
    run_by: str
    delivery_report: str | None = None
    flash: bool = False
    message_id: str | None = None  # the simulated network's message, for the live delivery report
    campaign_id: str | None = None


@dataclass(slots=True)
class IncomingCallRow:
    time: float
    did: str
    caller: str
    seconds: int
    kind: str = "direct"  # direct | transferIn | transferOut


@dataclass(slots=True)
class TaskLogRow:
    id: int
    time: float
    succeeded: bool
    error_message: str | None = None


@dataclass
class Task:
    """A scheduled task (CreateTask); time fields of None mean "any"."""

    id: int
    type: str
    description: str | None
    created: float
    updated: float
    create_by: str
    action: dict[str, Any] = field(default_factory=dict)
    active: bool = False
    send_mail_in_end: bool = False
    send_mail_in_error: bool = False
    check_is_kodesh: bool = False
    minute: int | None = None
    hour: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    days: list[int] | None = None
    status: str = "WAITING"
    last_run: float | None = None
    next_run: float | None = None
    logs: list[TaskLogRow] = field(default_factory=list)


@dataclass
class SipAccount:
    number: int
    username: str
    password: str
    created: float
    ext_number: int | None = None
    transport: str = "transport-udp"
    special_caller_id: str | None = None
    contacts: int = 0
    registrations: list[SipRegistration] = field(default_factory=list)


@dataclass
class SipRegistration:
    """A simulated SIP device registered on an account (control plane), shown by SipGetContexts."""

    uri: str
    user_agent: str
    via_addr: str
    via_port: int
    registered: float
    expires_s: int = 3600


@dataclass
class LiveCall:
    """A call that is up on the system right now (GetIncomingCalls, GetCallsStatus, queues).

    ``call_id`` is the telephony engine's id of the call (control plane); ``api_call_id`` the
    40-hex id the API shows. ``path`` is the canonical extension the caller is in ('' = root);
    ``queue`` the canonical path of the queue the caller waits in, if any.
    """

    call_id: str
    api_call_id: str
    did: str
    caller: str
    path: str
    started: float
    path_since: float
    keys: list[str] = field(default_factory=list)
    transfer_from: str | None = None
    queue: str | None = None
    queue_since: float | None = None
    muted: bool = False
    hand_raised: bool = False
    language: str | None = None
    room_data: list[str] = field(default_factory=list)
    room_goto: str | None = None


@dataclass(slots=True)
class IncomingSms:
    time: float
    source: str
    destination: str
    message: str


@dataclass(slots=True)
class CallbackRow:
    id: int
    calling_number: str
    time: float
    status: str = "WAITING"
    attempts: int = 0
    last_attempt: float | None = None


@dataclass
class CallbackQueue:
    """A queue's call-back service (QueueCallBack), from the fixture."""

    id: int
    path: str
    queue_path: str
    caller_id: str
    callback_times: str = "00:00-23:59"
    max_waiting_time: int = 600
    max_waiting_customers: int = 20
    open: bool = True
    rows: list[CallbackRow] = field(default_factory=list)


@dataclass
class MfaMethod:
    id: int
    kind: str  # EMAIL | PHONE
    value: str
    note: str = ""
    status: str = "VALID"
    expires: str | None = None
    last_used: float | None = None
    code: str | None = None  # the last code sent to it


@dataclass
class MfaTrustToken:
    id: int
    created: float
    note: str = ""
    last_use: float | None = None


@dataclass
class Mfa:
    """Multi-factor state of a system: whether Login sessions must pass it, its methods and trusts."""

    required: bool = False
    methods: list[MfaMethod] = field(default_factory=list)
    trust_tokens: list[MfaTrustToken] = field(default_factory=list)
    trust_ips: list[str] = field(default_factory=list)
    next_id: int = 1
    tries: int = 0


@dataclass
class ApiKey:
    """A permanent API key (``emulator/yemot/api_keys``): its id and the SHA-256 of its text, never the text."""

    id: str
    digest: str
    note: str = ""
    created: float = 0.0
    last_used: float | None = None
    revoked: float | None = None


@dataclass
class YemotSystem:
    number: str
    password: str
    units: float = 0.0
    units_expire_date: str = "2099-12-31"
    sms_units: float = 0.0
    sms_units_expire_date: str | None = None
    name: str = ""
    email: str = ""
    organization: str = ""
    contact_name: str = ""
    phones: str = ""
    invoice_name: str = ""
    invoice_address: str = ""
    fax: str = ""
    access_password: str | None = None
    record_password: str | None = None
    reseller_credit_file: str = "Yemot"
    system_site: str = "yemot"
    ivr_type: str = "IVR2"
    pirsum_phone_status: bool = False
    create_phone: str = ""
    sip_account_limit: int = 0
    sip_supported: bool = True
    validation_call_threshold: int = 5
    validation_calls: int = 0
    validation_window_start: float | None = None
    next_session_id: int = 1
    next_campaign: int = 1
    caller_id_requests: dict[str, CallerIdRequest] = field(default_factory=dict)
    tzintuk_lists: dict[str, TzintukList] = field(default_factory=dict)
    distribution_lists: dict[str, list[ListEntry]] = field(default_factory=dict)
    secondary_dids: list[SecondaryDid] = field(default_factory=list)
    caller_ids: list[CallerId] = field(default_factory=list)
    tree: IvrTree = field(default_factory=IvrTree)
    sessions: dict[str, Session] = field(default_factory=dict)
    login_log: list[LoginLogRow] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    sms_out_log: list[SmsOutRow] = field(default_factory=list)
    incoming_calls: list[IncomingCallRow] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    next_task_id: int = 1
    sip_accounts: list[SipAccount] = field(default_factory=list)
    queues: dict[str, Queue] = field(default_factory=dict)
    campaign_book: CampaignBook = field(default_factory=CampaignBook)
    live_calls: dict[str, LiveCall] = field(default_factory=dict)  # by api_call_id, oldest first
    incoming_sms: list[IncomingSms] = field(default_factory=list)
    callback_queues: list[CallbackQueue] = field(default_factory=list)
    mfa: Mfa = field(default_factory=Mfa)
    api_keys: list[ApiKey] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class YemotState:
    systems: dict[str, YemotSystem] = field(default_factory=dict)
    ivr_walks: dict[str, IvrWalk] = field(default_factory=dict)  # simulated callers' IVR walks, by call id

    def find_session(self, token: str) -> tuple[YemotSystem, Session] | None:
        for system in self.systems.values():
            session = system.sessions.get(token)
            if session is not None:
                return system, session
        return None
