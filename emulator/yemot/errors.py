"""Yemot errors: one class per documented answer, each holding its exact wire message."""

from __future__ import annotations

from typing import Any

from emulator.core.http.errors import ApiError, ParamErrors

API_VERSION = 6
YAFAST_VERSION = "6.6.156"
JSON = "application/json; charset=utf-8"


class YemotError(ApiError):
    """An API-level refusal, sent with HTTP 200 and the Yemot envelope."""

    response_status = "ERROR"
    message_code: int | None = None
    media_type = JSON

    def __init__(self, message: str | None = None, *, code: int | None = None, **extra: Any) -> None:
        if code is not None:
            self.message_code = code
        self.extra = extra
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        """The ERROR / EXCEPTION / FORBIDDEN envelope, version fields last (an error may carry its own
        ``yAfastVersion``: SIP's "any")."""
        body: dict[str, Any] = {"responseStatus": self.response_status, "message": self.message}
        if self.message_code is not None:
            body["messageCode"] = self.message_code
        body.update(self.extra)
        body["yemotAPIVersion"] = API_VERSION
        body.setdefault("yAfastVersion", YAFAST_VERSION)
        return body


class InvalidToken(YemotError):
    response_status = "EXCEPTION"
    message = "IllegalStateException(session token is invalid)"


class SessionExpired(YemotError):
    response_status = "FORBIDDEN"
    message = "session is expired"


class LoginFailed(YemotError):
    response_status = "FORBIDDEN"
    message = "user name or password do not match"


class UnverifiedSession(YemotError):
    response_status = "EXCEPTION"
    message = "Unverified session"


class UnknownMethod(YemotError):
    def __init__(self, method: str) -> None:
        super().__init__(f"method '{method}' does not exist")


class UnsupportedVerb(YemotError):
    """A verb the method does not take: HTTP 405 (its ``Allow`` header comes from the verb table). The
    contract documents no 405, so strict mode does not check this answer."""

    status = 405
    checked = False

    def __init__(self, verb: str, allowed: tuple[str, ...] = ("GET", "POST")) -> None:
        super().__init__(f"HTTP method {verb} is not supported; use {' or '.join(allowed)}")


class MalformedBody(YemotError):
    message = "request body could not be parsed"


class RequestTooLarge(YemotError):
    """A body over the configured cap, answered with HTTP 413 before it is read."""

    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit} bytes")


class MissingParameter(YemotError):
    def __init__(self, name: str) -> None:
        super().__init__(f"missing required parameter '{name}'")


class InvalidParameter(YemotError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"invalid value for parameter '{name}': {detail}")


PARAM_ERRORS = ParamErrors(MissingParameter, InvalidParameter)


class NotImplementedInEmulator(YemotError):
    def __init__(self, method: str) -> None:
        super().__init__(f"method '{method}' is documented but not implemented by this emulator")


# -- tasks (decided by the emulator: the sources give no strings) --------------------------------


class TooManyActiveTasks(YemotError):
    message = "You can not have more than 10 active tasks"


class TaskNotFound(YemotError):
    message = "TaskId not found"


class TaskNeverRuns(YemotError):
    message = "The task has no future run time"


# -- SIP -------------------------------------------------------------------------------------------


class SipNotSupported(YemotError):
    """The documented answer of a server without SIP, ``yAfastVersion`` "any" included."""

    message = "שרת זה אינו תומך במערכת SIP"

    def __init__(self) -> None:
        super().__init__(yAfastVersion="any")


class SipAccountLimit(YemotError):
    message = "SIP account limit reached"


class SipExtensionTaken(YemotError):
    message = "extNumber is already in use"


class SipAccountNotFound(YemotError):
    message = "SIP account not found"


class BadAction(YemotError):
    response_status = "EXCEPTION"
    message = "bad action"


# -- files, queues, secondary numbers ----------------------------------------------------------------


class PathInvalid(YemotError):
    message = "path is invalid"
    message_code = 110


class PathRequired(YemotError):
    message = "path is required"
    message_code = 109


class SingleUploadOnly(YemotError):
    message = "Only single upload per request"
    message_code = 108


class ExtensionNotFound(YemotError):
    """GetIVR2Dir and friends on a folder that does not exist (clients match on the words)."""

    message = "extension does not exist"


class NotATextFile(YemotError):
    message = "file is not a text file"


class SettingInvalid(YemotError):
    def __init__(self, key: str) -> None:
        super().__init__(f"invalid value for setting '{key}'")


class MusicOnHoldNameInvalid(YemotError):
    message = "name is invalid"


class MusicOnHoldNotFound(YemotError):
    message = "music on hold does not exist"


class FileNotFound(YemotError):
    message = "file does not exist"


