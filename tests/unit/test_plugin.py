"""The pytest plugin as a user's project sees it: fixtures, marker, ini option and ``--emulator-url``.

Each test writes a small project and runs pytest on it in a subprocess (the plugin is installed
with the package, so the inner run loads it like any user's would).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from emulator.config import default_fixtures_file

ROOT = Path(__file__).resolve().parents[2]

OTHER_SYSTEM = "0779999999"

HELPERS = """
import httpx
import pytest

ADD = {"name": "Plugin User", "number": "7100", "secret": "Secret123"}


def numbers(client):
    return [user["number"] for user in client.put("pbx/users/search", json={"conditions": {}}).json()["data"]]
"""

SERVER_TESTS = """
def test_helpers_over_the_socket(emulator_server):
    assert emulator_server.yemot.endswith("/ym/api/") and emulator_server.admin.endswith("/__emulator__/")
    frozen = emulator_server.freeze("2026-03-01T08:00:00Z")
    assert frozen["frozen"] is True
    assert emulator_server.advance(60)["now"] == "2026-03-01T08:01:00Z"
    yemot = emulator_server.client("yemot")
    assert yemot.get("GetSession", params={"token": emulator_server.yemot_token}).json()["responseStatus"] == "OK"
    assert emulator_server.verify(api="yemot", operation="GetSession")
    assert emulator_server.phones("0527000001")["number"] == "0527000001"
    emulator_server.reset()
    assert emulator_server.journal() == []


def test_errors_are_plain_httpx_errors(emulator_server):
    with pytest.raises(httpx.HTTPStatusError):
        httpx.get(emulator_server.admin + "nowhere").raise_for_status()


def test_first_test_changes_state(emulator_shared_server):
    simotel = emulator_shared_server.client("simotel")
    assert simotel.put("pbx/users/add", json=ADD).json()["success"] == 1
    assert "7100" in numbers(simotel)


def test_next_test_starts_from_a_reset(emulator_shared_server):
    assert "7100" not in numbers(emulator_shared_server.client("simotel"))


@pytest.mark.emulator(fixtures="other.yaml")
def test_marked_test_gets_its_fixture(emulator_shared_server):
    assert emulator_shared_server.yemot_token == "OTHER_SYSTEM:4321"


def test_unmarked_test_gets_the_base_fixture_back(emulator_shared_server):
    assert emulator_shared_server.yemot_token == "0773137770:1234"
""".replace("OTHER_SYSTEM", OTHER_SYSTEM)

IN_PROCESS_TESTS = """
import httpx
import pytest

pytestmark = pytest.mark.emulator(seed=3)


def test_module_marker_sets_the_seed(emulator):
    assert emulator.runtime.config.seed == 3
    assert isinstance(emulator.yemot, httpx.Client)


def test_in_process_errors_are_httpx_errors(emulator):
    with pytest.raises(httpx.HTTPStatusError):
        emulator.admin.get("nowhere").raise_for_status()


@pytest.mark.emulator(fixtures="other.yaml", seed=5)
def test_closest_marker_wins(emulator):
    assert (emulator.runtime.config.seed, emulator.yemot_token) == (5, "OTHER_SYSTEM:4321")
""".replace("OTHER_SYSTEM", OTHER_SYSTEM)

INI_TESTS = """
def test_ini_option_sets_the_fixture(emulator, emulator_server):
    assert emulator.yemot_token == "OTHER_SYSTEM:4321"
    assert emulator_server.yemot_token == "OTHER_SYSTEM:4321"
