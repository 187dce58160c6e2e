"""How the API docs group Yemot's methods: one hand-made tag per method, in the order the docs show them."""

from __future__ import annotations

from emulator.core.api import ContractTags

TAGS: dict[str, tuple[str, str]] = {  # tag: (description, its methods)
    "Session": (
        "Log in and out; what the current token is and may do",
        "Login Logout GetSession ValidationToken",
    ),
    "Security": (
        "Multi-factor and two-step verification, the login log, live sessions, the password",
        "MFASession DoubleAuth GetLoginLog GetAllSessions KillSession KillAllSessions SetPassword",
    ),
    "Account": (
        "Customer data and details, units and their ledger, incoming minutes, secondary and advertising numbers",
        "GetCustomerData SetCustomerDetails GetTransactions TransferUnits GetIncomingSum "
        "SetSecondaryDidUsageDescription PirsumPhoneManagement",
    ),
    "Caller IDs": (
        "Numbers the system may call and text from, and their approval by a code",
        "GetApprovedCallerIDs IsCallerIDApproved ValidationCallerId",
    ),
    "SMS": (
        "Send SMS; the outgoing log, the SMS ledger and incoming messages",
        "SendSms GetSmsOutLog GetCustomerSmsTransactions GetIncomingSms",
    ),
    "Calls": (
        "Live calls on the system and acting on them; bridge calls and faxes",
        "GetIncomingCalls GetCallsStatus CallAction CallManager CallExtensionBridging CreateBridgeCall SendFax",
    ),
    "Tzintuk": (
        "Short rings (tzintuk) and the free-tzintuk lists",
        "RunTzintuk TzintukimListManagement",
    ),
    "Campaigns": (
        "Voice campaigns: TTS, runs from templates, scheduling, live status, actions and reports",
        "SendTTS RunCampaign ScheduleCampaign GetScheduledCampaigns DeleteScheduledCampaign "
        "GetActiveCampaigns GetCampaignStatus CampaignAction ViewCampaignReports DownloadCampaignReport",
    ),
    "Templates and lists": (
        "Campaign templates and their phone lists (distribution-list entries)",
        "GetTemplates CreateTemplate UpdateTemplate DeleteTemplate GetTemplateEntries "
        "UpdateTemplateEntry UpdateTemplateEntries ClearTemplateEntries UploadPhoneList",
    ),
    "Files and IVR tree": (
        "The IVR tree: folders, extensions and their ext.ini, files up and down, music on hold",
        "GetIvrTree GetIVR2Dir GetIVR2DirStats GetFile CheckIfFileExists CheckIfFolderExists UploadFile "
        "DownloadFile FileAction GetTextFile UploadTextFile RenderYMGRFile UpdateExtension "
        "CreateMusicOnHolds DeleteMusicOnHolds GetMusicOnHoldByPath",
    ),
    "Queues": (
        "Queue extensions: live data, managing callers and agents, call-back lists",
        "GetQueueRealTime QueueManagement QueueCallBack",
    ),
    "SIP accounts": (
        "SIP accounts, their transport, caller ID and extension, and registered devices",
        "CreateSipAccount GetSipAccountsInCustomer DeleteSipAccount SipToWss SipToUdp "
        "EditCallerIdInSipAccount SipExtensionManagement SipGetContexts GetSipAccountsRegisteredStatus",
    ),
    "Tasks": (
        "Scheduled tasks (SMS, tzintuk, moving files) and their run logs",
        "CreateTask UpdateTask DeleteTask GetTasks GetTasksData GetTasksLogs",
    ),
}
TAG_OF = {method: tag for tag, (_, methods) in TAGS.items() for method in methods.split()}


def tag_of(path: str) -> str | None:
    """The tag of ``/ym/api/<Method>`` (None for a method not in ``TAGS`` yet)."""
    return TAG_OF.get(path.rsplit("/", 1)[-1])


def declared(paths: object) -> list[dict[str, str]]:
    """The top-level ``tags`` list: every group with its description, in the docs' order."""
    return [{"name": name, "description": text} for name, (text, _) in TAGS.items()]


CONTRACT_TAGS = ContractTags(tag_of=tag_of, declared=declared, table="emulator/yemot/tags.py")
