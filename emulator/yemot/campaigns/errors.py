"""Refusals of the template and campaign methods (RunCampaign's and DeleteScheduledCampaign's codes;
the other strings are the emulator's own: the sources give none)."""

from __future__ import annotations

from emulator.yemot.errors import YemotError


class TemplateNotFound(YemotError):
    message = "templateId does not exist"
    message_code = 100


class CampaignNotSetUp(YemotError):
    """101: nothing to dial (empty list) or no message to play."""

    message = "campaign is not set up"
    message_code = 101


class CampaignNoValidPhones(YemotError):
    message = "No valid phones"
    message_code = 102


class CampaignNotEnoughUnits(YemotError):
    message = "Not enough balance"
    message_code = 103


class IsKodesh(YemotError):
    message = "isKodesh is true"
    message_code = 104


class CampaignCallerIdNotApproved(YemotError):
    message_code = 120

    def __init__(self, caller_id: str) -> None:
        super().__init__(f"callerId {caller_id} is not approved in this system")


class TemplateRowNotFound(YemotError):
    message = "rowid does not exist"


class DefaultTemplateUndeletable(YemotError):
    message = "the default template can not be deleted"


class BridgeToRequired(YemotError):
    message = "bridgeTo is required when yemotContext is BRIDGE"


class EntryPhoneInvalid(YemotError):
    message = "phone is not valid"


class CampaignNotActive(YemotError):
    message = "campaign is not active"


class ScheduleTimeInvalid(YemotError):
    message = "time is invalid"


class ScheduleTimePassed(YemotError):
    message = "time must be in the future"


class ScheduledCampaignNotFound(YemotError):
    message = "schedId not found"
    message_code = 105


class ScheduledCampaignAlreadyRan(YemotError):
    message = "scheduled campaign already ran"
    message_code = 106
