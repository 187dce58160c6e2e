"""Ways to run the emulator for tests: in-process clients, or uvicorn on a free loopback port.

Every client handed out here is a plain ``httpx.Client``: ``pytest.raises(httpx.HTTPStatusError)``
and the rest of httpx behave as in production code, whether the emulator runs in-process (over
an ASGI transport) or behind a socket.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx

from emulator import apis
from emulator.app import create_app, uvicorn_settings
from emulator.config import EmulatorConfig
from emulator.runtime import Emulator

TEST_CLIENT_ADDRESS = ("127.0.0.1", 50000)
IN_PROCESS_HOST = "emulator.test"


class ControlPlane:
    """Helpers over the ``/__emulator__`` mount; subclasses provide ``self.control_client`` (httpx)."""

    control_client: Any

    def control(self, method: str, path: str, **options: Any) -> Any:
        """Call the control plane and return its JSON, failing on any non-2xx answer."""
        response = self.control_client.request(method, path, **options)
        if response.status_code >= 300:
            raise AssertionError(f"control call {method} {path} failed: {response.status_code} {response.text}")
        return response.json()

    def reset(self) -> None:
        self.control("POST", "reset")

    def load_fixture(self, text: str) -> None:
        """Make a fixture (YAML or JSON text) the reset target and reset to it."""
        self.control("POST", "fixtures", content=text.encode("utf-8"), headers={"Content-Type": "application/yaml"})

    def restore_start_fixture(self) -> None:
        """Make the fixture the server started with the reset target again, and reset to it."""
        self.control("DELETE", "fixtures")

    def state(self) -> dict[str, Any]:
        """The whole world as JSON: systems, accounts, records, calls, the clock."""
        return self.control("GET", "state")

    def clock(self) -> dict[str, Any]:
        return self.control("GET", "clock")

    def freeze(self, at: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"freeze": True}
        if at is not None:
            body["set"] = at
        return self.control("POST", "clock", json=body)

    def advance(self, seconds: float) -> dict[str, Any]:
        return self.control("POST", "clock", json={"advance": seconds})

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first; filters ``api``, ``operation``, ``tenant``, ``since`` and
        ``params`` (a dict every entry must contain: ``params={"phones": "0501234567"}``)."""
        query = {name: json.dumps(value) if isinstance(value, dict) else value for name, value in filters.items()}
        return self.control("GET", "journal", params=query)["entries"]

    def verify(self, operation: str | None = None, **expectation: Any) -> int:
        """Check the journal: ``verify("SendSms", params={...}, count=1)``; answers the match count.

        Fields: ``api``, ``tenant``, ``since``, ``params`` (subset), and ``count`` or ``at_least`` /
        ``at_most`` (default at least one). A failed expectation raises AssertionError listing the
        near misses - the closest entries and exactly which fields differed.
        """
        body = {"operation": operation, **expectation}
        body = {name: value for name, value in body.items() if value is not None}
        response = self.control_client.request("POST", "journal/verify", json=body)
        if response.status_code == 409:
            raise AssertionError(describe_failed_verification(body, response.json()))
        if response.status_code >= 300:
            raise AssertionError(f"journal verify failed: {response.status_code} {response.text}")
        return response.json()["matched"]

    def assert_called(
        self, operation: str, params: dict[str, Any] | None = None, *, times: int | None = None, **fields: Any
    ) -> int:
        """Assert ``operation`` was served (``times`` times exactly, if given) with ``params`` among its
        parameters: ``assert_called("SendSms", {"phones": "0501234567"}, times=1)``."""
        return self.verify(operation, params=params, count=times, **fields)

    def outbox(self) -> list[dict[str, Any]]:
        return self.control("GET", "outbox")["deliveries"]

    def fault(self, **spec: Any) -> dict[str, Any]:
        return self.control("POST", "faults", json=spec)

    def phones(self, number: str) -> dict[str, Any]:
        """The handset inbox of ``number``: calls and SMS it received, its rule and plans."""
        return self.control("GET", f"phones/{number}")

    def set_phone(self, number: str, **rule: Any) -> dict[str, Any]:
        """Override a number: ``set_phone("0501234567", outcome="busy", ring_s=2, talk_s=40)``."""
        return self.control("PUT", f"phones/{number}", json=rule)

    def clear_phone(self, number: str) -> dict[str, Any]:
        """Drop a number's override; it behaves by the magic-number table again."""
        return self.control("DELETE", f"phones/{number}")

    def calls(self, **filters: str) -> list[dict[str, Any]]:
        """Simulated calls, oldest first; filters ``api``, ``tenant``, ``campaign``, ``kind``, ``to``..."""
        return self.control("GET", "calls", params=filters)["calls"]

    def messages(self, **filters: str) -> list[dict[str, Any]]:
        """Simulated SMS, oldest first; filters ``api``, ``tenant``, ``campaign``, ``to``..."""
        return self.control("GET", "messages", params=filters)["messages"]

    def simotel_account(self, username: str, **fields: Any) -> dict[str, Any]:
        """Create or change a Simotel API account: ``password``, ``token``, ``auth_mode``, ``enabled``,
        ``permissions``, ``strict``."""
        return self.control("PUT", f"simotel/accounts/{username}", json=fields)

    def simotel_settings(self, **fields: Any) -> dict[str, Any]:
        """Change Simotel API settings: ``allow_all_ips``, ``allowed_ips``, ``strict``, ``webhook``."""
        return self.control("PUT", "simotel/settings", json=fields)

    def wait_for_outbox(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait (real time) until no delivery is pending; deliveries are real HTTP."""
        deadline = time.monotonic() + timeout
        while True:
            deliveries = self.outbox()
            if all(d["state"] != "pending" for d in deliveries) or time.monotonic() > deadline:
                return deliveries
            time.sleep(0.02)


class PortalTransport(httpx.BaseTransport):
    """A synchronous httpx transport that runs an ASGI app on an anyio blocking portal's loop."""

    def __init__(self, app: Any, portal: Any, client: tuple[str, int]) -> None:
        self._inner = httpx.ASGITransport(app=app, client=client)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # a sync body becomes bytes the async side can stream

        async def send() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            response = await self._inner.handle_async_request(request)
            return response.status_code, response.headers.raw, await response.aread()

        status, headers, content = self._portal.call(send)
        return httpx.Response(status, headers=headers, content=content, request=request)


def describe_failed_verification(expected: dict[str, Any], answer: dict[str, Any]) -> str:
    """The AssertionError text of a failed verification: what was wanted, found, and the near misses."""
    wanted = ", ".join(f"{name}={value!r}" for name, value in expected.items())
    lines = [f"journal verification failed: wanted {answer['expected']} matching {wanted}; matched {answer['matched']}"]
    misses = answer.get("near_misses", [])
    if not misses:
        lines.append("no near misses: nothing similar was served")
    for miss in misses:
        lines.append(f"near miss #{miss['id']} {miss['api']} {miss['operation']} (status {miss['status']}):")
        for difference in miss["differences"]:
            actual = "missing" if difference.get("missing") else repr(difference["actual"])
            lines.append(f"    {difference['field']}: expected {difference['expected']!r}, got {actual}")
    return "\n".join(lines)


class InProcessEmulator(ControlPlane):
    """An emulator app with one ``httpx.Client`` per API and helpers for the control plane.

    Each served API's name (``yemot``, ``simotel``) and ``admin`` are httpx clients whose base URLs
    are the mounts; an API's client already logs in as its first default credential where the API
    takes credentials per client (``ApiSpec.client_options``: Simotel's Basic auth and ``X-APIKEY``).
    ``runtime`` is the emulator object itself, for assertions on state.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        from starlette.testclient import TestClient  # runs the app's lifespan on its own event loop

        # the control plane answers only this server's own names: add the one these clients use
        self.app = create_app(replace(config, allowed_hosts=(*config.allowed_hosts, IN_PROCESS_HOST)))
        self.runtime: Emulator = self.app.state.emulator
        self._stack = contextlib.ExitStack()
        lifespan = self._stack.enter_context(TestClient(self.app, base_url=f"http://{IN_PROCESS_HOST}"))
        self._transport = PortalTransport(self.app, lifespan.portal, TEST_CLIENT_ADDRESS)
        for name, credentials in self.runtime.default_credentials(limit=1).items():
            spec = apis.named(name)
            setattr(
                self, name, self._client(spec.prefix, **(spec.client_options(credentials[0]) if credentials else {}))
            )
        self.admin = self.control_client = self._client(apis.ADMIN_PREFIX)

    def _client(self, prefix: str, **options: Any) -> httpx.Client:
        client = httpx.Client(
            base_url=f"http://{IN_PROCESS_HOST}{prefix}/",
            transport=self._transport,
            **{key: value for key, value in options.items() if value is not None},
        )
        return self._stack.enter_context(client)

    @property
    def yemot_token(self) -> str:
        """``number:password`` of the first fixture system."""
        system = next(iter(self.runtime.world.yemot.systems.values()))
        return f"{system.number}:{system.password}"

    def close(self) -> None:
        self._stack.close()


class RemoteControlPlane(ControlPlane):
    """The control-plane helpers over a real socket, for a server started elsewhere."""

    def __init__(self, admin_url: str, admin_token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else None
        self.control_client = httpx.Client(base_url=admin_url, timeout=10, headers=headers)

    def close(self) -> None:
        self.control_client.close()


@dataclass(frozen=True)
class ServerUrls:
    """The base URL and the mounts of a served emulator: ``mounts`` by API name and ``admin``; each
    is an attribute too (``urls.yemot``)."""

    base: str
    mounts: dict[str, str]

    @classmethod
    def of(cls, base: str) -> ServerUrls:
        """The mounts of the emulator at ``base`` (``http://host:port``)."""
        base = base.rstrip("/")
        return cls(base, {name: f"{base}{prefix}/" for name, prefix in apis.prefixes().items()})

    def __getattr__(self, name: str) -> str:
        mounts = self.__dict__.get("mounts", {})
        if name in mounts:
            return mounts[name]
        raise AttributeError(name)


class EmulatorServer(RemoteControlPlane):
    """A served emulator (own thread, or any URL): base URLs, credentials and control-plane helpers.

    ``base``, ``yemot``, ``simotel`` and ``admin`` are URL strings (``yemot`` ends in ``/ym/api/``);
    ``client("yemot")`` / ``client("simotel")`` are ready ``httpx.Client``s (Simotel's with the
    first account's Basic auth and ``X-APIKEY``), closed with the server helper.
    """

    def __init__(self, base_url: str, admin_token: str | None = None) -> None:
        self.urls = ServerUrls.of(base_url)
        self.base = self.urls.base
        for name, url in self.urls.mounts.items():  # ``yemot``, ``simotel``, ``admin``: URL strings
            setattr(self, name, url)
        super().__init__(self.urls.admin, admin_token)
        self._clients: list[httpx.Client] = []

    @property
    def yemot_token(self) -> str:
        """``number:password`` of the first Yemot system of the loaded fixture."""
        system = next(iter(self.state()["yemot"]["systems"].values()))
        return f"{system['number']}:{system['password']}"

    def credentials(self, api: str) -> list[dict[str, Any]]:
        """The default credentials of API ``api`` (the landing page's), read as a loopback client."""
        headers = {**self.control_client.headers, "Accept": "application/json"}
        body = httpx.get(f"{self.base}/", headers=headers, timeout=10).json()
        return (body.get("credentials") or {}).get(api, [])

    @property
    def simotel_credentials(self) -> tuple[str, str, str | None]:
        """``(username, password, X-APIKEY)`` of the first Simotel account of the loaded fixture."""
        account = next(iter(self.state()["simotel"]["accounts"].values()))
        return account["username"], account["password"], account.get("token")

    def client(self, api: str) -> httpx.Client:
        """An ``httpx.Client`` for API ``api`` at this server, logged in as its first default credential
        where the API takes credentials per client (``ApiSpec.client_options``)."""
        credentials = self.credentials(api)
        options = apis.named(api).client_options(credentials[0]) if credentials else {}
        options = {key: value for key, value in options.items() if value is not None}
        client = httpx.Client(base_url=self.urls.mounts[api], timeout=10, **options)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()
        super().close()


@contextlib.contextmanager
def serve_in_thread(config: EmulatorConfig, app: Any = None, *, log_level: str = "warning") -> Iterator[ServerUrls]:
    """Run uvicorn on a free loopback port in a thread; yield the base URLs; stop on exit."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = replace(config, host="127.0.0.1", port=port)
    app = app or create_app(config)
    app.state.emulator.outbox.listeners.add("127.0.0.1", port)
    settings = {**uvicorn_settings(config), "log_level": log_level}
    with running_in_thread(uvicorn.Server(uvicorn.Config(app, lifespan="on", **settings)), sock):
        yield ServerUrls.of(f"http://127.0.0.1:{port}")


@contextlib.contextmanager
def running_in_thread(server: Any, sock: socket.socket) -> Iterator[None]:
    """Run a ``uvicorn.Server`` on a bound socket in a thread until the block ends; then stop it as
    on SIGTERM (requests under way finish, the lifespan shuts down) and close the socket."""
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
