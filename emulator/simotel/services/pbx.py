"""PBX record collections (users, trunks, queues, music on hold, announcements, voicemail boxes,
black/white lists, faxes), each declared once for the generic CRUD mechanism (reference §3.3-§3.10)."""

from __future__ import annotations

from typing import Any

from emulator.simotel import events
from emulator.simotel.context import SimotelCall
from emulator.simotel.errors import OperationFailed
from emulator.simotel.resources import Resource

NUMBER_EXISTS = "This number already exists"
MASK = "******"

USER_FIELDS = (
    "user_type", "active", "name", "number", "cid_number", "secret", "call_record", "push_notification",
    "deny", "permit", "dtmfmode", "canreinvite", "directmedia", "context", "host", "type", "nat", "port",
    "qualify", "callgroup", "pickupgroup", "callcounter", "faxdetect", "call_limit", "trunk", "transfer",
    "email", "forward_policy", "more_options", "description",
)  # fmt: skip
TRUNK_FIELDS = (
    "trunk_type", "name", "register_string", "active", "deny", "permit", "dtmfmode", "canreinvite",
    "directmedia", "context", "host", "type", "nat", "port", "qualify", "insecure", "disallow", "allow",
    "more_options", "description",
)  # fmt: skip
QUEUE_FIELDS = (
    "name", "number", "strategy", "ringinuse", "call_record", "setinterfacevar", "autofill", "setqueuevar",
    "setqueueentryvar", "persistentmembers", "shared_lastcall", "announce_holdtime", "announce_position",
    "joinempty", "leavewhenempty", "reportholdtime", "maxlen", "announce_frequency", "min_announce_frequency",
    "periodic_announce_frequency", "music", "queue_callswaiting", "queue_thankyou", "queue_thereare",
    "queue_youarenext", "retry", "servicelevel", "timeout", "weight", "wrapuptime", "monitor_type",
    "monitor_format", "more_options",
)  # fmt: skip
VOICEMAIL_FIELDS = (
    "name", "number", "password", "email", "required_password", "allow_change_password", "send_email",
    "attach_file_email", "play_busy", "play_unavailable", "play_welcome", "Play_CID", "Play_Envelope",
    "Delete_Voicemail", "more_options",
)  # fmt: skip
FAX_FIELDS = ("sender_id", "to", "ext", "trunk_name", "file", "text", "description")


