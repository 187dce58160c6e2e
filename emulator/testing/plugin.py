"""pytest plugin: emulator fixtures for tests of code that talks to Yemot or Simotel.

- ``emulator``: an in-process emulator in strict mode, fresh for each test; ``emulator.yemot``,
  ``.simotel`` and ``.admin`` are plain ``httpx.Client``s, ``.runtime`` is the state itself.
- ``emulator_factory``: build in-process emulators with custom settings.
- ``emulator_server``: the emulator behind a real socket, fresh for each test; yields an
  :class:`~emulator.testing.harness.EmulatorServer` (URLs, credentials, control-plane helpers).
- ``emulator_shared_server``: one served emulator for the whole session, reset before each test.

The fixture file and faker seed come from ``@pytest.mark.emulator(fixtures="x.yaml", seed=3)`` on
a test, class or module (``pytestmark``), else from the ``emulator_fixtures`` ini option.
``--emulator-url URL`` (or ``EMULATOR_URL``) runs the server fixtures against an emulator that is
already running (e.g. the Docker image). There each test gets its own sandbox on that server,
deleted afterwards (``--emulator-isolation test``, the default); ``worker`` gives each xdist worker
one sandbox, reset before each test; ``none`` uses the server's root, reset before each test.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

MARKER = "emulator"
URL_ENV = "EMULATOR_URL"
ADMIN_TOKEN_ENV = "EMULATOR_ADMIN_TOKEN"
ISOLATION_ENV = "EMULATOR_ISOLATION"
ISOLATIONS = ("test", "worker", "none")


@dataclass(frozen=True)
class Choice:
    """The fixture file and seed a test asked for (None: the server's or fixture's own)."""

    fixtures: Path | None = None
    seed: int | None = None

    def settings(self) -> dict[str, Any]:
        """``EmulatorConfig`` keywords for this choice."""
        return {key: value for key, value in (("fixtures", self.fixtures), ("seed", self.seed)) if value is not None}

    def document(self) -> str:
        """The fixture as text to load through the control plane, with the seed applied."""
        import yaml

        from emulator.config import default_fixtures_file

        text = (self.fixtures or default_fixtures_file()).read_text(encoding="utf-8")
        if self.seed is None:
            return text
        data = yaml.safe_load(text) or {}
        data["seed"] = self.seed
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


_LOADED = pytest.StashKey[Choice]()  # what the shared or remote server was last loaded with


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("emulator", "telephony emulator")
    group.addoption(
        "--emulator-url",
        default=os.environ.get(URL_ENV) or None,
        metavar="URL",
        help=f"run emulator_server tests against this running emulator, reset before each test ({URL_ENV})",
    )
    group.addoption(
        "--emulator-admin-token",
        default=os.environ.get(ADMIN_TOKEN_ENV) or None,
        metavar="TOKEN",
        help=f"control-plane Bearer token of the emulator at --emulator-url ({ADMIN_TOKEN_ENV})",
    )
    group.addoption(
        "--emulator-isolation",
        default=os.environ.get(ISOLATION_ENV) or "test",
        choices=ISOLATIONS,
        help="on --emulator-url: a sandbox per test (default), per xdist worker, or none (the server's root)",
    )
    parser.addini("emulator_fixtures", "fixture file of every emulator in this project (relative to the ini file)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator(fixtures=None, seed=None): fixture file and faker seed of the test's emulator"
    )


def _project_choice(config: pytest.Config) -> Choice:
    configured = config.getini("emulator_fixtures")
    if not configured:
        return Choice()
    folder = config.inipath.parent if config.inipath else config.rootpath
    return Choice(fixtures=(folder / configured).resolve())


def _choice(request: pytest.FixtureRequest) -> Choice:
    """The marker's fixture and seed (closest wins: test, class, module), else the project's."""
    project = _project_choice(request.config)
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return project
    unknown = set(marker.kwargs) - {"fixtures", "seed"}
    if marker.args or unknown:
        raise pytest.UsageError(f"@pytest.mark.emulator takes fixtures= and seed= only, not {marker.args or unknown}")
    fixtures, seed = marker.kwargs.get("fixtures"), marker.kwargs.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise pytest.UsageError(f"@pytest.mark.emulator(seed=...) must be an integer, not {seed!r}")
    path = project.fixtures
    if fixtures is not None:
        path = Path(fixtures)
        if not path.is_absolute():  # next to the test file, else from the root folder
            beside = Path(request.node.path).parent / path
            path = beside if beside.exists() else request.config.rootpath / path
    return Choice(fixtures=path, seed=seed)


_WORKER_SANDBOX = pytest.StashKey[Any]()  # (sandbox server helper, its id) of this worker


@contextlib.contextmanager
def remote_emulator(request: pytest.FixtureRequest, url: str) -> Iterator[Any]:
    """The emulator at ``--emulator-url`` for one test: the one place that decides what a test gets
    on a shared server (``--emulator-isolation``): its own sandbox, its worker's sandbox reset, or
    the server's root reset."""
    from emulator.testing.harness import EmulatorServer

    admin_token = request.config.getoption("--emulator-admin-token")
    isolation = request.config.getoption("--emulator-isolation")
    if isolation == "none":
        server = EmulatorServer(url, admin_token=admin_token)
        _restore_at_session_end(request, url, admin_token)
        try:
            _prepare(server, request, base=Choice())
            yield server
        finally:
            server.close()
        return
    if isolation == "worker":
        yield _worker_sandbox(request, url, admin_token)
        return
    root = EmulatorServer(url, admin_token=admin_token)
    server, sandbox_id = _new_sandbox(root, url, _choice(request))
    try:
        yield server
    finally:
        server.close()
        with contextlib.suppress(Exception):
            root.control("DELETE", f"sandboxes/{sandbox_id}")
        root.close()


