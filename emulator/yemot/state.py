"""Yemot state: systems (tenants) with their sessions, units ledger, files and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Session:
    token: str
    created: float
    last_request: float
    remote_ip: str
    session_type: str = "API"
    active: bool = True
    double_auth: bool = False


@dataclass
class LoginLogRow:
    time: float
    username: str
    remote_ip: str
    success: bool
    session_type: str = "API"


@dataclass
class Transaction:
    id: int
    time: float
    amount: float
    description: str
    who: str
    new_balance: float
    expire_date: str | None = None
    campaign_id: str | None = None


@dataclass
class CallerId:
    caller_id: str
    expires: float


@dataclass
class SecondaryDid:
    id: int
    did: str
    usage: str


@dataclass
class IvrFile:
    """A file in the virtual IVR tree; ``data`` is base64."""

    data: str
    mtime: float


@dataclass
class SmsOutRow:
    time: float
    caller_id: str
    to: str
    message: str
    billing: float
    run_by: str
    delivery_report: str | None = None
    flash: bool = False


@dataclass
class IncomingCallRow:
    time: float
    did: str
    caller: str
    seconds: int
    kind: str = "direct"  # direct | transferIn | transferOut


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
    secondary_dids: list[SecondaryDid] = field(default_factory=list)
    caller_ids: list[CallerId] = field(default_factory=list)
    files: dict[str, IvrFile] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    login_log: list[LoginLogRow] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    sms_out_log: list[SmsOutRow] = field(default_factory=list)
    incoming_calls: list[IncomingCallRow] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class YemotState:
    systems: dict[str, YemotSystem] = field(default_factory=dict)

    def find_session(self, token: str) -> tuple[YemotSystem, Session] | None:
        for system in self.systems.values():
            session = system.sessions.get(token)
            if session is not None:
                return system, session
        return None
