"""The control plane's view of a Yemot IVR tree, fixture files in every form, and snapshots of the tree."""

from __future__ import annotations

import base64

import pytest

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract
from emulator.fixtures import FixtureError, load_file, parse

SYSTEM = "0773137770"
URL = f"yemot/systems/{SYSTEM}/files"


@pytest.fixture(scope="module")
def admin_contract():
    return Contract.from_file(default_contracts_dir() / "admin.yaml", prefix="/__emulator__")


def documented(contract, verb, response):
    operation = contract.get("yemot/systems/{number}/files")
    schema = contract.resolve(operation.verbs[verb]["responses"][str(response.status_code)])
    schema = contract.resolve(schema["content"]["application/json"]["schema"])
    assert [str(e) for e in contract.validator(schema).iter_errors(response.json())] == []
    return response.json()


def test_put_then_read_through_the_api_and_the_control_plane(emulator, admin_contract):
    stored = documented(
        admin_contract, "put", emulator.admin.put(URL, params={"path": "ivr2:/5/000.wav"}, content=b"\x00\x01abc")
    )
    assert (stored["path"], stored["size"], stored["source"]) == ("ivr2:/5/000.wav", 5, "admin")
    api = emulator.yemot.get("DownloadFile", params={"token": emulator.yemot_token, "path": "ivr/5/000.wav"})
    assert api.content == b"\x00\x01abc"
    entry = documented(admin_contract, "get", emulator.admin.get(URL, params={"path": "/5/000.wav"}))
    assert base64.b64decode(entry["base64"]) == b"\x00\x01abc"
    raw = emulator.admin.get(URL, params={"path": "/5/000.wav", "raw": "1"})
    assert (raw.headers["content-type"], raw.content) == ("application/octet-stream", b"\x00\x01abc")


def test_listing_a_folder_and_recursively(emulator, admin_contract):
    listing = documented(admin_contract, "get", emulator.admin.get(URL, params={"path": "ivr2:/"}))
    assert "ivr2:/1" in listing["folders"] and "ivr2:/FaxTest.pdf" in [f["path"] for f in listing["files"]]
    everything = emulator.admin.get(URL, params={"recursive": "1"}).json()
    assert "ivr2:/YMGRLangs/EN/ymgtTest.ini" in [f["path"] for f in everything["files"]]
    assert "ivr2:/YMGRLangs/EN" in everything["folders"]


def test_delete_and_errors(emulator, admin_contract):
    assert documented(admin_contract, "delete", emulator.admin.delete(URL, params={"path": "/2"})) == {
        "deleted": "ivr2:/2"
    }
    documented(admin_contract, "delete", emulator.admin.delete(URL, params={"path": "/2"}))
    assert emulator.admin.get(URL, params={"path": "/2/000.wav"}).status_code == 404
    bad = emulator.admin.get(URL, params={"path": "../etc"})
    assert (bad.status_code, documented(admin_contract, "get", bad)["error"]) == (
        400,
        "'path' is not a valid IVR tree path",
    )
    assert emulator.admin.get("yemot/systems/0700000000/files").status_code == 400
    blocked = emulator.admin.put(URL, params={"path": "/1"}, content=b"x")  # a folder is there
    assert documented(admin_contract, "put", blocked)["error"].startswith("cannot store ivr2:/1")


def test_reset_and_snapshot_cover_the_tree(emulator):
    snapshot = emulator.control("GET", "snapshot")
    emulator.admin.put(URL, params={"path": "/new/000.wav"}, content=b"new")
    emulator.admin.delete(URL, params={"path": "/FaxTest.pdf"})
    emulator.control("POST", "restore", json=snapshot)
    assert emulator.admin.get(URL, params={"path": "/new/000.wav"}).status_code == 404
    assert emulator.admin.get(URL, params={"path": "/FaxTest.pdf"}).status_code == 200
    emulator.admin.put(URL, params={"path": "/again.txt"}, content=b"x")
    emulator.reset()
    assert emulator.admin.get(URL, params={"path": "/again.txt"}).status_code == 404


FIXTURE = """
yemot:
  systems:
    - number: "0770000001"
      password: "1"
      files:
        "ivr2:/1/000.wav": {file: "audio/beep.wav"}
        "ivr2:/1/b.bin.pdf": {base64: "AAEC/w=="}
"""


def test_fixture_files_from_base64_and_from_a_file_next_to_the_fixture(tmp_path):
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "beep.wav").write_bytes(b"RIFF....WAVE")
    (tmp_path / "f.yaml").write_text(FIXTURE, encoding="utf-8")
    system = load_file(tmp_path / "f.yaml").build().yemot.systems["0770000001"]
    from emulator.yemot import ivrtree

    assert ivrtree.read_bytes(system, "1/000.wav") == b"RIFF....WAVE"
    assert ivrtree.read_bytes(system, "1/b.bin.pdf") == b"\x00\x01\x02\xff"


SYSTEM_HEAD = 'yemot:\n  systems:\n    - number: "0770000001"\n      password: "1"\n      files:\n'


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{file: "../outside.wav"}', "must be a path relative to the fixture file, inside its folder"),
        ('{file: "/etc/passwd"}', "must be a path relative to the fixture file, inside its folder"),
        ('{file: "missing.wav"}', "No such file or directory"),
        ('{base64: "not base64!"}', "not valid base64"),
    ],
)
def test_bad_fixture_files_name_the_field(tmp_path, entry, problem):
    text = f'{SYSTEM_HEAD}        "1/x.wav": {entry}\n'
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        load_file(tmp_path / "f.yaml")
    assert caught.value.problem == problem and caught.value.line == 6
    assert caught.value.field.startswith("yemot.systems.0.files.1/x.wav")


def test_a_fixture_sent_over_the_control_plane_cannot_read_files():
    text = f'{SYSTEM_HEAD}        "1/x.wav": {{file: a.wav}}\n'
    with pytest.raises(FixtureError) as caught:
        parse(text, "request body")
    assert "loaded from a file" in caught.value.problem
