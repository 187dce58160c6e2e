"""Reading and editing the IVR tree over the wire: listings, FileAction, text files, extensions, downloads."""

from __future__ import annotations

import pytest
from yemot_wire import VERSION, api, error, ok

JSON = "application/json; charset=utf-8"


def download(emulator, path: str, method: str = "DownloadFile", token: str | None = None):
    return emulator.yemot.get(method, params={"token": token or emulator.yemot_token, "path": path})


def names(entries: list[dict]) -> list[str]:
    return [entry["name"] for entry in entries]


def test_get_ivr2_dir_lists_dirs_files_ini_and_inherited_settings(frozen_at_start):
    emulator = frozen_at_start
    ok(api(emulator, "UpdateExtension", path="ivr2:/", api_link="http://example.test/ivr"))
    ok(api(emulator, "UploadTextFile", what="ivr2:/1/000.tts", contents="hello"))
    ok(api(emulator, "UploadTextFile", what="ivr2:/1/notes.txt", contents="hidden"))
    ok(api(emulator, "UploadTextFile", what="ivr2:/1/page.html", contents="<p/>"))
    ok(api(emulator, "UpdateExtension", path="ivr2:/1/2", type="playfile", title="Two"))
    body = ok(api(emulator, "GetIVR2Dir", path="/1"))
    assert (body["thisPath"], body["parentPath"]) == ("ivr2:/1", "ivr2:/")
    assert body["extIni"] == {"api_link": "http://example.test/ivr", "type": "menu", "title": "שלוחה 1"}
    assert body["dirs"] == [
        {
            "exists": True,
            "name": "2",
            "uniqueId": body["dirs"][0]["uniqueId"],
            "what": "ivr2:/1/2",
            "fileType": "EXT",
            "extType": "playfile",
            "extTitle": "Two",
        }
    ]
    tts = body["files"][0]
    assert (tts["name"], tts["what"], tts["fileType"], tts["size"], tts["mtime"]) == (
        "000.tts",
        "ivr2:/1/000.tts",
        "TTS",
        5,
        "10/03/2026 12:00",
    )
    assert names(body["files"]) == ["000.tts"]  # .txt is not listed
    assert (names(body["ini"]), names(body["html"])) == (["ext.ini"], ["page.html"])
    assert (body["messages"], body["msgDescriptions"]) == ([], {})


def test_get_ivr2_dir_of_the_root_and_of_a_missing_folder(emulator):
    body = ok(api(emulator, "GetIVR2Dir", path="ivr2:/"))
    assert (body["thisPath"], body["parentPath"], body["extIni"]) == ("ivr2:/", "", {"type": "menu"})
    assert "ext.ini" in names(body["ini"])  # the default fixture's root is a menu
    assert {"1", "2", "YMGRLangs"} <= set(names(body["dirs"]))
    error(api(emulator, "GetIVR2Dir", path="ivr2:/nowhere"), "extension does not exist")
    error(api(emulator, "GetIVR2Dir", path="ivr2:/1/ext.ini"), "extension does not exist")


def test_get_ivr2_dir_orders_and_pages_files(frozen_at_start):
    emulator = frozen_at_start
    for name, size in (("b.tts", 3), ("a.tts", 1), ("c.tts", 2)):
        ok(api(emulator, "UploadTextFile", what=f"ivr2:/2/{name}", contents="x" * size))
    listing = lambda **params: names(api(emulator, "GetIVR2Dir", path="2", **params)["files"])  # noqa: E731
    assert listing() == ["000.wav", "001.wav", "a.tts", "b.tts", "c.tts"]
    assert listing(orderBy="size", orderDir="desc", filesLimit=2) == ["000.wav", "001.wav"]
    assert listing(orderBy="size", filesFrom=1, filesLimit=3) == ["c.tts", "b.tts", "000.wav"]


