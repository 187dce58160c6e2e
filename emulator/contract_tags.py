"""The groups the API docs list operations under: one OpenAPI tag per operation.

Yemot's methods are grouped by hand (``YEMOT_TAGS``, in the order the docs show them); a Simotel
service's tag is the group and resource of its path (``/api/v4/pbx/users/search`` -> ``pbx/users``).
``python -m emulator.contract_tags [DIR]`` writes the tags into ``DIR/yemot.yaml`` and
``DIR/simotel.yaml`` (each operation's ``tags`` and the top-level list with descriptions), editing
the lines in place so the rest of each file stays as written; ``--check`` only reports a file that
would change. ``tag_problems`` (part of ``contracts validate``) finds any operation without exactly
one declared tag.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

VERBS = ("get", "post", "put", "delete", "patch")
TAGGED = ("yemot", "simotel")

YEMOT_TAGS: dict[str, tuple[str, str]] = {  # tag: (description, its methods)
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
YEMOT_TAG_OF = {method: tag for tag, (_, methods) in YEMOT_TAGS.items() for method in methods.split()}

SIMOTEL_GROUPS = {"setting": "Settings", "call": "Calls", "reports": "Reports", "pbx": "PBX",
                  "voicemails": "Voicemail", "autodialer": "Autodialer"}  # fmt: skip


def simotel_tag(path: str) -> str:
    """``/api/v4/<group>/<resource>/...`` -> ``<group>/<resource>``."""
    return "/".join(path.split("/")[3:5])


def yemot_tag(path: str) -> str | None:
    return YEMOT_TAG_OF.get(path.rsplit("/", 1)[-1])


def declared_tags(api: str, paths: dict[str, Any]) -> list[dict[str, str]]:
    """The top-level ``tags`` list: every tag in use, in the order the docs show them."""
    if api == "yemot":
        return [{"name": name, "description": text} for name, (text, _) in YEMOT_TAGS.items()]
    actions: dict[str, list[str]] = {}
    for path in paths:
        tag = simotel_tag(path)
        actions.setdefault(tag, []).append(path.removeprefix(f"/api/v4/{tag}").lstrip("/") or "(no action)")
    return [
        {
            "name": tag,
            "description": f"{SIMOTEL_GROUPS.get(tag.split('/')[0], tag)}: `/api/v4/{tag}/…` {', '.join(names)}",
        }
        for tag, names in actions.items()
    ]


def tag_of(api: str, path: str) -> str | None:
    return yemot_tag(path) if api == "yemot" else simotel_tag(path)


def tag_problems(document: dict[str, Any]) -> list[str]:
    """Operations without exactly one tag, tags not declared at the top, declared tags nobody uses."""
    declared = [tag.get("name") for tag in document.get("tags") or []]
    used: set[str] = set()
    problems = []
    for path, item in (document.get("paths") or {}).items():
        for verb in VERBS:
            if verb not in item:
                continue
            tags = item[verb].get("tags")
            if not isinstance(tags, list) or len(tags) != 1:
                problems.append(f"{verb.upper()} {path}: needs exactly one tag, has {tags!r}")
            elif tags[0] not in declared:
                problems.append(f"{verb.upper()} {path}: tag {tags[0]!r} is not in the top-level tags")
            else:
                used.add(tags[0])
    problems += [f"top-level tag {name!r} is used by no operation" for name in declared if name not in used]
    return problems


_PATH = re.compile(r"^  (/\S+):\s*$")
_VERB = re.compile(r"^    (get|post|put|delete|patch):( &\w+)?\s*$")  # a block operation (not a merged copy)
_OLD_TAG = re.compile(r"^      tags: ")


def retag(api: str, text: str) -> str:
    """``text`` (a contract) with each operation's ``tags`` line and the top-level list rewritten."""
    paths = yaml.safe_load(text)["paths"]
    lines = _without_top_level_tags(text.splitlines(keepends=True))
    out: list[str] = []
    in_paths, path = False, None
    for line in lines:
        if _OLD_TAG.match(line) and len(out) > 1 and _VERB.match(out[-2]):
            continue  # the line written last run, right under its operation: replaced already
        if line.startswith("paths:"):
            listing = {"tags": declared_tags(api, paths)}
            out.append(yaml.safe_dump(listing, allow_unicode=True, sort_keys=False, width=110))
        out.append(line)
        if line[:1] not in (" ", "\n", "#", ""):
            in_paths, path = line.startswith("paths:"), None  # a top-level key: only paths: holds operations
        matched = _PATH.match(line)
        if in_paths and matched:
            path = matched.group(1)
        if path and _VERB.match(line):
            tag = tag_of(api, path)
            if tag is None:
                raise ValueError(f"{api}: no tag for {path}; add it to emulator/contract_tags.py")
            out.append(f"      tags: {json.dumps([tag], ensure_ascii=False)}\n")
    return "".join(out)


def _without_top_level_tags(lines: list[str]) -> list[str]:
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("tags:"):
            skipping = True
            continue
        if skipping and line[:1] not in (" ", "-", "\n", ""):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def main(argv: list[str]) -> int:
    check = "--check" in argv
    folders = [arg for arg in argv if arg != "--check"]
    directory = Path(folders[0]) if folders else Path(__file__).resolve().parents[1] / "contracts"
    stale = []
    for api in TAGGED:
        path = directory / f"{api}.yaml"
        text = path.read_text(encoding="utf-8")
        wanted = retag(api, text)
        if wanted != text:
            stale.append(str(path))
            if not check:
                path.write_text(wanted, encoding="utf-8")
    if check and stale:
        print(f"tags out of date in {', '.join(stale)}: run python -m emulator.contract_tags", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
