"""State of the Campaign API: templates with their entries, campaign runs and scheduled runs.

Times are POSIX seconds of the emulator clock; durations of attempts are milliseconds, as the
real server reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIRST_TEMPLATE_ID = 100001
FIRST_SCHED_ID = 4001


@dataclass
class TemplateEntry:
    """One number of a template's distribution list; ``rowid`` is unique in the template."""

    rowid: int
    phone: str
    name: str | None = None
    moreinfo: str | None = None
    blocked: bool = False


@dataclass
class Template:
    """A stored campaign configuration: dialling settings plus the distribution list."""

    template_id: int
    description: str | None = None
    caller_id: str = ""
    incoming_policy: str = "OPEN"
    customer_default: bool = False
    max_active_channels: int = 100
    max_bridged_channels: int = 0
    originate_timeout: float = 30.0
    vm_detect: bool = False
    filter_enabled: bool = False
    max_dial_attempts: int = 3
    redial_wait: float = 10.0
    redial_policy: str = "FAILED"
    yemot_context: str = "MESSAGE"
    bridge_to: str | None = None
    play_private_msg: bool = False
    remove_request: str = "SILENT"
    entries: list[TemplateEntry] = field(default_factory=list)
    next_rowid: int = 1


SETTINGS = (
    "caller_id",
    "incoming_policy",
    "max_active_channels",
    "max_bridged_channels",
    "originate_timeout",
    "vm_detect",
    "filter_enabled",
    "max_dial_attempts",
    "redial_wait",
    "redial_policy",
    "yemot_context",
    "bridge_to",
    "play_private_msg",
    "remove_request",
)


@dataclass
class Attempt:
    """One finished dial of an entry (the ``redials[]`` items of GetCampaignStatus)."""

    status: str
    start: float | None
    duration: int | None = None
    bridged_duration: int | None = None
    bridged: bool = False


@dataclass
class CampaignEntry:
    """One number of a running campaign: its current attempt and the earlier ones."""

    phone: str
    name: str | None = None
    moreinfo: str | None = None
    text: str | None = None
    status: str = "pending"
    attempts: int = 0
    call_id: str | None = None
    start: float | None = None
    duration: int | None = None
    bridged_duration: int | None = None
    bridged: bool = False
    price: float = 0.0
    redials: list[Attempt] = field(default_factory=list)


@dataclass
class CampaignCounters:
    """Running totals of a campaign, kept up to date by the engine (no scans per status read)."""

    dialed: int = 0
    successful: int = 0
    failed: int = 0
    bridged: int = 0
    active: int = 0
    bridged_now: int = 0
    waiting_redial: int = 0


@dataclass
class CampaignRun:
    """A campaign started by RunCampaign (or a scheduled run) from a template."""

    campaign_id: str
    template_id: int
    who: str
    caller_id: str
    created: float
    max_active_channels: int
    max_bridged_channels: int
    originate_timeout: float
    max_dial_attempts: int
    redial_wait: float
    redial_policy: str
    vm_detect: bool
    filter_enabled: bool
    play_private_msg: bool
    yemot_context: str
    bridge_to: str | None
    message_s: float
    units_per_message: float
    tts_mode: bool = False
    status: str = "RUNNING"
    paused: bool = False
    ended_at: float | None = None
    estimated_price: float = 0.0
    current_price: float = 0.0
    settled: bool = False
    entries: list[CampaignEntry] = field(default_factory=list)
    ready: list[int] = field(default_factory=list)
    ready_head: int = 0
    counters: CampaignCounters = field(default_factory=CampaignCounters)


@dataclass
class ScheduledCampaign:
    """A ScheduleCampaign row: PENDING until it fires, then SUCCESSFUL (``campaign_id``) or FAILED."""

    sched_id: int
    template_id: int
    template_description: str | None
    start: float
    created: float
    ip: str
    state: str = "PENDING"
    campaign_id: str | None = None
    error_msg: str | None = None


@dataclass
class CampaignBook:
    """Everything of the Campaign API in one system."""

    templates: list[Template] = field(default_factory=list)
    campaigns: dict[str, CampaignRun] = field(default_factory=dict)
    scheduled: list[ScheduledCampaign] = field(default_factory=list)
    next_template_id: int = FIRST_TEMPLATE_ID
    next_sched_id: int = FIRST_SCHED_ID