class TreeFull(YemotError):
    """A write past the system's storage quota or an upload past its size cap (UploadFile's 105)."""

    message = "System error"
    message_code = 105


class NotYmgrFile(YemotError):
    message = "file is not a ymgr file"


class QueueNotFound(YemotError):
    message = "queuePath is not a queue extension"


class SecondaryDidNotFound(YemotError):
    message = "secondaryDidId not found"


class UsageNotChangeable(YemotError):
    message = "The current usage can not be changed"


class BadUsage(YemotError):
    message = "newUsage must be sip:<account> or goto:/<path>"


# -- security (seed "security events" section; strings verbatim) ----------------------------------


class SendCodeMissingParameters(YemotError):
    response_status = "EXCEPTION"
    message = "Missing parameters"


class VerifyMissingParameters(YemotError):
    message = "Missing parameters"


class CreatePhoneNotValid(YemotError):
    response_status = "EXCEPTION"
    message = "createPhone is Not Valid. verification is disabled"


class AlreadyVerified(YemotError):
    message = "Token has already been verified"


class TooManyValidationCalls(YemotError):
    message = "Too many validation Calls. Try for a few more hours"


class SendCodeFirst(YemotError):
    message = "Please SendCode before"


class AuthenticationFailed(YemotError):
    message = "Authentication failed"


class UnknownUsername(YemotError):
    response_status = "EXCEPTION"
    message = "Unknown username"


class SessionIdNotNumber(YemotError):
    response_status = "EXCEPTION"
    message = "SessionId Can only be a number"


class SessionIdBroken(YemotError):
    message = "SSessionId is broken"


# -- units ledger ------------------------------------------------------------------------------------


class BadDestination(YemotError):
    message = "Bad destination"
    message_code = 111


class BadAmount(YemotError):
    message = "Bad amount"
    message_code = 112


class NotEnoughUnits(YemotError):
    """Any request that would overdraw the balance (TransferUnits' documented 113, reused)."""

    message = "Not enough balance"
    message_code = 113


# -- caller IDs, phone lists, SMS, tzintuk (decided strings) ------------------------------------------


class CallerIdNotApproved(YemotError):
    def __init__(self, caller_id: str) -> None:
        super().__init__(f"callerId {caller_id} is not approved in this system")


class CallerIdNotValid(YemotError):
    message = "callerId is not a valid phone number"


class ValidationRequestNotFound(YemotError):
    message = "reId not found"


class ValidationCodeWrong(YemotError):
    message = "code is incorrect"


class PhoneListError(YemotError):
    """A ``phones`` value the list expander cannot read; the message names the problem."""


class NoValidPhones(YemotError):
    message = "No valid phones"


class TzintukTimeOutTooLong(YemotError):
    message = "TzintukTimeOut max is 16 seconds"


class TzintukListNotFound(YemotError):
    def __init__(self, name: str) -> None:
        super().__init__(f"TzintukimList {name} not found")


class TzintukListRequired(YemotError):
    message = "TzintukimList is required"


# -- calls (SendTTS, SendFax, CreateBridgeCall, ViewCampaignReports) ---------------------------------


class FileUploadExpected(YemotError):
    """``pdfFile=UPLOAD`` without a ``fileToUpload`` part (UploadFile's documented 107, reused)."""

    message = "File upload expected"
    message_code = 107


class CallbackUrlInvalid(YemotError):
    """``reason`` completes the sentence: "must be an absolute http(s) URL", "must not point at ..."."""

    def __init__(self, name: str, reason: str = "must be an absolute http(s) URL") -> None:
        super().__init__(f"{name} {reason}")


class CampaignNotFound(YemotError):
    """The wording of the seed's task-log example for an unknown campaign."""

    message = "Campaign Id does Not found in customer"


# -- account, live calls, queues, MFA (decided strings: the sources give none) ------------------------


class WrongCurrentPassword(YemotError):
    message = "password is incorrect"


class WeakPassword(YemotError):
    message = "newPassword must be 4 to 30 characters, letters and digits only"


class MfaRequired(YemotError):
    """A Login session of a system that demands MFA, before the mfa.php step (yemot's MFARequiredError)."""

    response_status = "FORBIDDEN"
    message = "MFA_REQUIRED"


class MfaOnlyBeforePass(YemotError):
    message = "the this action allow only BEFORE pass"


class MfaMethodNotFound(YemotError):
    message = "mfaId not found"


class MfaTrustTokenNotFound(YemotError):
    message = "trustTokenId not found"


class LiveCallNotFound(YemotError):
    message = "Call not found"


class BadCallAction(YemotError):
    def __init__(self, action: str) -> None:
        super().__init__(f"action {action} is not supported")


class QueueAgentNotFound(YemotError):
    message = "agent is not a member of the queue"


class CallbackQueueNotFound(YemotError):
    message = "id not found"
