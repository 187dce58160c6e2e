"""Account settings: SetPassword, SetCustomerDetails, PirsumPhoneManagement and the caller-ID checks."""

from __future__ import annotations

import re
from typing import Any

from emulator.core.sim import phones as phone_rules
from emulator.yemot.actions import by_action
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import BadAction, WeakPassword, WrongCurrentPassword
from emulator.yemot.services import caller_ids

_PASSWORD = re.compile(r"[A-Za-z0-9]{4,30}")
# parameter -> YemotSystem field
CUSTOMER_FIELDS = {
    "name": "name",
    "email": "email",
    "organization": "organization",
    "contactName": "contact_name",
    "phones": "phones",
    "invoiceName": "invoice_name",
    "invoiceAddress": "invoice_address",
    "fax": "fax",
    "accessPassword": "access_password",
    "recordPassword": "record_password",
}


def set_password(call: YemotCall) -> dict[str, Any]:
    """SetPassword: ``password`` must be the current admin password; open sessions stay open."""
    system = call.require_system()
    if str(call.params["password"]) != system.password:
        raise WrongCurrentPassword()
    new = str(call.params["newPassword"])
    if not _PASSWORD.fullmatch(new):
        raise WeakPassword()
    system.password = new
    return {}


def set_customer_details(call: YemotCall) -> dict[str, Any]:
    """SetCustomerDetails: every field sent replaces the stored one; fields not sent keep their value."""
    system = call.require_system()
    for param, attribute in CUSTOMER_FIELDS.items():
        if param in call.params:
            setattr(system, attribute, str(call.params[param]))
    return {}


def _registration_status(call: YemotCall) -> dict[str, Any]:
    return {"registrationStatus": call.require_system().pirsum_phone_status}


def _register(status: bool) -> Any:
    def handler(call: YemotCall) -> dict[str, Any]:
        call.require_system().pirsum_phone_status = status
        return {"results": "OK"}

    return handler


pirsum_phone_management = by_action(
    {
        "GetRegistrationStatus": _registration_status,
        "Registration": _register(True),
        "UnRegistration": _register(False),
    },
    BadAction,
)


def get_approved_caller_ids(call: YemotCall) -> dict[str, Any]:
    """The numbers the system may send from: main, sub-numbers and approved caller IDs still in their year."""
    system = call.require_system()
    return {
        "call": {
            "mainDid": system.number,
            "secondaryDids": [did.did for did in system.secondary_dids],
            "callerIds": [entry.caller_id for entry in caller_ids.approved(system, call.now)],
        },
        "sms": {"smsId": None, "allowText": False},
    }


def is_caller_id_approved(call: YemotCall) -> dict[str, Any]:
    """Whether ``callerId`` may be used; ``reason`` names the rule that decided."""
    system = call.require_system()
    parsed = _parse(str(call.params["callerId"]))
    if not phone_rules.is_valid(parsed, "yemot"):
        reason, approved = "INVALID_NUMBER", False
    elif parsed == system.number:
        reason, approved = "MAIN_DID", True
    elif parsed in caller_ids.own_numbers(system):
        reason, approved = "SECONDARY_DID", True
    elif caller_ids.is_allowed(system, parsed, call.now):
        reason, approved = "APPROVED_CALLER_ID", True
    else:
        reason, approved = "NOT_APPROVED", False
    return {"parsedCallerId": parsed, "isApproved": approved, "reason": reason}


def _parse(text: str) -> str:
    """Digits only, ``+972`` / ``972`` turned into the local leading 0."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("972"):
        digits = "0" + digits[3:]
    return digits