def _new_sandbox(root: Any, url: str, choice: Choice) -> tuple[Any, str]:
    """A sandbox on the server behind ``root`` with ``choice``'s fixture; its helper (holding the
    sandbox's own token) and id."""
    from emulator.testing.harness import EmulatorServer

    spec: dict[str, Any] = {}
    if choice.fixtures is not None or choice.seed is not None:
        spec["fixtures"] = choice.document()
    made = root.control("POST", "sandboxes", json=spec)
    return EmulatorServer(f"{url.rstrip('/')}/sb/{made['id']}", admin_token=made["token"]), made["id"]


def _worker_sandbox(request: pytest.FixtureRequest, url: str, admin_token: str | None) -> Any:
    """This worker's sandbox, made on first use and deleted when the session ends; reset (and loaded
    with the test's fixture when it differs) before each test."""
    from emulator.testing.harness import EmulatorServer

    stash = request.config.stash
    if _WORKER_SANDBOX not in stash:
        root = EmulatorServer(url, admin_token=admin_token)
        server, sandbox_id = _new_sandbox(root, url, Choice())

        def finish() -> None:
            server.close()
            with contextlib.suppress(Exception):
                root.control("DELETE", f"sandboxes/{sandbox_id}")
            root.close()

        request.config.add_cleanup(finish)
        stash[_WORKER_SANDBOX] = server
    server = stash[_WORKER_SANDBOX]
    _prepare(server, request, base=Choice())
    return server


def _prepare(server: Any, request: pytest.FixtureRequest, base: Choice) -> None:
    """Reset ``server`` for the test; first load the test's fixture when it differs from the loaded one.

    ``base`` is what the server was started with (``Choice()``: its own fixture, whatever that is);
    a test that wants it back after another fixture was loaded gets the server's own again.
    """
    wanted = _choice(request)
    stash = request.config.stash
    loaded = stash.get(_LOADED, base)
    if wanted == loaded:
        server.reset()
    elif wanted == base:
        server.restore_start_fixture()  # (makes it the reset target again and resets)
    else:
        server.load_fixture(wanted.document())  # loading makes it the reset target and resets
    stash[_LOADED] = wanted


_RESTORE_REGISTERED = pytest.StashKey[bool]()


def _restore_at_session_end(request: pytest.FixtureRequest, url: str, admin_token: str | None) -> None:
    """With ``--emulator-isolation none``, leave the server's root on its own fixture when the session
    ends, whatever fixture the last test had marked (a shared server outlives the session)."""
    from emulator.testing.harness import EmulatorServer

    config = request.config
    if config.stash.get(_RESTORE_REGISTERED, False):
        return
    config.stash[_RESTORE_REGISTERED] = True

    def restore() -> None:
        if config.stash.get(_LOADED, Choice()) == Choice():
            return
        server = EmulatorServer(url, admin_token=admin_token)
        try:
            server.restore_start_fixture()
        finally:
            server.close()
        config.stash[_LOADED] = Choice()

    config.add_cleanup(restore)


@pytest.fixture
def emulator_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Build in-process emulators with custom settings: ``emulator_factory(admin_token="t")``."""
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import InProcessEmulator

    chosen = _choice(request).settings()
    made: list[InProcessEmulator] = []

    def make(**settings: Any) -> InProcessEmulator:
        settings = {"strict": True, **chosen, **settings}
        harness = InProcessEmulator(EmulatorConfig.from_env({}, **settings))
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def emulator(emulator_factory: Callable[..., Any]) -> Any:
    """An in-process emulator in strict mode, fresh for each test (always in-process: it exposes ``runtime``)."""
    return emulator_factory()


@pytest.fixture
def emulator_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The emulator under uvicorn on a free loopback port, fresh for this test (or the one at --emulator-url)."""
    url = request.config.getoption("--emulator-url")
    if url:
        with remote_emulator(request, url) as server:
            yield server
        return
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import EmulatorServer, serve_in_thread

    config = EmulatorConfig.from_env({}, strict=True, **_choice(request).settings())
    with serve_in_thread(config) as urls:
        server = EmulatorServer(urls.base)
        try:
            yield server
        finally:
            server.close()


@pytest.fixture(scope="session")
def emulator_session_server(pytestconfig: pytest.Config) -> Iterator[Any]:
    """One served emulator for the whole session (per xdist worker), started with the project's fixture.

    Tests use ``emulator_shared_server``, which resets it first; with ``--emulator-url`` this is None.
    """
    if pytestconfig.getoption("--emulator-url"):
        yield None
        return
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import serve_in_thread

    config = EmulatorConfig.from_env({}, strict=True, **_project_choice(pytestconfig).settings())
    with serve_in_thread(config) as urls:
        yield urls


@pytest.fixture
def emulator_shared_server(request: pytest.FixtureRequest, emulator_session_server: Any) -> Iterator[Any]:
    """The session's served emulator, reset (and loaded with this test's fixture, if marked) for this test."""
    url = request.config.getoption("--emulator-url")
    if url:
        with remote_emulator(request, url) as server:
            yield server
        return
    from emulator.testing.harness import EmulatorServer

    server = EmulatorServer(emulator_session_server.base)
    try:
        _prepare(server, request, base=_project_choice(request.config))
        yield server
    finally:
        server.close()
