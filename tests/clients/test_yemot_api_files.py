"""yemot-api 0.1.36 (PyPI): every file-tree method, its pydantic models parsing our answers, bytes round-tripped.

Chunked upload runs the client's own ``_upload_large_file`` with test-size chunks (``upload_file``
calls it for files over 49 MiB). Each test works in folders of its own: the server is shared.
"""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("yemot_api")

from yemot_api import input_types
from yemot_api.exceptions import YemotAPIError
from yemot_api.yemot_api import Yemot

SYSTEM, PASSWORD = "0773137770", "1234"


@pytest.fixture
def ym(emulator_server):
    httpx.post(f"{emulator_server.admin}clock", json={"freeze": True, "set": "2026-03-01T08:00:00Z"}, timeout=10)
    client = Yemot(f"{SYSTEM}:{PASSWORD}")
    client.BASE_URL = emulator_server.yemot
    yield client
    client.close()


def test_small_upload_download_and_listing(ym):
    answer = ym.upload_file("a1/000.wav", b"\x00RIFF\xffdata", "000.wav")
    assert (answer.path, answer.size, answer.success) == ("ivr/a1/000.wav", 10, True)
    assert ym.download_file("a1/000.wav") == b"\x00RIFF\xffdata"
    listing = ym.get_ivr2_dir("ivr2:/a1")
    assert [entry.name for entry in listing.files] == ["000.wav"]
    assert listing.files[0].size == 10 and listing.files[0].mtime is not None
    stats = ym.get_ivr2_dir_stats("ivr2:a1")
    assert (stats.files_count, stats.max_file.name, stats.min_file.name) == (1, "000.wav", "000.wav")
    assert ym.get_file("a1/000.wav").file.file_type == "AUDIO"
    assert ym.get_file("a1").file.file_type == "EXT"


def test_chunked_upload_is_reassembled(ym):
    data = bytes(range(251)) * 13
    chunks = [data[offset : offset + 1000] for offset in range(0, len(data), 1000)]
    # upload_file sends these through _upload_large_file once a file passes 49 MiB.
    answer = ym._upload_large_file("a2", chunks, "big.pdf", len(data), "ivr2:", auto_numbering=False)
    assert (answer.path, answer.size, answer.success) == ("ivr/a2/big.pdf", len(data), True)
    assert ym.download_file("a2/big.pdf") == data
    numbered = ym._upload_large_file("a2", chunks, "x.pdf", len(data), "ivr2:", auto_numbering=True)
    assert numbered.path == "ivr/a2/000.pdf"


def test_download_of_a_missing_file_raises_the_json_error(ym):
    with pytest.raises(YemotAPIError) as caught:
        ym.download_file("a3/none.wav")
    assert "file does not exist" in str(caught.value.args)


def test_file_action_copy_move_delete(ym):
    ym.upload_file("a4/000.wav", b"one", "000.wav")
    copied = ym.file_action(input_types.FileAction.COPY, "a4/000.wav", "a4/copy.wav")
    assert copied.success and copied.reports[0].target == "ivr2:/a4/copy.wav"
    moved = ym.file_action(input_types.FileAction.MOVE, "a4/copy.wav", "a5/moved.wav")
    assert moved.action == "move" and ym.download_file("a5/moved.wav") == b"one"
    deleted = ym.file_action(input_types.FileAction.DELETE, "a4/000.wav")
    assert deleted.success and [f.name for f in ym.get_ivr2_dir("ivr2:a4").files] == []


def test_text_files_and_extensions(ym):
    assert ym.update_extension("a6", type="menu", title="Menu") is True
    assert ym.check_if_folder_exists("a6") is True
    assert ym.check_if_folder_exists("a6-none") is False
    assert ym.upload_text_file("a6/000.tts", "שלום") is True
    text = ym.get_text_file("a6/000.tts")
    assert (text.contents, text.file.size) == ("שלום", 8)
    assert ym.get_text_file("a6/ext.ini").contents == "type=menu\ntitle=Menu\n"
    listing = ym.get_ivr2_dir("ivr2:/a6")
    assert listing.ext_ini == {"type": "menu", "title": "Menu"} and listing.this_path == "ivr2:/a6"


def test_ivr_tree_and_music_on_hold(ym):
    ym.update_extension("a7/inner")
    tree = ym._get("GetIvrTree", {"path": "ivr2:/a7"})["tree"]
    assert [node["name"] for node in tree["dirs"]] == ["inner"]
    assert ym.create_music_on_holds("a7class", "a7") == "OK"
    assert ym.get_music_on_holds("a7") == "a7class"
    assert ym.delete_music_on_holds("a7class") is True
    assert ym.get_music_on_holds("a7") is None
