"""Simotel errors: each fixes the HTTP status and exact message of a row of the seed's table."""

from __future__ import annotations

from typing import Any

from emulator.core.http.errors import ApiError, ParamErrors


class SimotelError(ApiError):
    """An answer with ``success: 0``; ``status`` is the HTTP status it travels with."""

    message = "Requested operation failed"

    def body(self) -> Any:
        return {"success": 0, "message": self.message, "data": None}


class OperationFailed(SimotelError):
    pass


class MissingField(SimotelError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Field '{name}':value is missing")


class InvalidField(SimotelError):
    def __init__(self, name: str, detail: str = "") -> None:
        """(``detail``, what the schema says is wrong, is not part of the seed's message.)"""
        super().__init__(f"Field '{name}':value is invalid")


PARAM_ERRORS = ParamErrors(MissingField, InvalidField)


class UnparsableContent(SimotelError):
    status = 400
    message = "Unable to parse content"


class RequestTooLarge(SimotelError):
    """A body over the configured cap, answered before it is read."""

    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body is larger than {limit} bytes")


class CredentialsMissing(SimotelError):
    status = 401
    message = "BasicAuth or ApiKey is missing"


class CredentialsInvalid(SimotelError):
    status = 401
    message = "BasicAuth or ApiKey is invalid"


class AccessDenied(SimotelError):
    status = 403

    def __init__(self, service: str) -> None:
        super().__init__(f'"{service}";Access denied')


class IpNotPermitted(SimotelError):
    status = 403
    message = "IP is not permitted"


class MethodNotAllowed(SimotelError):
    """A verb no service takes (its ``Allow`` header comes from the verb table)."""

    status = 405
    message = "Method not allowed"

    def __init__(self, verb: str = "", allowed: tuple[str, ...] = ()) -> None:
        super().__init__()  # (the seed's message names neither the verb nor the allowed ones)


class UnsupportedMediaType(SimotelError):
    status = 415
    message = "Unsupported Media Type"


class ServiceDoesNotExist(SimotelError):
    status = 501
    message = "Requested service dose not exist"


class FileNotFound(SimotelError):
    """A download of a file that does not exist: a plain 404 without the envelope (seed's table)."""

    status = 404
    message = "Not Found"
    media_type = "text/plain"

    def body(self) -> Any:
        return b""
