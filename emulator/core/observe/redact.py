"""Hide secrets before anything is journaled or logged.

Passwords, tokens, API keys and ``Authorization`` credentials are replaced by ``***`` followed by
their last two characters (for values longer than four characters), so two different secrets in a
journal or a log line can still be told apart without revealing either.

Public API (all pure functions, safe on any input):

- ``is_secret_name(name)``: whether a parameter / header / field name holds a secret;
- ``redact_value(value)``: ``"Aa123456"`` -> ``"***56"``;
- ``redact_authorization(header)``: ``"Basic dGVzdDpB..."`` -> ``"Basic ***Ng"`` (scheme kept);
- ``redact_mapping(mapping)``: a copy of parameters or headers with secret values redacted,
  recursing into nested objects and lists (bounded depth);
- ``redact_query(query)`` / ``redact_url(url)``: the same for a query string or a URL / request target;
- ``RedactingFilter``: a ``logging.Filter`` that redacts URLs and query strings in log records
  (installed on uvicorn's access log by the CLI).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "***"
_KEEP = 2
_SHORTEST_WITH_TAIL = 5
_MAX_DEPTH = 32

_SECRET_PARTS = ("password", "passwd", "secret", "token", "apikey", "authorization", "credential", "cookie")
_SECRET_NAMES = {"pass", "pwd", "pin", "auth", "sessionid"}


@lru_cache(maxsize=4096)
def _normalise(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@lru_cache(maxsize=4096)
def _is_secret(name: str) -> bool:
    flat = _normalise(name)
    return flat in _SECRET_NAMES or any(part in flat for part in _SECRET_PARTS)


def is_secret_name(name: Any) -> bool:
    """True for names such as ``password``, ``newPassword``, ``token``, ``X-APIKEY``, ``Authorization``.

    Every journaled request asks this of each of its parameter and answer field names, which repeat:
    the answers are cached."""
    if not isinstance(name, str):
        return False
    if len(name) > 256:  # hostile names are answered without filling the cache
        return _is_secret.__wrapped__(name)
    return _is_secret(name)


def redact_value(value: Any) -> Any:
    """``***`` plus the last two characters of ``value``; booleans and None pass unchanged."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: redact_value(item) for key, item in value.items()}
    text = value if isinstance(value, str) else str(value)
    if len(text) < _SHORTEST_WITH_TAIL:
        return MASK
    return MASK + text[-_KEEP:]


def redact_authorization(header: Any) -> Any:
    """Redact the credentials of an ``Authorization`` value, keeping its scheme (``Basic``, ``Bearer``)."""
    if not isinstance(header, str):
        return redact_value(header)
    scheme, space, credentials = header.strip().partition(" ")
    if not space:
        return redact_value(header)
    return f"{scheme} {redact_value(credentials.strip())}"


def redact_mapping(mapping: Mapping[Any, Any] | None, *, _depth: int = 0) -> dict[Any, Any]:
    """A copy of ``mapping`` (parameters, headers, a JSON object) with every secret value redacted."""
    if not mapping:
        return {}
    out: dict[Any, Any] = {}
    for name, value in mapping.items():
        if is_secret_name(name):
            flat = _normalise(name) if isinstance(name, str) else ""
            out[name] = redact_authorization(value) if flat.endswith("authorization") else _redact_secret(value, _depth)
        else:
            out[name] = _redact_nested(value, _depth)
    return out


def _redact_secret(value: Any, depth: int) -> Any:
    if isinstance(value, Mapping):
        return redact_mapping(value, _depth=depth + 1) if depth < _MAX_DEPTH else MASK
    return redact_value(value)


def _redact_nested(value: Any, depth: int) -> Any:
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return redact_mapping(value, _depth=depth + 1)
    if isinstance(value, list | tuple):
        return [_redact_nested(item, depth + 1) for item in value]
    return value


def redact_query(query: str) -> str:
    """``token=123:abcd&x=1`` -> ``token=***cd&x=1``; unparsable pieces are kept as they were."""
    if not query or "=" not in query:
        return query
    pieces = []
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        decoded = parse_qsl(piece, keep_blank_values=True)
        if equals and decoded and is_secret_name(decoded[0][0]):
            secret = decoded[0][1]
            pieces.append(f"{name}={quote(str(redact_value(secret)), safe='*')}" if secret else piece)
        else:
            pieces.append(piece)
    return "&".join(pieces)


def redact_url(url: str) -> str:
    """A URL or request target (``/ym/api/X?token=...``) with secret query values and userinfo redacted."""
    if not isinstance(url, str) or ("?" not in url and "@" not in url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{hostport}" if colon else f"{MASK}@{hostport}"
    return urlunsplit((parts.scheme, netloc, parts.path, redact_query(parts.query), parts.fragment))


class RedactingFilter(logging.Filter):
    """Redact every string argument of a log record that looks like a URL or request target."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args:
            record.args = tuple(redact_url(arg) if isinstance(arg, str) else arg for arg in args)
        elif isinstance(args, Mapping) and args:
            record.args = {key: redact_url(arg) if isinstance(arg, str) else arg for key, arg in args.items()}
        if isinstance(record.msg, str) and "?" in record.msg and not record.args:
            record.msg = " ".join(redact_url(word) for word in record.msg.split(" "))
        return True
