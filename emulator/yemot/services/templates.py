"""Templates and their entries: GetTemplates, Create/Delete/UpdateTemplate and the entry methods.

Every system has one default template (``customerDefault``), made on first use from the
system's main number; new templates copy its settings. ``messageExists`` / ``messageDuration`` /
``moreinfo*`` are read from the template's files in the IVR tree (``template_files``).
"""

from __future__ import annotations

from typing import Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot import billing, template_files
from emulator.yemot.campaigns.errors import (
    BridgeToRequired,
    DefaultTemplateUndeletable,
    EntryPhoneInvalid,
    TemplateNotFound,
    TemplateRowNotFound,
)
from emulator.yemot.campaigns.state import SETTINGS, CampaignBook, Template, TemplateEntry
from emulator.yemot.context import YemotCall
from emulator.yemot.services import caller_ids
from emulator.yemot.state import YemotSystem

# UpdateTemplate parameter -> Template attribute
FIELDS = {
    "description": "description",
    "callerId": "caller_id",
    "incomingPolicy": "incoming_policy",
    "maxActiveChannels": "max_active_channels",
    "maxBridgedChannels": "max_bridged_channels",
    "originateTimeout": "originate_timeout",
    "vmDetect": "vm_detect",
    "filterEnabled": "filter_enabled",
    "maxDialAttempts": "max_dial_attempts",
    "redialWait": "redial_wait",
    "redialPolicy": "redial_policy",
    "yemotContext": "yemot_context",
    "bridgeTo": "bridge_to",
    "playPrivateMsg": "play_private_msg",
    "removeRequest": "remove_request",
}
_BOOLS = {"vm_detect", "filter_enabled", "play_private_msg"}
_FLOATS = {"originate_timeout", "redial_wait"}


def book(system: YemotSystem) -> CampaignBook:
    """The system's Campaign API state, with its default template made on first use."""
    campaigns = system.campaign_book
    if not campaigns.templates:
        new_template(system, "Default", default=True)
    return campaigns


def new_template(system: YemotSystem, description: str | None, *, default: bool = False) -> Template:
    """Add a template: the default one from the main number, any other a copy of the default's settings."""
    campaigns = system.campaign_book
    template = Template(template_id=campaigns.next_template_id, description=description, caller_id=system.number)
    campaigns.next_template_id += 1
    if default:
        template.customer_default = True
    else:
        source = default_template(system)
        for name in SETTINGS:
            setattr(template, name, getattr(source, name))
    campaigns.templates.append(template)
    return template


def default_template(system: YemotSystem) -> Template:
    templates = book(system).templates
    return next((t for t in templates if t.customer_default), templates[0])


def find(system: YemotSystem, template_id: Any) -> Template:
    """The template ``template_id``; TemplateNotFound (code 100) if there is none."""
    for template in book(system).templates:
        if str(template.template_id) == str(template_id).strip():
            return template
    raise TemplateNotFound()


def template_json(system: YemotSystem, template: Template) -> dict[str, Any]:
    """One template as GetTemplates lists it (every key the clients require)."""
    voice = template_files.message(system, template.template_id)
    more = template_files.moreinfo(system, template.template_id)
    blocked = sum(1 for entry in template.entries if entry.blocked)
    return {
        "templateId": template.template_id,
        "description": template.description,
        "callerId": template.caller_id,
        "entriesCount": len(template.entries),
        "blockedEntriesCount": blocked,
        "incomingPolicy": template.incoming_policy,
        "customerDefault": template.customer_default,
        "maxActiveChannels": template.max_active_channels,
        "maxBridgedChannels": template.max_bridged_channels,
        "originateTimeout": float(template.originate_timeout),
        "vmDetect": template.vm_detect,
        "filterEnabled": template.filter_enabled,
        "maxDialAttempts": template.max_dial_attempts,
        "redialWait": int(round(template.redial_wait)),
        "redialPolicy": template.redial_policy,
        "yemotContext": template.yemot_context,
        "bridgeTo": template.bridge_to,
        "playPrivateMsg": template.play_private_msg,
        "messageExists": voice.exists,
        "messageDuration": float(voice.seconds),
        "unitsPerMessage": billing.units_per_message(voice.seconds) if voice.exists else 0.0,
        "moreinfoExists": more.exists,
        "moreinfoDuration": float(more.seconds),
        "removeRequest": template.remove_request,
    }