""".replace("OTHER_SYSTEM", OTHER_SYSTEM)


def _project(tmp_path: Path, files: dict[str, str], ini: str = "") -> Path:
    default = default_fixtures_file().read_text(encoding="utf-8")
    other = default.replace('number: "0773137770"', f'number: "{OTHER_SYSTEM}"', 1).replace(
        'password: "1234"', 'password: "4321"', 1
    )
    assert other != default
    (tmp_path / "other.yaml").write_text(other, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(f"[pytest]\n{ini}\n", encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _pytest(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMULATOR_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *options],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _passed(result: subprocess.CompletedProcess[str], count: int) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{count} passed" in result.stdout, result.stdout


def test_server_fixtures_marker_and_shared_reset(tmp_path):
    project = _project(tmp_path, {"test_server.py": HELPERS + SERVER_TESTS, "test_inprocess.py": IN_PROCESS_TESTS})
    _passed(_pytest(project), 9)


def test_ini_option_chooses_the_project_fixture(tmp_path):
    project = _project(tmp_path, {"test_ini.py": INI_TESTS}, ini="emulator_fixtures = other.yaml")
    _passed(_pytest(project), 1)


@pytest.fixture
def running_emulator():
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = process.stdout.readline().split()[-1].removesuffix("/ym/api/")
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{base}/__emulator__/clock", timeout=2)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "server did not answer"
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=20)
    process.stdout.close()


@pytest.mark.parametrize("isolation", ["test", "worker", "none"])
def test_emulator_url_runs_the_same_tests_against_a_running_emulator(tmp_path, running_emulator, isolation):
    check = f'''
def test_it_is_the_running_emulator(emulator_server):
    assert emulator_server.base.startswith("{running_emulator}")
    assert ("/sb/" in emulator_server.base) == {isolation != "none"}
    answer = emulator_server.client("yemot").get("GetCustomerData", params={{"token": emulator_server.yemot_token}})
    assert answer.json()["responseStatus"] == "OK"
'''
    project = _project(tmp_path, {"test_server.py": HELPERS + SERVER_TESTS + check})
    _passed(_pytest(project, "--emulator-url", running_emulator, "--emulator-isolation", isolation), 7)
    served = httpx.get(f"{running_emulator}/__emulator__/state", timeout=10).json()
    assert OTHER_SYSTEM not in served["yemot"]["systems"]  # the root ends on the default fixture
    assert httpx.get(f"{running_emulator}/__emulator__/sandboxes", timeout=10).json()["count"] == 0  # all deleted
    root_journal = httpx.get(f"{running_emulator}/__emulator__/journal", timeout=10).json()
    assert root_journal["count"] == (0 if isolation != "none" else 1)  # sandboxed tests never touch the root


NONE_ENDS_ON_A_MARKER = f"""
import pytest


def test_unmarked_first(emulator_server):
    body = emulator_server.client("yemot").get("GetCustomerData", params={{"token": "0773137770:1234"}}).json()
    assert body["responseStatus"] == "OK"


@pytest.mark.emulator(fixtures="other.yaml")
def test_marked_last(emulator_server):
    assert emulator_server.yemot_token == "{OTHER_SYSTEM}:4321"
"""


def test_isolation_none_gives_the_server_its_own_fixture_back_when_the_session_ends(tmp_path, running_emulator):
    project = _project(tmp_path, {"test_none.py": NONE_ENDS_ON_A_MARKER})
    _passed(_pytest(project, "--emulator-url", running_emulator, "--emulator-isolation", "none"), 2)
    for moment in ("as the session left it", "after a reset"):
        answer = httpx.get(f"{running_emulator}/ym/api/GetCustomerData", params={"token": "0773137770:1234"})
        assert answer.json()["responseStatus"] == "OK", moment
        httpx.post(f"{running_emulator}/__emulator__/reset", timeout=10).raise_for_status()
    served = httpx.get(f"{running_emulator}/__emulator__/state", timeout=10).json()
    assert OTHER_SYSTEM not in served["yemot"]["systems"]


@pytest.mark.parametrize("isolation", ["test", "worker"])
def test_sandboxed_isolation_works_with_xdist_workers(tmp_path, running_emulator, isolation):
    pytest.importorskip("xdist", reason="pytest-xdist is not installed")
    project = _project(tmp_path, {"test_server.py": HELPERS + SERVER_TESTS})
    _passed(_pytest(project, "-n", "2", "--emulator-url", running_emulator, "--emulator-isolation", isolation), 6)
    assert httpx.get(f"{running_emulator}/__emulator__/sandboxes", timeout=10).json()["count"] == 0
    assert httpx.get(f"{running_emulator}/__emulator__/journal", timeout=10).json()["count"] == 0


def test_delete_fixtures_goes_back_to_the_fixture_the_server_started_with(emulator):
    other = default_fixtures_file().read_text(encoding="utf-8").replace("0773137770", OTHER_SYSTEM)
    emulator.load_fixture(other)
    assert OTHER_SYSTEM in emulator.state()["yemot"]["systems"]
    answer = emulator.control("DELETE", "fixtures")
    assert answer == {"loaded": True, "source": str(default_fixtures_file())}
    emulator.reset()
    systems = emulator.state()["yemot"]["systems"]
    assert "0773137770" in systems and OTHER_SYSTEM not in systems
