"""The command line: ``serve`` starts both APIs and prints how to reach them; ``contracts validate``."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import httpx
import pytest

from emulator.cli import main
from emulator.config import EmulatorConfig, default_contracts_dir


def test_contracts_validate_passes_on_the_shipped_contracts(capsys):
    assert main(["contracts", "validate"]) == 0
    assert capsys.readouterr().out.splitlines() == ["yemot: ok", "simotel: ok", "admin: ok"]


def test_contracts_validate_fails_on_a_broken_contract(tmp_path, capsys):
    for name in ("yemot", "simotel", "admin"):
        shutil.copy(default_contracts_dir() / f"{name}.yaml", tmp_path / f"{name}.yaml")
    text = (tmp_path / "yemot.yaml").read_text(encoding="utf-8")
    (tmp_path / "yemot.yaml").write_text(
        text.replace('$ref: "#/components/schemas/LoginOk"', '$ref: "#/components/schemas/Nowhere"'), encoding="utf-8"
    )
    assert main(["contracts", "validate", "--dir", str(tmp_path)]) == 1
    assert "Nowhere" in capsys.readouterr().out


def test_config_reads_emulator_environment_variables():
    config = EmulatorConfig.from_env({"EMULATOR_PORT": "9999", "EMULATOR_STRICT": "true", "EMULATOR_ADMIN_TOKEN": "t"})
    assert (config.port, config.strict, config.admin_token) == (9999, True, "t")
    assert EmulatorConfig.from_env({"EMULATOR_PORT": "9999"}, port=7000).port == 7000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_prints_base_urls_and_credentials_and_answers_both_apis():
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        banner: list[str] = []
        while not any(line.startswith("Simotel account") for line in banner) and len(banner) < 30:
            banner.append(process.stdout.readline())
        assert banner[0].strip() == f"Yemot API:     http://127.0.0.1:{port}/ym/api/"
        assert banner[1].strip() == f"Simotel API:   http://127.0.0.1:{port}/api/v4/"
        assert any("0773137770:1234" in line for line in banner)
        assert any("vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG" in line for line in banner)
        deadline = time.monotonic() + 15
        while True:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/ym/api/GetSession", params={"token": "0773137770:1234"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.05)
        assert body.json()["responseStatus"] == "OK"
        ping = httpx.put(
            f"http://127.0.0.1:{port}/api/v4/setting/ping/act",
            json={},
            auth=("test", "Aa123456"),
            headers={"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"},
        )
        assert ping.json()["success"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_serve_rejects_a_malformed_fixture_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("yemot:\n  systems:\n    - number: nope\n      password: x\n", encoding="utf-8")
    assert main(["serve", "--fixtures", str(bad)]) == 2
    assert f"{bad}:3: yemot.systems.0.number:" in capsys.readouterr().err


def test_contracts_coverage_lists_every_operation_with_its_status(capsys):
    from emulator import apis

    assert main(["contracts", "coverage"]) == 0
    out = capsys.readouterr().out
    for spec in apis.registered():
        for name in spec.implemented():
            assert f"| `{name}` | yes |" in out, (spec.name, name)


def test_implementation_coverage_document_is_current():
    from emulator.contract_check import coverage_markdown

    document = Path(__file__).resolve().parents[2] / "docs" / "IMPLEMENTATION_COVERAGE.md"
    assert document.read_text(encoding="utf-8") == coverage_markdown(default_contracts_dir()) + "\n", (
        "run: telephony-emulator contracts coverage > docs/IMPLEMENTATION_COVERAGE.md"
    )


def test_version_prints_the_installed_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"telephony-emulator {version('telephony-emulator')}"


def test_no_banner_when_the_port_is_taken(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == f"telephony-emulator: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_help_is_plain_text(capsys):
    for argv in (["--help"], ["serve", "--help"], ["conformance", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert "``" not in out and ".. code" not in out, argv
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for option, variable in (("--state-file", "EMULATOR_STATE_FILE"), ("--log-format", "EMULATOR_LOG_FORMAT")):
        assert option in out and variable in out


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["serve", "--prot", "9000"], "unrecognized arguments: --prot 9000 (did you mean --port?)"),
        (["serve", "--state-fil=x"], "(did you mean --state-file?)"),
        (["serv"], "invalid choice: 'serv'"),
    ],
)
def test_unknown_flags_and_commands_get_the_closest_valid_one(capsys, argv, hint):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert hint in err
    if argv == ["serv"]:
        assert err.rstrip().endswith("(did you mean serve?)")


def test_every_serve_option_reads_its_environment_variable():
    config = EmulatorConfig.from_env(
        {
            "EMULATOR_STATE_FILE": "/tmp/state.json",
            "EMULATOR_STATE_INTERVAL": "2.5",
            "EMULATOR_LOG_FORMAT": "json",
            "EMULATOR_LOG_LEVEL": "debug",
            "EMULATOR_HOST": "::1",
            "EMULATOR_SEED": "4",
            "EMULATOR_FIXTURES": "/tmp/f.yaml",
            "EMULATOR_CONTRACTS_DIR": "/tmp/c",
        }
    )
    assert (config.state_file, config.state_interval, config.log_format) == (Path("/tmp/state.json"), 2.5, "json")
    assert (config.log_level, config.host, config.seed) == ("debug", "::1", 4)
    assert (config.fixtures, config.contracts_dir) == (Path("/tmp/f.yaml"), Path("/tmp/c"))
    serve_options = {
        action.dest for action in _parser_actions("serve") if action.option_strings and action.dest != "help"
    }
    assert serve_options <= {spec.name for spec in fields(EmulatorConfig)}


def _parser_actions(command: str):
    import argparse

    from emulator.cli import _parser

    parser = _parser()
    sub = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    return sub.choices[command]._actions


def test_one_log_line_per_request_and_no_uvicorn_access_line():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--log-format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout.readline().startswith("Yemot API:")
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/ym/api/GetSession", params={"token": "0773137770:1234"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)
        err = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    lines = [json.loads(line) for line in err.splitlines()]
    requests = [line for line in lines if line.get("operation") == "GetSession"]
    assert len(requests) == 1
    assert requests[0]["logger"] == "telephony_emulator.access"
    assert (requests[0]["api"], requests[0]["tenant"], requests[0]["outcome"]) == ("yemot", "0773137770", "OK")
    assert not any("GetSession" in json.dumps(line) for line in lines if line is not requests[0])
    assert "0773137770:1234" not in err  # the token is never logged
