"""Account and session methods: Login, Logout, GetSession, GetCustomerData."""

from __future__ import annotations

from typing import Any

from emulator.yemot.auth import check_password
from emulator.yemot.context import YemotCall
from emulator.yemot.state import Session
from emulator.yemot.timefmt import date_text, datetime_text


def login(call: YemotCall) -> dict[str, Any]:
    system = check_password(call, str(call.params["username"]), str(call.params["password"]), log_success=True)
    token = call.emulator.token(16)
    while call.state.find_session(token) is not None:
        token = call.emulator.token(16)
    system.sessions[token] = Session(token=token, created=call.now, last_request=call.now, remote_ip=call.client_ip)
    return {"token": token}


def logout(call: YemotCall) -> dict[str, Any]:
    if call.session is not None:
        call.session.active = False
    return {}


def _details(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {
        "name": system.name,
        "unitsExpireDate": system.units_expire_date,
        "email": system.email,
        "organization": system.organization,
        "contactName": system.contact_name,
        "phones": system.phones,
        "invoiceName": system.invoice_name,
        "invoiceAddress": system.invoice_address,
        "fax": system.fax,
        "accessPassword": system.access_password,
        "units": float(system.units),
        "recordPassword": system.record_password,
    }


def get_session(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {**_details(call), "creditFile": system.reseller_credit_file, "username": system.number}


def get_customer_data(call: YemotCall) -> dict[str, Any]:
    system = call.require_system()
    return {
        "mainDid": system.number,
        "secondary_dids": [{"id": d.id, "did": d.did, "usage": d.usage} for d in system.secondary_dids],
        "callerIds": [
            {"callerId": c.caller_id, "expiryDate": datetime_text(c.expires)}
            for c in system.caller_ids
            if c.expires > call.now
        ],
        **_details(call),
        "expiredUnits": system.units_expire_date < date_text(call.now),
        "resellerCreditFile": system.reseller_credit_file,
        "systemSite": system.system_site,
        "pirsumPhoneStatus": system.pirsum_phone_status,
        "ivrType": system.ivr_type,
        "smsUnits": float(system.sms_units),
        "smsUnitsExpireDate": system.sms_units_expire_date,
    }
