"""The README's serve usage block and start banner are the command line's own: they cannot drift;
nor can the list of pytest helpers in docs/pytest.md.

The usage block must name every option ``serve`` has (and no other), with the defaults the settings
really have; the banner block must be what ``serve`` prints for the default fixture on port 8080,
run from the project folder. The banner also says where the state came from with ``--state-file``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from emulator.cli import _parser, banner
from emulator.config import EmulatorConfig
from emulator.core.persist.state_file import FORMAT, FORMAT_VERSION
from emulator.runtime import Emulator
from emulator.testing.harness import ControlPlane

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NEW_YEAR_2026 = 1767225600.0  # 2026-01-01 00:00:00 UTC


def _blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


def _usage_block() -> str:
    [block] = [block for block in _blocks() if block.startswith("telephony-emulator serve [")]
    return block


def _serve_parser() -> argparse.ArgumentParser:
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices["serve"]


def _serve_options() -> dict[str, argparse.Action]:
    return {
        option: action
        for action in _serve_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def test_the_usage_block_names_every_serve_option_and_no_other():
    shown = re.findall(r"\[(--[a-z-]+)", _usage_block())
    assert len(shown) == len(set(shown)), "an option is shown twice"
    assert sorted(shown) == sorted(_serve_options())
    assert "telephony-emulator --version" in _usage_block()


def test_the_defaults_in_the_usage_block_are_the_settings_defaults():
    defaults = EmulatorConfig()
    options = _serve_options()
    checked = 0
    for option, value in re.findall(r"\[(--[a-z-]+) ([^\]]+)\]", _usage_block()):
        if value.isupper() or value in ("N", "T", "FILE", "DIR", "PATH", "IPS", "NAMES") or "|" in value:
            continue  # a placeholder or a choice, not a default
        actual = getattr(defaults, options[option].dest)
        assert str(actual) == value or (isinstance(actual, float) and actual == float(value)), option
        checked += 1
    assert checked >= 6  # host, port, log level, state interval, sandboxes, sandbox TTL


def test_the_readme_banner_is_what_serve_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    emulator = Emulator(EmulatorConfig(host="127.0.0.1", port=8080))
    [block] = [block for block in _blocks() if block.startswith("Yemot API:")]
    assert block.rstrip("\n") == banner(emulator)
    assert "Fixtures:      fixtures/default.yaml" in block


def test_the_banner_says_when_the_state_came_from_the_state_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "state.json"
    config = EmulatorConfig(host="127.0.0.1", port=8080, state_file=path)
    fresh = Emulator(config)
    lines = banner(fresh).splitlines()
    assert lines[4].startswith("Fixtures:      ") and not lines[4].endswith("(what reset goes back to)")
    assert lines[5] == "State:         new, from the fixtures; kept in state.json"
    snapshot = fresh.snapshot()
    fresh.state_lock.release()
    for saved_at, shown in ((NEW_YEAR_2026, "2026-01-01 00:00:00 UTC"), ("yesterday", "unknown time")):
        document = {"format": FORMAT, "version": FORMAT_VERSION, "saved_at": saved_at, "snapshot": snapshot}
        path.write_text(json.dumps(document), encoding="utf-8")
        restarted = Emulator(config)
        try:
            lines = banner(restarted).splitlines()
        finally:
            restarted.state_lock.release()
        assert lines[4].endswith(" (what reset goes back to)")
        assert lines[5] == f"State:         loaded from state.json (saved {shown})"


def test_without_a_state_file_the_banner_has_no_state_line():
    emulator = Emulator(EmulatorConfig(host="127.0.0.1", port=8080))
    assert not any(line.startswith("State:") for line in banner(emulator).splitlines())


def test_docs_pytest_names_every_control_plane_helper():
    text = (ROOT / "docs" / "pytest.md").read_text(encoding="utf-8")
    helpers = [name for name, value in vars(ControlPlane).items() if callable(value) and not name.startswith("_")]
    assert {"control", "verify", "restore_start_fixture"} <= set(helpers)
    assert [name for name in helpers if f"`{name}(" not in text] == []
