"""The command line: ``serve`` starts both APIs and prints how to reach them; ``contracts validate``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

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
    from emulator.contract_check import IMPLEMENTED

    assert main(["contracts", "coverage"]) == 0
    out = capsys.readouterr().out
    for api, names in IMPLEMENTED.items():
        for name in names:
            assert f"| `{name}` | yes |" in out, (api, name)


def test_implementation_coverage_document_is_current():
    from emulator.contract_check import coverage_markdown

    document = Path(__file__).resolve().parents[2] / "docs" / "IMPLEMENTATION_COVERAGE.md"
    assert document.read_text(encoding="utf-8") == coverage_markdown(default_contracts_dir()) + "\n", (
        "run: telephony-emulator contracts coverage > docs/IMPLEMENTATION_COVERAGE.md"
    )
