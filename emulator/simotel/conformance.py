"""What every Simotel answer must look like, apart from the contract: the fixed status table's messages."""

from __future__ import annotations

import base64

from emulator.core.api import TargetAuth
from emulator.core.http.documented import MessageRule
from emulator.core.http.documented import rule as _rule

# Simotel: rules keyed on the HTTP status (the fixed status table of the documentation).
SIMOTEL_UNAUTHORIZED = {"BasicAuth or ApiKey is missing", "BasicAuth or ApiKey is invalid"}
RULES: tuple[MessageRule, ...] = (
    _rule("400 is the parse error", {"400"}, None, {"Unable to parse content"}),
    _rule("401 is one of the two credential errors", {"401"}, None, SIMOTEL_UNAUTHORIZED),
    _rule("403 is the IP or permission refusal", {"403"}, None, {"IP is not permitted"}, r";Access denied$"),
    _rule("405 is the verb refusal", {"405"}, None, {"Method not allowed"}),
    _rule("415 is the media type refusal", {"415"}, None, {"Unsupported Media Type"}),
    _rule("501 is the unknown service", {"501"}, None, {"Requested service dose not exist"}),
    _rule(
        "field errors name the field",
        {"200"},
        r"^Field ",
        set(),
        r"^Field '[^']+':value is (missing|invalid)$",
    ),
)
SIMOTEL_NO_CREDENTIALS = (401, "BasicAuth or ApiKey is missing")
SIMOTEL_BAD_CREDENTIALS = (401, "BasicAuth or ApiKey is invalid")


# The default fixture's account: username, password, X-APIKEY.
DEFAULT = {"username": "test", "password": "Aa123456", "apikey": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"}
_ENV = {"username": "SIMOTEL_USERNAME", "password": "SIMOTEL_PASSWORD", "apikey": "SIMOTEL_APIKEY"}


def _headers(credential: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Basic auth when a username or password is given, ``X-APIKEY`` when a key is."""
    headers = {}
    if credential["username"] or credential["password"]:
        pair = f"{credential['username']}:{credential['password']}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    if credential["apikey"]:
        headers["X-APIKEY"] = credential["apikey"]
    return {}, headers


AUTH = TargetAuth(
    default=DEFAULT,
    from_env=lambda env: {name: env.get(variable, DEFAULT[name]) for name, variable in _ENV.items()},
    apply=_headers,
)
