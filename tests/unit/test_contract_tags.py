"""Operation tags: every Yemot and Simotel operation sits under exactly one declared tag, as written
by ``python -m emulator.contract_tags`` from each API's ``tags``, and ``contracts validate`` refuses a
contract that drifts."""

from __future__ import annotations

import shutil

import pytest
import yaml

from emulator.cli import main
from emulator.config import default_contracts_dir
from emulator.contract_tags import VERBS, retag, tag_problems, tagged
from emulator.simotel.tags import tag_of as simotel_tag
from emulator.yemot.tags import TAG_OF as YEMOT_TAG_OF
from emulator.yemot.tags import TAGS as YEMOT_TAGS


def _contract(api: str) -> tuple[str, dict]:
    text = (default_contracts_dir() / f"{api}.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def _operations(document: dict):
    for path, item in document["paths"].items():
        for verb in VERBS:
            if verb in item:
                yield path, verb, item[verb]


@pytest.mark.parametrize("api", ["yemot", "simotel"])
def test_the_shipped_contracts_hold_the_tags_the_script_writes(api):
    text, document = _contract(api)
    assert retag(tagged()[api], text) == text, "run: python -m emulator.contract_tags"
    assert tag_problems(document) == []


def test_every_yemot_method_has_one_of_the_hand_made_groups():
    _, document = _contract("yemot")
    methods = {path.rsplit("/", 1)[-1] for path in document["paths"]}
    assert set(YEMOT_TAG_OF) == methods  # no method left out, no stale name in the table
    assert sum(len(names.split()) for _, names in YEMOT_TAGS.values()) == len(methods)  # none in two groups
    declared = [tag["name"] for tag in document["tags"]]
    assert declared[:3] == ["Session", "Security", "Account"]
    for path, verb, operation in _operations(document):
        assert operation["tags"] == [YEMOT_TAG_OF[path.rsplit("/", 1)[-1]]], (verb, path)
    login = document["paths"]["/ym/api/Login"]
    assert login["get"]["tags"] == login["post"]["tags"] == ["Session"]
    assert document["paths"]["/ym/api/SendSms"]["post"]["tags"] == ["SMS"]
    assert document["paths"]["/ym/api/UploadFile"]["post"]["tags"] == ["Files and IVR tree"]


def test_every_simotel_service_is_under_its_group_and_resource():
    _, document = _contract("simotel")
    operations = list(_operations(document))
    assert len(operations) > 160
    for path, verb, operation in operations:  # the PUT copies (YAML merges) inherit the POST's tag
        assert operation["tags"] == [simotel_tag(path)], (verb, path)
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert document["paths"]["/api/v4/pbx/users/search"]["put"]["tags"] == ["pbx/users"]
    assert document["paths"]["/api/v4/reports/cdr/ordered/id"]["post"]["tags"] == ["reports/cdr"]
    assert tags["pbx/users"] == "PBX: `/api/v4/pbx/users/…` add, search, update, remove"
    assert "tags" not in document["webhooks"]["Ping"]["post"]  # events the PBX sends are not operations here


def test_tag_problems_names_each_kind_of_drift():
    document = {
        "tags": [{"name": "A"}, {"name": "Unused"}],
        "paths": {
            "/x/One": {"get": {"tags": ["A"]}, "post": {}},
            "/x/Two": {"post": {"tags": ["A", "B"]}},
            "/x/Three": {"post": {"tags": ["C"]}},
        },
    }
    assert tag_problems(document) == [
        "POST /x/One: needs exactly one tag, has None",
        "POST /x/Two: needs exactly one tag, has ['A', 'B']",
        "POST /x/Three: tag 'C' is not in the top-level tags",
        "top-level tag 'Unused' is used by no operation",
    ]


def test_a_new_yemot_method_must_be_given_a_group():
    text, _ = _contract("yemot")
    added = text.replace("paths:\n", "paths:\n  /ym/api/BrandNew:\n    post:\n      operationId: BrandNew\n", 1)
    with pytest.raises(ValueError, match="no tag for /ym/api/BrandNew; add it to emulator/yemot/tags.py"):
        retag(tagged()["yemot"], added)


def test_contracts_validate_refuses_an_untagged_operation(tmp_path, capsys):
    for name in ("yemot", "simotel", "admin"):
        shutil.copy(default_contracts_dir() / f"{name}.yaml", tmp_path / f"{name}.yaml")
    text = (tmp_path / "simotel.yaml").read_text(encoding="utf-8")
    (tmp_path / "simotel.yaml").write_text(text.replace('      tags: ["setting/ping"]\n', "", 1), encoding="utf-8")
    assert main(["contracts", "validate", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "simotel: 1 problem(s)" in out
    assert "POST /api/v4/setting/ping/act: needs exactly one tag, has None" in out
