"""The Dockerfile's HEALTHCHECK command passes against a running emulator and fails without one."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


def _healthcheck() -> list[str]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])\s*$", text, re.MULTILINE)
    assert match, "the Dockerfile has no exec-form HEALTHCHECK"
    command = json.loads(match.group(1))
    assert command[0] == "python", "slim images have python, not curl"
    return [sys.executable, *command[1:]]


def _run(port: int) -> int:
    return subprocess.run(
        _healthcheck(), env={"EMULATOR_PORT": str(port)}, capture_output=True, timeout=20, check=False
    ).returncode


def test_healthcheck_passes_against_a_running_emulator_and_fails_without_one():
    with serve_in_thread(EmulatorConfig.from_env({}, admin_token="secret")) as urls:
        port = urlsplit(urls.base).port
        assert _run(port) == 0  # health needs no admin token
    assert _run(port) != 0