def test_get_ivr2_dir_stats_min_and_max_numbered_messages(emulator):
    body = ok(api(emulator, "GetIVR2DirStats", path="ivr2:2"))
    assert (body["type"], body["thisPath"], body["dirsCount"], body["filesCount"], body["contentFilesCount"]) == (
        None,
        "ivr2:/2",
        0,
        2,
        2,
    )
    assert (body["minFile"]["name"], body["maxFile"]["name"], body["maxFile"]["path"]) == (
        "000.wav",
        "001.wav",
        "/2/001.wav",
    )
    ok(api(emulator, "UpdateExtension", path="ivr2:/empty"))
    empty = ok(api(emulator, "GetIVR2DirStats", path="/empty"))
    assert (empty["minFile"], empty["maxFile"], empty["filesCount"]) == (None, None, 0)


def test_get_file_for_a_file_a_folder_and_nothing(emulator):
    assert ok(api(emulator, "GetFile", what="ivr2:/1/ext.ini"))["file"]["fileType"] == "INI"
    assert ok(api(emulator, "GetFile", what="ivr2:1"))["file"]["fileType"] == "EXT"
    error(api(emulator, "GetFile", what="ivr2:/1/none.wav"), "file does not exist")


def test_check_if_folder_exists(emulator):
    assert api(emulator, "CheckIfFolderExists", path="ivr2:/1") == {
        "responseStatus": "OK",
        "folderExists": True,
        "path": "ivr/1",
        **VERSION,
    }
    body = api(emulator, "CheckIfFolderExists", path="ivr2:/1/ext.ini")
    assert (body["folderExists"], body["path"]) == (False, "ivr/1/ext.ini")
    assert "folderExists" not in api(emulator, "CheckIfFolderExists", path="ivr2:/../x")


def test_file_action_copy_move_delete_are_reflected_in_listings(emulator):
    body = ok(api(emulator, "FileAction", action="copy", what="ivr2:/2/000.wav", target="ivr2:/1"))
    assert body == {
        "responseStatus": "OK",
        "action": "copy",
        "success": True,
        "message": "",
        "reports": [{"what": "ivr2:/2/000.wav", "target": "ivr2:/1/000.wav", "success": True}],
        **VERSION,
    }
    # A numbered message pasted into a folder takes that folder's next number.
    body = ok(api(emulator, "FileAction", action="move", what0="ivr2:/2/000.wav", what1="2/001.wav", target="1"))
    assert [report["target"] for report in body["reports"]] == ["ivr2:/1/001.wav", "ivr2:/1/002.wav"]
    assert names(api(emulator, "GetIVR2Dir", path="1")["files"]) == ["000.wav", "001.wav", "002.wav"]
    assert api(emulator, "GetIVR2Dir", path="2")["files"] == []
    # Rename: a target that is not a folder is the new path.
    ok(api(emulator, "FileAction", action="move", what="ivr2:/1/002.wav", target="ivr2:/1/renamed.wav"))
    assert "renamed.wav" in names(api(emulator, "GetIVR2Dir", path="1")["files"])
    ok(api(emulator, "FileAction", action="delete", what="ivr2:/1/renamed.wav"))
    assert "renamed.wav" not in names(api(emulator, "GetIVR2Dir", path="1")["files"])


def test_file_action_deleting_a_folder_removes_its_ext_ini(emulator):
    ok(api(emulator, "FileAction", action="delete", what="ivr2:/1"))
    assert api(emulator, "CheckIfFileExists", path="ivr2:/1/ext.ini")["fileExists"] is False
    assert api(emulator, "CheckIfFolderExists", path="ivr2:/1")["folderExists"] is False