def _user_view(call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    """A user as search shows it: ``secret`` masked, ``queues`` = numbers of queues it serves."""
    number = str(record.get("number", ""))
    queues = [
        str(queue.get("number", ""))
        for queue in call.state.collections.get("queues", [])
        if any(str(member.get("agent")) == number for member in queue.get("agents", []))
    ]
    out = dict(record)
    out.pop("trunk", None)
    out.pop("transfer", None)
    out.update(secret=MASK, queues=queues)
    out.setdefault("description", "")
    return out


def _users_search_filter(call: SimotelCall, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``status: mapped`` keeps the users who serve a queue; any other status keeps them all."""
    if call.params.get("status") != "mapped":
        return records
    return [record for record in records if _user_view(call, record)["queues"]]


def _user_events(name: str) -> Any:
    def hook(call: SimotelCall, record: dict[str, Any]) -> None:
        events.emit(call, name, {"exten": str(record.get("number", "")), "state": "Unavailable"})

    return hook


def _trunk_added(call: SimotelCall, record: dict[str, Any]) -> None:
    events.emit(
        call,
        "TrunkAdded",
        _trunk_state(call, record, "Unavailable"),
    )


def _trunk_state(call: SimotelCall, record: dict[str, Any], state: str) -> dict[str, Any]:
    """The fields TrunkAdded and TrunkNewState share; times are epoch seconds as in the documentation."""
    return {"state": state, "last_time": call.now, "trunk_name": record.get("name", ""),
            "trunk_type": record.get("trunk_type", "SIP"), "last_time_sec": 0, "date": call.now}  # fmt: skip


def _trunk_updated(call: SimotelCall, record: dict[str, Any]) -> None:
    """Switching a trunk's ``active`` on or off is a state change: ``TrunkNewState`` Ok / Deactivate."""
    if "active" in call.params:
        state = "Ok" if str(call.params["active"]).lower() == "yes" else "Deactivate"
        events.emit(call, "TrunkNewState", _trunk_state(call, record, state))


def _trunk_removed(call: SimotelCall, record: dict[str, Any]) -> None:
    events.emit(call, "TrunkRemoved", {"trunk_name": record.get("name", ""), "date": call.now})


def _queue_view(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "agents": [dict(member) for member in record.get("agents", [])]}


def _whitelist_view(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    """The documented example masks all but the first four digits: ``0912*******``."""
    number = str(record.get("number", ""))
    return {**record, "number": number[:4] + "*" * max(0, len(number) - 4), "labels": record.get("labels", [])}


def _fax_prepare(call: SimotelCall, values: dict[str, Any], old: dict[str, Any] | None) -> None:
    """A fax sends an uploaded ``file`` or a ``text``, not both; stored in the search shape."""
    from emulator.simotel.services import files

    has_file, has_text = bool(values.get("file")), bool(values.get("text"))
    if has_file == has_text or (has_file and files.find(call.state, str(values["file"])) is None):
        raise OperationFailed()
    trunk, ext = str(values.get("trunk_name", "")), str(values.get("ext", ""))
    values.update(
        type="outbox", src=str(values.get("sender_id", "")), dst=str(values.get("to", "")), status="SENDING",
        trunk=trunk, channel=f"SIP/{trunk}/{ext}" if trunk else f"SIP/{ext}",
    )  # fmt: skip
    values.setdefault("description", "")


def _fax_view(_call: SimotelCall, record: dict[str, Any]) -> dict[str, Any]:
    keys = ("_id", "type", "src", "dst", "status", "file", "description", "date", "ext", "trunk", "channel")
    return {key: record.get(key, "") for key in keys}


def _fax_sent(call: SimotelCall, record: dict[str, Any]) -> None:
    unique = f"{int(call.now)}.{call.emulator.telephony.new_call_number()}"  # never repeated (core/sim/ids)
    events.emit(
        call,
        "OutgoingFax",
        {"fax_id": record["_id"], "state": "SENDING", "unique_id": unique,
         "date": events.stamp(call), "info": {"FAXSTATUS": "", "FAXSTATUSSTRING": "", "FAXERROR": "",
                                              "REMOTESTATIONID": "", "FAXPAGES": "", "FAXBITRATE": "",
                                              "FAXRESOLUTION": "", "REASON": ""}},
    )  # fmt: skip


USERS = Resource(
    "pbx/users", "users", USER_FIELDS, required=("name", "number", "secret"), unique=("number",),
    duplicate=NUMBER_EXISTS, conditions=("name", "number", "mapped"), condition_fields={"mapped": "number"},
    identities={"number": "number"}, view=_user_view, keep=_users_search_filter,
    on_added=_user_events("ExtenAdded"), on_removed=_user_events("ExtenRemoved"),
)  # fmt: skip
TRUNKS = Resource(
    "pbx/trunks", "trunks", TRUNK_FIELDS, required=("name",), unique=("name",),
    duplicate="This trunk already exists", conditions=("name",), identities={"name": "name"},
    on_added=_trunk_added, on_updated=_trunk_updated, on_removed=_trunk_removed,
)  # fmt: skip
QUEUES = Resource(
    "pbx/queues", "queues", QUEUE_FIELDS, required=("name", "number"), unique=("name", "number"),
    duplicate="this queue already exists", conditions=("name", "number"),
    identities={"name": "name", "number": "number"}, view=_queue_view,
)  # fmt: skip
MUSIC_ON_HOLD = Resource("pbx/musiconholds", "musiconholds", (), conditions=("name",), actions=("search",))
ANNOUNCEMENTS = Resource(
    "pbx/announcements", "announcements", ("name", "filename", "comment"), required=("name", "filename"),
    unique=("name",), conditions=("name",), identities={"name": "name"},
)  # fmt: skip
VOICEMAILS = Resource(
    "voicemails/voicemails", "voicemails", VOICEMAIL_FIELDS, required=("name", "number", "password"),
    unique=("number",), duplicate=NUMBER_EXISTS, conditions=("name", "number"),
    identities={"number": "number", "extension": "number"},
)  # fmt: skip
BLACKLISTS = Resource(
    "pbx/blacklists", "blacklists", ("number", "comment"), required=("number",), unique=("number",),
    duplicate=NUMBER_EXISTS, conditions=("number",), identities={"number": "number"}, null_id=True,
)  # fmt: skip
WHITELISTS = Resource(
    "pbx/whitelists", "whitelists", ("number", "labels", "comment"), required=("number",), unique=("number",),
    duplicate=NUMBER_EXISTS, conditions=("number",), identities={"number": "number"}, null_id=True,
    view=_whitelist_view,
)  # fmt: skip
FAXES = Resource(
    "pbx/faxes", "faxes", FAX_FIELDS, conditions=("src", "dst", "status", "type"), paginated=True,
    actions=("add", "search"), prepare=_fax_prepare, view=_fax_view, on_added=_fax_sent,
)  # fmt: skip

RESOURCES = (USERS, TRUNKS, QUEUES, MUSIC_ON_HOLD, ANNOUNCEMENTS, VOICEMAILS, BLACKLISTS, WHITELISTS, FAXES)