def get_templates(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {"templates": [template_json(system, template) for template in book(system).templates]}


def create_template(call: YemotCall) -> dict[str, Any]:
    """CreateTemplate: a new template with the default's settings and no entries."""
    system = call.require_system()
    description = call.params.get("description")
    template = new_template(system, None if description in (None, "") else str(description))
    return {"templateId": template.template_id}


def delete_template(call: YemotCall) -> dict[str, Any]:
    """DeleteTemplate: gone with its files; running campaigns keep their own copy."""
    system = call.require_system()
    template = find(system, call.params["templateId"])
    if template.customer_default:
        raise DefaultTemplateUndeletable()
    book(system).templates.remove(template)
    template_files.remove_all(system, template.template_id)
    return {}


def update_template(call: YemotCall) -> dict[str, Any]:
    """UpdateTemplate: change the given settings; answers ``templates`` (doc) and ``template`` (client)."""
    system = call.require_system()
    template = find(system, call.params["templateId"])
    changes: dict[str, Any] = {}
    for param, attribute in FIELDS.items():
        value = call.params.get(param)
        if value is None or (value == "" and param != "description"):
            continue
        if attribute in _BOOLS:
            value = bool(value)
        elif attribute in _FLOATS:
            value = float(value)
        elif attribute == "caller_id":
            value = caller_ids.resolve(system, value, call.now)
        changes[attribute] = value
    context = changes.get("yemot_context", template.yemot_context)
    if context == "BRIDGE" and not (changes.get("bridge_to") or template.bridge_to):
        raise BridgeToRequired()
    for attribute, value in changes.items():
        setattr(template, attribute, value)
    if call.params.get("customerDefault"):
        for other in book(system).templates:
            other.customer_default = other is template
    data = template_json(system, template)
    return {"templates": [data], "template": data}


# -- entries -----------------------------------------------------------------------------------------


def entries_json(template: Template) -> list[dict[str, Any]]:
    return [
        {
            "rowid": entry.rowid,
            "index": index,
            "phone": entry.phone,
            "blocked": entry.blocked,
            "name": entry.name,
            "moreinfo": entry.moreinfo,
        }
        for index, entry in enumerate(template.entries, start=1)
    ]


def add_entry(template: Template, phone: str, name: str | None, moreinfo: str | None, blocked: bool) -> TemplateEntry:
    entry = TemplateEntry(rowid=template.next_rowid, phone=phone, name=name, moreinfo=moreinfo, blocked=blocked)
    template.next_rowid += 1
    template.entries.append(entry)
    return entry


def get_template_entries(call: YemotCall) -> dict[str, Any]:
    template = find(call.require_system(), call.params["templateId"])
    return {"templateId": template.template_id, "entries": entries_json(template)}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def update_template_entry(call: YemotCall) -> dict[str, Any]:
    """UpdateTemplateEntry: change row ``rowid``, or write the row of ``phone`` (a new one if absent)."""
    template = find(call.require_system(), call.params["templateId"])
    params = call.params
    name = _text(params.get("name"))
    moreinfo = _text(params.get("moreinfo", params.get("moreInfo")))
    phone = phone_rules.normalize(params.get("phone"))
    if phone and not phone_rules.is_valid(phone, "yemot"):
        raise EntryPhoneInvalid()
    rowid = params.get("rowid")
    if rowid not in (None, ""):
        entry = next((e for e in template.entries if str(e.rowid) == str(rowid)), None)
        if entry is None:
            raise TemplateRowNotFound()
        entry.phone = phone or entry.phone
        entry.name = name if "name" in params else entry.name
        entry.moreinfo = moreinfo if ("moreinfo" in params or "moreInfo" in params) else entry.moreinfo
    else:
        if not phone:
            raise EntryPhoneInvalid()
        entry = next((e for e in template.entries if e.phone == phone), None)
        if entry is None:
            entry = add_entry(template, phone, name, moreinfo, False)
        else:  # re-written: the old name and moreinfo are erased
            entry.name, entry.moreinfo = name, moreinfo
    if params.get("blocked") is not None:
        entry.blocked = bool(params["blocked"])
    return {}


def update_template_entries(call: YemotCall) -> dict[str, Any]:
    """UpdateTemplateEntries: ``block`` / ``unblock`` / ``delete`` the rows of ``rowids`` (``1-2-3``)."""
    template = find(call.require_system(), call.params["templateId"])
    wanted = {part.strip() for part in str(call.params["rowids"]).split("-") if part.strip()}
    action = str(call.params["action"]).lower()
    chosen = [entry for entry in template.entries if str(entry.rowid) in wanted]
    if action == "delete":
        template.entries = [entry for entry in template.entries if str(entry.rowid) not in wanted]
    else:
        for entry in chosen:
            entry.blocked = action == "block"
    return {}


def clear_template_entries(call: YemotCall) -> dict[str, Any]:
    template = find(call.require_system(), call.params["templateId"])
    template.entries = []
    return {}
