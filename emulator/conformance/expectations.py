"""What every answer of each API must look like, as data: envelopes and documented error strings.

Each API declares its own (``ApiSpec.conformance``, from ``emulator/<api>/conformance.py``); the
tables repeat the seed documents on purpose: they are checked independently of the contracts, so an
accidental edit of a contract's message enum still fails a check.
"""

from __future__ import annotations

from emulator import apis
from emulator.core.api import Conformance
from emulator.core.http.documented import MessageRule

__all__ = ["API_PREFIXES", "MessageRule", "api_of_path", "envelope_problems", "message_problems", "status_key"]

API_PREFIXES = {spec.name: spec.prefix for spec in apis.registered() if spec.conformance is not None}


def _conformance(api: str) -> Conformance:
    conformance = apis.named(api).conformance
    assert conformance is not None, f"{api} declares no conformance expectations"
    return conformance


def api_of_path(path: str) -> str | None:
    """The name of the API a request path is for, else None."""
    for spec in apis.registered():
        if spec.conformance is not None and path.startswith(spec.prefix + "/"):
            return spec.name
    return None


def status_key(api: str, http_status: int, body: object) -> str:
    """What the API's rules key on (Yemot's ``responseStatus``, Simotel's HTTP status)."""
    return _conformance(api).status_key(http_status, body)


def message_problems(api: str, http_status: int, body: object) -> list[str]:
    """Every documented-message rule this answer breaks."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return []
    conformance = _conformance(api)
    status, message = conformance.status_key(http_status, body), body["message"]
    return [
        f"{rule.name}: got {message!r}"
        for rule in conformance.rules
        if rule.applies(status, message) and not rule.accepts(message)
    ]


def envelope_problems(api: str, body: object) -> list[str]:
    """Missing envelope fields of a JSON answer."""
    if not isinstance(body, dict):
        return [f"answer is {type(body).__name__}, not an object envelope"]
    return [f"envelope field {name!r} is missing" for name in _conformance(api).envelope if name not in body]
