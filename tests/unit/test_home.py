"""Contracts and fixtures are found in the checkout, the installed package, or EMULATOR_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import home


def test_a_checkout_uses_its_own_top_level_folders(monkeypatch):
    monkeypatch.delenv("EMULATOR_HOME", raising=False)
    root = Path(__file__).resolve().parents[2]
    assert home.data_dir("contracts") == root / "contracts"
    assert home.data_dir("fixtures") == root / "fixtures"


def test_emulator_home_overrides_both_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("EMULATOR_HOME", str(tmp_path))
    assert home.data_dir("contracts") == tmp_path / "contracts"
    assert home.data_dir("fixtures") == tmp_path / "fixtures"


def test_an_installed_package_uses_its_shipped_data(monkeypatch, tmp_path):
    monkeypatch.delenv("EMULATOR_HOME", raising=False)
    monkeypatch.setattr(home, "_CHECKOUT", tmp_path)  # no pyproject.toml there: not a checkout
    assert home.data_dir("contracts").parts[-3:] == ("emulator", "_data", "contracts")


def test_unknown_folders_are_refused():
    with pytest.raises(ValueError):
        home.data_dir("secrets")
