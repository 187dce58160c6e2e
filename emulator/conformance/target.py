"""Where generated requests go: a fresh in-process emulator (default) or any server by URL.

Credentials for a real server come from the environment as each API's ``Conformance.auth`` reads it
(Yemot: ``YEMOT_TOKEN`` or ``YEMOT_USERNAME`` + ``YEMOT_PASSWORD``; Simotel: ``SIMOTEL_USERNAME`` /
``SIMOTEL_PASSWORD`` / ``SIMOTEL_APIKEY``); the defaults are the emulator's default fixture accounts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from emulator import apis
from emulator.conformance.contract import OperationInfo
from emulator.conformance.safety import SafetyPolicy
from emulator.core.api import TargetAuth

TARGET_URL_ENV = "CONTRACT_TARGET_URL"
IN_PROCESS_BASE = "http://testserver"


def _auths() -> dict[str, TargetAuth]:
    """Each registered API's way to authenticate (``Conformance.auth``), by name."""
    return {
        spec.name: spec.conformance.auth
        for spec in apis.registered()
        if spec.conformance is not None and spec.conformance.auth is not None
    }


@dataclass(frozen=True)
class Credentials:
    """What authenticates generated requests on each API: one credential (named strings) per API,
    the default fixture's unless taken from the environment (``from_env``)."""

    by_api: Mapping[str, dict[str, str]] = field(
        default_factory=lambda: {name: dict(auth.default) for name, auth in _auths().items()}
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        return cls({name: auth.from_env(env) for name, auth in _auths().items()})

    def of(self, api: str) -> dict[str, str]:
        """API ``api``'s credential (empty for an API that takes none)."""
        return self.by_api.get(api, {})

    @property
    def yemot_token(self) -> str:
        """The Yemot credential's ``number:password`` token (the stateful suite logs in with it)."""
        return self.of("yemot").get("token", "")

    def for_request(self, api: str) -> tuple[dict[str, str], dict[str, str]]:
        """``(query params, headers)`` that authenticate a request on ``api``."""
        auth = _auths().get(api)
        return auth.apply(self.of(api)) if auth is not None else ({}, {})


class LoopbackClient:
    """ASGI wrapper presenting in-process test requests as coming from 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope = {**scope, "client": ("127.0.0.1", 50000)}
        await self.app(scope, receive, send)


@dataclass
class Connection:
    """One session against one target: an HTTP session, its base URL, and (in-process) the app."""

    base_url: str
    session: Any
    credentials: Credentials
    safety: SafetyPolicy
    app: Any = None
    sent: int = field(default=0)

    @property
    def runtime(self) -> Any:
        """The in-process ``Emulator`` (None for a real server)."""
        return self.app.state.emulator if self.app is not None else None

    def send(self, case: Any, operation: OperationInfo, *, authenticate: bool = True) -> Any:
        """Send a generated case (money-safety applied first); return the response.

        With ``authenticate`` the target's credentials replace whatever credentials were generated;
        a Yemot token already in the query is kept when ``authenticate`` is ``"keep-token"``.
        """
        explode_form_objects(case, operation)
        self.safety.prepare(case, operation)
        if authenticate and operation.secured:
            params, headers = self.credentials.for_request(operation.api)
            if params:
                query = dict(case.query or {})
                if authenticate != "keep-token" or "token" not in query:
                    query.update(params)
                case.query = query
            if headers:
                case.headers = {**(case.headers or {}), **headers}
        self.sent += 1
        return case.call(base_url=self.base_url, session=self.session)

    def request(self, method: str, path: str, **options: Any) -> Any:
        """A raw request to the target (``path`` from the server root)."""
        return self.session.request(method, self.base_url + path, **options)

    def close(self) -> None:
        self.session.close()


@dataclass(frozen=True)
class Target:
    """A target server: ``url`` None means a fresh in-process emulator per connection."""

    url: str | None = None
    credentials: Credentials = field(default_factory=Credentials)
    allowed_operations: frozenset[str] = frozenset()
    allowed_phones: tuple[str, ...] = ()
    strict: bool = True

    @classmethod
    def from_options(
        cls,
        url: str | None,
        allowed_operations: list[str] | None = None,
        allowed_phones: list[str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Target:
        env = os.environ if environ is None else environ
        url = url or env.get(TARGET_URL_ENV) or None
        return cls(
            url=url.rstrip("/") if url else None,
            credentials=Credentials.from_env(env) if url else Credentials(),
            allowed_operations=frozenset(allowed_operations or ()),
            allowed_phones=tuple(allowed_phones or ()),
        )

    @property
    def is_emulator(self) -> bool:
        return self.url is None

    @property
    def name(self) -> str:
        return self.url or "the in-process emulator"

    @property
    def safety(self) -> SafetyPolicy:
        return SafetyPolicy(
            real_target=not self.is_emulator,
            allowed_operations=self.allowed_operations,
            allowed_phones=self.allowed_phones,
        )

    def connect(self, app: Any = None) -> Connection:
        """A new session; in-process, around ``app`` or a freshly built emulator."""
        if self.url is not None:
            import requests

            return Connection(self.url, requests.Session(), self.credentials, self.safety)
        from schemathesis.python import asgi

        if app is None:
            app = fresh_app(strict=self.strict)
        return Connection(IN_PROCESS_BASE, asgi.get_client(LoopbackClient(app)), self.credentials, self.safety, app)


def explode_form_objects(case: Any, operation: OperationInfo) -> None:
    """Send an exploded form object parameter as top-level query keys, as OpenAPI defines it.

    schemathesis 4 sends ``params`` either as one key or as ``params[name]`` keys; a server then
    sees none of the declared fields. ``params={"TaskId": 1}`` and ``params[TaskId]=1`` become ``TaskId=1``.
    """
    if not operation.exploded_query or not isinstance(case.query, dict):
        return
    query: dict[str, Any] = {}
    for key, value in case.query.items():
        for name in operation.exploded_query:
            if key == name and isinstance(value, dict):
                query.update(value)
                break
            if key.startswith(name + "[") and "]" in key:
                inner, _, rest = key[len(name) + 1 :].partition("]")
                query[inner + rest] = value
                break
        else:
            query[key] = value
    case.query = query


def fresh_app(**settings: Any) -> Any:
    """A new emulator app with the default fixture (strict unless told otherwise)."""
    from emulator.app import create_app
    from emulator.config import EmulatorConfig

    settings.setdefault("strict", True)
    settings.setdefault("allowed_hosts", (urlsplit(IN_PROCESS_BASE).hostname,))  # the name its client uses
    return create_app(EmulatorConfig.from_env({}, **settings))
