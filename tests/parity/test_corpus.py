"""The public corpus (``contracts/recordings/``): replayed on the emulator as CI runs it, its figure in
the README kept true, and every exchange naming the public document it was reconstructed from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulator.parity import report
from emulator.parity.exchange import load_recording
from emulator.parity.replay import embedded_emulator, replay
from emulator.parity.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "contracts" / "recordings"
# What the public samples show and the emulator does otherwise, on purpose (docs/parity.md): old
# Yemot methods answer yAfastVersion besides yemotAPIVersion, which the real samples do not show.
KNOWN = [
    ("Login", "$.yAfastVersion", "extra"),
    ("GetSession", "$.yAfastVersion", "extra"),
    ("Login", "$.yAfastVersion", "extra"),
    ("GetSession", "$.yAfastVersion", "extra"),
]


@pytest.fixture(scope="module")
def corpus_report() -> dict:
    with embedded_emulator() as base:
        outcomes = replay(CORPUS, base, load_rules(recording=CORPUS))
    return report.to_json(outcomes, base, "corpus")


def test_the_corpus_replays_with_only_the_known_differences(corpus_report):
    failing = [
        (result["operation"], difference["path"], difference["kind"])
        for result in corpus_report["results"]
        for difference in result["differences"]
        if difference["failing"]
    ]
    assert failing == KNOWN
    assert corpus_report["skipped"] == 0


def test_the_readme_states_the_corpus_figure(corpus_report):
    readme = (ROOT / "README.md").read_text("utf-8")
    found = re.search(r"public corpus `contracts/recordings/` is \*\*(\d+) of (\d+)\*\*", readme)
    assert found, "README.md states the corpus parity figure"
    assert (int(found.group(1)), int(found.group(2))) == (corpus_report["same"], corpus_report["compared"])


def test_every_exchange_names_its_public_source():
    exchanges = list(load_recording(CORPUS))
    assert len(exchanges) >= 10
    for exchange in exchanges:
        assert re.search(r"documentation|public", exchange.source), f"{exchange.stem}: source {exchange.source!r}"
