"""The IVR tree module: path spellings, files, folders, copies, ext.ini inheritance, quota."""

from __future__ import annotations

import pytest

from emulator.core.persist import store
from emulator.yemot import ivrtree
from emulator.yemot.errors import FileNotFound, PathInvalid, TreeFull
from emulator.yemot.paths import BadPath, display_path, normalize_path, template_file, tree_path
from emulator.yemot.state import YemotSystem


@pytest.mark.parametrize(
    "spelling",
    ["ivr2:/1/000.wav", "ivr2:1/000.wav", "ivr2://1/000.wav", "ivr/1/000.wav", "/1/000.wav", "1/000.wav", " 1/000.wav"],
)
def test_every_documented_spelling_names_one_key(spelling):
    assert normalize_path(spelling) == "1/000.wav"


@pytest.mark.parametrize("root", ["ivr2:", "ivr2:/", "/", "", "ivr", "ivr/", ".", "ivr2://"])
def test_root_spellings(root):
    assert normalize_path(root) == ""


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("tpl:123", "123.wav"),
        ("tpl:123:tts", "123.tts"),
        ("tpl:123:MoreInfo", "123-MoreInfo.wav"),
        ("tpl:123:moreinfo", "123-MoreInfo.wav"),
        ("tpl:123:First", "123-First.wav"),
        ("ivr2:/folder/", "folder"),
    ],
)
def test_template_and_folder_spellings(spelling, key):
    assert normalize_path(spelling) == key


@pytest.mark.parametrize(
    "hostile",
    ["../x", "1/../../x", "1/./x", "1//2", "a\\b", "1/a:b", "x\x00y", "a" * 129, "/".join(["a"] * 33), "tpl:1:x", 7],
)
def test_hostile_paths_are_refused(hostile):
    with pytest.raises(BadPath):
        normalize_path(hostile)
    with pytest.raises(PathInvalid):
        ivrtree.canonical(hostile)


def test_echo_forms():
    assert (display_path("1/ext.ini"), display_path("")) == ("ivr/1/ext.ini", "ivr")
    assert (tree_path("1/2"), tree_path("")) == ("ivr2:/1/2", "ivr2:/")
    assert template_file(9, "MoreInfo") == "9-MoreInfo.wav"


@pytest.fixture
def system():
    return YemotSystem(number="0770000000", password="x")


def test_put_creates_parent_folders_and_reads_back(system):
    ivrtree.put(system, "1/2/000.wav", b"abc", now=5.0, phone="0501234567", source="call")
    assert ivrtree.read_bytes(system, "1/2/000.wav") == b"abc"
    assert ivrtree.folder_exists(system, "1") and ivrtree.folder_exists(system, "1/2")
    entry = ivrtree.get(system, "1/2/000.wav")
    assert (entry.size, entry.mtime, entry.phone, entry.source) == (3, 5.0, "0501234567", "call")
    assert ivrtree.listing(system, "1") == (["2"], {})
    assert list(ivrtree.listing(system, "1/2")[1]) == ["000.wav"]
    with pytest.raises(FileNotFound):
        ivrtree.read_bytes(system, "1/2/001.wav")


def test_a_file_cannot_stand_where_a_folder_is(system):
    ivrtree.put(system, "1/x", b"1", now=0)
    with pytest.raises(PathInvalid):
        ivrtree.put(system, "1/x/y.wav", b"1", now=0)
    ivrtree.make_folder(system, "2", now=0)
    with pytest.raises(PathInvalid):
        ivrtree.put(system, "2", b"1", now=0)


def test_copies_share_content_and_deleting_frees_it(system):
    ivrtree.put(system, "1/000.wav", b"same", now=0)
    ivrtree.copy(system, "1", "9", now=1)
    assert ivrtree.read_bytes(system, "9/000.wav") == b"same"
    assert len(system.tree.blobs) == 1
    ivrtree.move(system, "9/000.wav", "9/005.wav", now=2)
    assert not ivrtree.exists(system, "9/000.wav") and ivrtree.exists(system, "9/005.wav")
    assert ivrtree.delete(system, "1") and ivrtree.delete(system, "9")
    assert system.tree.blobs == {} and not ivrtree.folder_exists(system, "1")
    assert ivrtree.delete(system, "nothing") is False


def test_moving_a_folder_into_itself_is_refused(system):
    ivrtree.make_folder(system, "1/2", now=0)
    with pytest.raises(PathInvalid):
        ivrtree.move(system, "1", "1/2/3", now=0)


def test_ext_ini_inherits_from_parents_except_type_and_title(system):
    ivrtree.set_ext_ini(system, "", {"type": "menu", "title": "root", "api_link": "http://x/"}, now=0)
    ivrtree.set_ext_ini(system, "1", {"type": "api"}, now=0)
    ivrtree.set_ext_ini(system, "1/2", {"title": "two"}, now=0)
    assert ivrtree.ext_ini(system, "1/2") == {"api_link": "http://x/", "title": "two"}
    assert ivrtree.ext_ini(system, "1/2", inherited=False) == {"title": "two"}
    ivrtree.set_ext_ini(system, "1/2", {"say": "yes"}, now=0)
    assert ivrtree.read_text(system, "1/2/ext.ini") == "title=two\nsay=yes\n"
    ivrtree.set_ext_ini(system, "1/2", {"a": "b"}, now=0, replace_all=True)
    assert ivrtree.ext_ini(system, "1/2", inherited=False) == {"a": "b"}


def test_next_number_and_quota(system):
    assert ivrtree.next_number(system, "5") == "000"
    ivrtree.put(system, "5/000.wav", b"x", now=0)
    ivrtree.put(system, "5/007.tts", b"x", now=0)
    assert ivrtree.next_number(system, "5") == "008"
    system.tree.quota_bytes = 10
    with pytest.raises(TreeFull):
        ivrtree.put(system, "5/big.wav", b"x" * 9, now=0)
    ivrtree.put(system, "5/000.wav", b"x" * 9, now=0)  # overwriting counts the new size only


def test_tree_survives_a_snapshot(system):
    ivrtree.put(system, "1/000.wav", b"\x00\xffbytes", now=3)
    ivrtree.make_folder(system, "empty", now=3)
    again = store.load(store.dump(system), YemotSystem)
    assert ivrtree.read_bytes(again, "1/000.wav") == b"\x00\xffbytes"
    assert ivrtree.folder_exists(again, "empty")