def test_file_action_failures_are_reported_per_source(emulator):
    body = ok(api(emulator, "FileAction", action="delete", what="ivr2:/2/000.wav", what0="ivr2:/2/nothing.wav"))
    assert (body["success"], body["message"]) == (False, "file does not exist")
    assert [report["success"] for report in body["reports"]] == [True, False]
    error(api(emulator, "FileAction", what="ivr2:/2/001.wav", target="1"), "missing required parameter 'action'")
    error(api(emulator, "FileAction", action="copy", what="ivr2:/2/001.wav"), "missing required parameter 'target'")
    error(api(emulator, "FileAction", action="delete"), "missing required parameter 'what'")
    body = ok(api(emulator, "FileAction", action="move", what="ivr2:/1", target="ivr2:/1/inner"))
    assert (body["success"], body["message"]) == (False, "path is invalid")


def test_text_files_round_trip_and_refuse_binary(emulator):
    ok(api(emulator, "UploadTextFile", what="ivr2:/1/050.tts", contents="שלום עולם"))
    body = ok(api(emulator, "GetTextFile", what="ivr/1/050.tts"))
    assert body["contents"] == "שלום עולם" and body["file"]["size"] == len("שלום עולם".encode())
    ok(api(emulator, "UploadTextFile", what="ivr2:/1/050.tts", contents=""))
    assert api(emulator, "GetTextFile", what="ivr2:/1/050.tts")["contents"] == ""
    error(api(emulator, "GetTextFile", what="ivr2:/1/none.ini"), "file does not exist")
    error(api(emulator, "UploadTextFile", what="ivr2:/1/x.ini"), "missing required parameter 'contents'")


def test_get_text_file_of_binary_bytes(emulator):
    files = {"file": ("a.wav", b"\xff\xfe\xfd")}
    emulator.yemot.post("UploadFile", data={"token": emulator.yemot_token, "path": "ivr2:/1/bin.wav"}, files=files)
    error(api(emulator, "GetTextFile", what="ivr2:/1/bin.wav"), "file is not a text file")


def test_upload_text_file_into_a_missing_extension_is_ok_and_writes_nothing(emulator):
    ok(api(emulator, "UploadTextFile", what="ivr2:/Phone/0501234567/000.tts", contents="x"))
    assert api(emulator, "CheckIfFolderExists", path="ivr2:/Phone")["folderExists"] is False


def test_upload_text_file_works_as_get_with_contents_in_the_query(emulator):
    params = {"token": emulator.yemot_token, "what": "ivr2:/1/q.ini", "contents": "a=1\nb=2"}
    assert emulator.yemot.get("UploadTextFile", params=params).json()["responseStatus"] == "OK"
    assert api(emulator, "GetTextFile", what="ivr2:/1/q.ini")["contents"] == "a=1\nb=2"


def test_update_extension_creates_and_merges(emulator):
    ok(api(emulator, "UpdateExtension", path="ivr2:NIT/deep"))
    assert api(emulator, "CheckIfFolderExists", path="ivr2:/NIT")["folderExists"] is True
    ok(api(emulator, "UpdateExtension", path="ivr2:/1", api_link="http://x.test/", api_url_post="yes"))
    assert api(emulator, "GetTextFile", what="ivr2:/1/ext.ini")["contents"] == (
        "type=menu\ntitle=שלוחה 1\napi_link=http://x.test/\napi_url_post=yes\n"
    )
    ok(api(emulator, "UpdateExtension", path="ivr2:/1", api_url_post="", vm=True))  # empty = not sent
    assert api(emulator, "GetIVR2Dir", path="1")["extIni"] == {
        "type": "menu",
        "title": "שלוחה 1",
        "api_link": "http://x.test/",
        "api_url_post": "yes",
        "vm": "yes",
    }
    error(api(emulator, "UpdateExtension", path="ivr2:/1", title="a\nb"), "invalid value for setting 'title'")
    error(api(emulator, "UpdateExtension", path="ivr2:/1", **{"bad key": "x"}), "invalid value for setting 'bad key'")


