"""Tzintuk methods: RunTzintuk and TzintukimListManagement over the system's free-tzintuk lists."""

from __future__ import annotations

from typing import Any

from emulator.yemot import billing, ivrtree, phone_lists
from emulator.yemot.actions import by_action
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import (
    BadAction,
    NoValidPhones,
    TzintukListNotFound,
    TzintukListRequired,
    TzintukTimeOutTooLong,
)
from emulator.yemot.paths import normalize_path
from emulator.yemot.services import caller_ids
from emulator.yemot.state import TzintukList, TzintukLogRow, YemotSystem
from emulator.yemot.timefmt import local

DEFAULT_TIMEOUT_S = 9.0
MAX_TIMEOUT_S = 16.0
RAND = "RAND"
TZINTUK_KIND = "tzintuk"
PHONE_NAMES_FILE = "ivr2:/PhonesName.ini"

# TypeOperation values of a list's log (seed)
ADD, RUN, REMOVE, ADMIN_REMOVE, RESET = (
    "AddToListTzintuk",
    "RunTzintuk",
    "RemovingToListTzintuk",
    "AdminRemovingToListTzintuk",
    "ResetToListTzintuk",
)


def log_event(
    system: YemotSystem, tz_list: TzintukList, now: float, operation: str, phone: str, action: str = ""
) -> None:
    """Append one row to a list's log (every action on a list goes through here)."""
    tz_list.log.append(
        TzintukLogRow(time=now, folder=tz_list.folder, phone=phone, type_operation=operation, phone_action=action)
    )


def run_tzintuk(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    timeout = call.params.get("TzintukTimeOut")
    timeout = DEFAULT_TIMEOUT_S if timeout is None else float(timeout)
    if timeout > MAX_TIMEOUT_S:
        raise TzintukTimeOutTooLong()
    requested = str(call.params.get("callerId") or "").strip()
    random_caller = requested.upper() == RAND
    default_caller = system.number if random_caller else caller_ids.resolve(system, requested, call.now)
    expansion = phone_lists.expand(
        system,
        call.params.get("phones"),
        call.params.get("tzintukLists"),
        blocked_handset=call.handset_blocked,
    )
    targets = expansion.targets[:1] if random_caller else expansion.targets
    if not targets:
        raise NoValidPhones(errors=expansion.errors)
    if random_caller:
        rng = call.emulator.rng
        default_caller = "07" + "".join(str(rng.randrange(10)) for _ in range(8))
    callers = [
        default_caller if target.caller_id is None else caller_ids.resolve(system, target.caller_id, call.now)
        for target in targets
    ]
    free = expansion.free_lists
    total = billing.price_tzintuk(len(targets), free=free)
    billing.ensure_funds(system, total)
    campaign = billing.new_campaign_id(call.emulator.ids, system, "YA", call.now)
    for target, caller in zip(targets, callers, strict=True):
        call.place(
            kind=TZINTUK_KIND,
            caller_id=caller,
            to=target.phone,
            campaign=campaign,
            ring_timeout_s=timeout,
            max_talk_s=0,
        )
    billing.charge_campaign(system, total, campaign, call.now, "tzintuk")
    for name in expansion.lists if free else ():
        log_event(system, system.tzintuk_lists[name], call.now, RUN, system.number)
    return {
        "verifyCode": default_caller[-4:] if random_caller else "",
        "callerId": default_caller,
        "callsCount": len(targets),
        "bilingPerCall": 0.0 if free else billing.TZINTUK_PRICE,
        "biling": f"{total:.2f}",
        "errors": expansion.errors,
        "callsTimeout": int(timeout),
        "campaignId": campaign,
    }


# -- TzintukimListManagement --------------------------------------------------------------------------


def phone_names(system: YemotSystem) -> dict[str, str]:
    """``phone=name`` lines of ``PhonesName.ini`` in the main extension."""
    key = normalize_path(PHONE_NAMES_FILE)
    if not ivrtree.exists(system, key):
        return {}
    names: dict[str, str] = {}
    for line in ivrtree.read_text(system, key).splitlines():
        phone, sep, name = line.partition("=")
        if sep and phone.strip():
            names[phone.strip()] = name.strip()
    return names


def _list(call: YemotCall) -> TzintukList:
    system = call.require_system()
    name = str(call.params.get("TzintukimList") or "").strip()
    if not name:
        raise TzintukListRequired()
    tz_list = system.tzintuk_lists.get(name)
    if tz_list is None:
        raise TzintukListNotFound(name)
    return tz_list


def _get_lists(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {
        "lists": [
            {
                "listName": tz_list.name,
                "subscribers": len(tz_list.entries),
                "blocked": sum(1 for entry in tz_list.entries if entry.blocked),
                "active": sum(1 for entry in tz_list.entries if entry.active),
            }
            for tz_list in system.tzintuk_lists.values()
        ]
    }


def _get_entries(call: YemotCall) -> dict[str, Any]:
    tz_list = _list(call)
    names = phone_names(call.require_system())

    def person(entry: Any) -> dict[str, Any]:
        return {"phone": entry.phone, "name": names.get(entry.phone, entry.name)}

    return {
        "listName": tz_list.name,
        "countSubscribers": len(tz_list.entries),
        "countsBlocked": sum(1 for entry in tz_list.entries if entry.blocked),
        "countsActive": sum(1 for entry in tz_list.entries if entry.active),
        "enteres": [{**person(entry), "active": entry.active} for entry in tz_list.entries],
        "blocked": [person(entry) for entry in tz_list.entries if entry.blocked],
        "active": [person(entry) for entry in tz_list.entries if entry.active],
    }


def _get_log(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    tz_list = _list(call)
    return {
        "events": [
            {
                "Folder": row.folder,
                "CustomerDID": system.number,
                "Phone": row.phone,
                "Date": local(row.time).strftime("%d/%m/%Y"),
                "Time": local(row.time).strftime("%H:%M:%S"),
                "TypeOperation": row.type_operation,
                "PhoneAction": row.phone_action,
            }
            for row in tz_list.log
        ]
    }


def _reset(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    tz_list = _list(call)
    tz_list.entries.clear()
    log_event(system, tz_list, call.now, RESET, system.number)
    return {"list": tz_list.name}


ACTIONS = {"getlists": _get_lists, "getlistEnteres": _get_entries, "getLogList": _get_log, "resetList": _reset}
tzintukim_list_management = by_action(ACTIONS, BadAction)
