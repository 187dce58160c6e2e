"""What every Yemot answer must look like, apart from the contract: documented messages, typos included."""

from __future__ import annotations

from collections.abc import Mapping

from emulator.core.api import TargetAuth
from emulator.core.http.documented import MessageRule
from emulator.core.http.documented import rule as _rule

# Yemot: rules keyed on `responseStatus`; strings copied from the seed/reference, typos included.
YEMOT_AUTH_MESSAGES = {
    "IllegalStateException(session token is invalid)",
    "session is expired",
    "Unverified session",
    "SessionId Can only be a number",
    "SSessionId is broken",
}
RULES: tuple[MessageRule, ...] = (
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


def status_key(http_status: int, body: object) -> str:
    """What the rules key on: the answer's ``responseStatus``."""
    return str(body.get("responseStatus")) if isinstance(body, dict) else ""


DEFAULT_TOKEN = "0773137770:1234"  # the default fixture's first system


def _from_env(env: Mapping[str, str]) -> dict[str, str]:
    """``YEMOT_TOKEN``, else ``YEMOT_USERNAME`` + ``YEMOT_PASSWORD`` as ``user:password``."""
    token = env.get("YEMOT_TOKEN")
    if not token and env.get("YEMOT_USERNAME"):
        token = f"{env['YEMOT_USERNAME']}:{env.get('YEMOT_PASSWORD', '')}"
    return {"token": token or DEFAULT_TOKEN}


AUTH = TargetAuth(
    default={"token": DEFAULT_TOKEN},
    from_env=_from_env,
    apply=lambda credential: ({"token": credential["token"]}, {}),
)
