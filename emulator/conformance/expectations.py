"""What every answer of each API must look like, as data: envelopes and documented error strings.

These tables repeat the seed documents on purpose: they are checked independently of the
contracts, so an accidental edit of a contract's message enum still fails a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

API_PREFIXES = {"yemot": "/ym/api", "simotel": "/api/v4"}

# Fields every JSON answer of the API carries (the envelope).
ENVELOPES: dict[str, tuple[str, ...]] = {
    "yemot": ("responseStatus",),
    "simotel": ("success", "message", "data"),
}


@dataclass(frozen=True)
class MessageRule:
    """When ``applies`` holds for an answer, its message must be one of ``allowed`` (or match ``pattern``)."""

    name: str
    # Yemot: responseStatus values; Simotel: HTTP statuses (as strings). Empty means any.
    when_status: frozenset[str]
    # Only answers whose message matches this regex are concerned (None: every answer).
    trigger: re.Pattern[str] | None
    allowed: frozenset[str] = field(default_factory=frozenset)
    pattern: re.Pattern[str] | None = None

    def applies(self, status: str, message: str) -> bool:
        if self.when_status and status not in self.when_status:
            return False
        return self.trigger is None or bool(self.trigger.search(message))

    def accepts(self, message: str) -> bool:
        return message in self.allowed or bool(self.pattern and self.pattern.search(message))


def _rule(
    name: str, statuses: set[str], trigger: str | None, allowed: set[str], pattern: str | None = None
) -> MessageRule:
    return MessageRule(
        name=name,
        when_status=frozenset(statuses),
        trigger=re.compile(trigger, re.IGNORECASE) if trigger else None,
        allowed=frozenset(allowed),
        pattern=re.compile(pattern) if pattern else None,
    )


# Yemot: rules keyed on `responseStatus`; strings copied from the seed/reference, typos included.
YEMOT_AUTH_MESSAGES = {
    "IllegalStateException(session token is invalid)",
    "session is expired",
    "Unverified session",
    "SessionId Can only be a number",
    "SSessionId is broken",
}
YEMOT_RULES: tuple[MessageRule, ...] = (
    _rule("token errors are the documented ones", {"EXCEPTION", "FORBIDDEN"}, r"token|session", YEMOT_AUTH_MESSAGES),
    _rule(
        "bad credentials are the documented FORBIDDEN",
        {"FORBIDDEN"},
        r"password",
        {"user name or password do not match"},
    ),
)
# The exact answer to a secured method called without a valid token.
YEMOT_NO_TOKEN = ("EXCEPTION", "IllegalStateException(session token is invalid)")

# Simotel: rules keyed on the HTTP status (the fixed status table of the documentation).
SIMOTEL_UNAUTHORIZED = {"BasicAuth or ApiKey is missing", "BasicAuth or ApiKey is invalid"}
SIMOTEL_RULES: tuple[MessageRule, ...] = (
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

RULES: dict[str, tuple[MessageRule, ...]] = {"yemot": YEMOT_RULES, "simotel": SIMOTEL_RULES}


def api_of_path(path: str) -> str | None:
    """``yemot`` or ``simotel`` from a request path, else None."""
    for api, prefix in API_PREFIXES.items():
        if path.startswith(prefix + "/"):
            return api
    return None


def status_key(api: str, http_status: int, body: object) -> str:
    """What the rules key on: Yemot's ``responseStatus``, Simotel's HTTP status."""
    if api == "yemot":
        return str(body.get("responseStatus")) if isinstance(body, dict) else ""
    return str(http_status)


def message_problems(api: str, http_status: int, body: object) -> list[str]:
    """Every documented-message rule this answer breaks."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return []
    status, message = status_key(api, http_status, body), body["message"]
    return [
        f"{rule.name}: got {message!r}"
        for rule in RULES[api]
        if rule.applies(status, message) and not rule.accepts(message)
    ]


def envelope_problems(api: str, body: object) -> list[str]:
    """Missing envelope fields of a JSON answer."""
    if not isinstance(body, dict):
        return [f"answer is {type(body).__name__}, not an object envelope"]
    return [f"envelope field {name!r} is missing" for name in ENVELOPES[api] if name not in body]
