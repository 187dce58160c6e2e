"""Yemot errors: one class per documented answer, each holding its exact wire message."""

from __future__ import annotations

from typing import Any


class YemotError(Exception):
    """An API-level refusal, sent with HTTP 200 and the Yemot envelope."""

    response_status = "ERROR"
    message = "error"
    message_code: int | None = None
    http_status = 200

    def __init__(self, message: str | None = None, *, code: int | None = None, **extra: Any) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.message_code = code
        self.extra = extra
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"responseStatus": self.response_status, "message": self.message}
        if self.message_code is not None:
            body["messageCode"] = self.message_code
        body.update(self.extra)
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
    message = "Unverified session"


class UnknownMethod(YemotError):
    def __init__(self, method: str) -> None:
        super().__init__(f"method '{method}' does not exist")


class UnsupportedVerb(YemotError):
    http_status = 405

    def __init__(self, verb: str) -> None:
        super().__init__(f"HTTP method {verb} is not supported; use GET or POST")


class MalformedBody(YemotError):
    message = "request body could not be parsed"


class MissingParameter(YemotError):
    def __init__(self, name: str) -> None:
        super().__init__(f"missing required parameter '{name}'")


class InvalidParameter(YemotError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"invalid value for parameter '{name}': {detail}")


class NotImplementedInEmulator(YemotError):
    def __init__(self, method: str) -> None:
        super().__init__(f"method '{method}' is documented but not implemented by this emulator")