def test_get_ivr_tree_nests_folders(emulator):
    ok(api(emulator, "UpdateExtension", path="ivr2:/1/2/3", type="menu"))
    tree = ok(api(emulator, "GetIvrTree", path="ivr2:1"))["tree"]
    assert (tree["what"], tree["extType"], tree["filesCount"]) == ("ivr2:/1", "menu", 1)
    assert tree["dirs"][0]["dirs"][0] == {
        "name": "3",
        "what": "ivr2:/1/2/3",
        "extType": "menu",
        "extTitle": None,
        "filesCount": 1,
        "dirs": [],
    }


def test_music_on_hold_classes(emulator):
    assert ok(api(emulator, "CreateMusicOnHolds", name="calm", folderPath="ivr2:/2"))["status"] == "OK"
    ok(api(emulator, "CreateMusicOnHolds", name="alt", folderPath="/2"))
    assert api(emulator, "GetMusicOnHoldByPath", path="ivr2:2")["data"] == "alt,calm"
    ok(api(emulator, "DeleteMusicOnHolds", name="calm"))
    assert api(emulator, "GetMusicOnHoldByPath", path="ivr2:2")["data"] == "alt"
    assert api(emulator, "GetMusicOnHoldByPath", path="ivr2:1")["data"] == ""
    error(api(emulator, "DeleteMusicOnHolds", name="calm"), "music on hold does not exist")
    error(api(emulator, "CreateMusicOnHolds", name="a b", folderPath="/2"), "name is invalid")
    error(api(emulator, "CreateMusicOnHolds", name="x", folderPath="/none"), "extension does not exist")


def test_download_of_a_missing_file_is_404_with_the_json_envelope(emulator):
    response = download(emulator, "ivr2:/1/none.wav")
    assert (response.status_code, response.headers["content-type"]) == (404, JSON)
    assert response.json() == {"responseStatus": "ERROR", "message": "file does not exist", **VERSION}
    assert download(emulator, "ivr2:/1").status_code == 404


@pytest.mark.parametrize("path", ["ivr2:/FaxTest.pdf", "ivr2:FaxTest.pdf", "ivr/FaxTest.pdf", "/FaxTest.pdf"])
def test_download_any_spelling(emulator, path):
    response = download(emulator, path)
    assert (response.status_code, response.headers["content-type"]) == (200, "application/octet-stream")
    assert response.content.startswith(b"%PDF-1.4")


def test_download_style_refusals_never_answer_200(emulator):
    assert download(emulator, "ivr2:/FaxTest.pdf", token="bad").status_code == 404
    response = download(emulator, "x", method="DownloadSomethingElse")
    assert (response.status_code, response.json()["message"]) == (404, "method 'DownloadSomethingElse' does not exist")


def test_template_paths_resolve_to_the_root_files(emulator):
    ok(api(emulator, "UploadTextFile", what="tpl:42:tts", contents="message text"))
    assert api(emulator, "GetTextFile", what="ivr2:/42.tts")["contents"] == "message text"
    files = {"file": ("x.wav", b"voice")}
    emulator.yemot.post("UploadFile", data={"token": emulator.yemot_token, "path": "42.wav"}, files=files)
    assert download(emulator, "tpl:42").content == b"voice"


def test_move_on_file_task_and_render_ymgr_read_the_same_tree(emulator):
    ok(api(emulator, "UploadTextFile", what="ivr2:/rep.ymgr", contents="A#1%B#2\n"))
    assert api(emulator, "RenderYMGRFile", wath="ivr/rep.ymgr", notLoadLang=1)["data"] == [{"A": "1", "B": "2"}]


def test_numbered_sources_and_extension_keys_are_defined_parameters(emulator):
    api(emulator, "FileAction", action="delete", what0="ivr2:/2/000.wav", what1="ivr2:/2/001.wav")
    api(emulator, "UpdateExtension", path="ivr2:/9", type="menu", api_link="http://x.test/")
    api(emulator, "GetIVR2Dir", path="ivr2:/9", colour="red")
    warnings = [entry["warnings"] for entry in emulator.journal(api="yemot")[-3:]]
    assert warnings[:2] == [[], []]
    assert warnings[2] and "colour" in warnings[2][0]
