"""CheckIfFileExists and RenderYMGRFile over the wire (fixture files of the default system)."""

from __future__ import annotations

import pytest

JSON = "application/json; charset=utf-8"
BINARY = "application/octet-stream"


def get(emulator, method: str, **params):
    return emulator.yemot.get(method, params={"token": emulator.yemot_token, **params})


@pytest.mark.parametrize("path", ["ivr2:/1/ext.ini", "ivr2:1/ext.ini", "ivr/1/ext.ini"])
def test_check_if_file_exists_accepts_the_three_path_forms(emulator, path):
    body = get(emulator, "CheckIfFileExists", path=path).json()
    assert (body["responseStatus"], body["fileExists"], body["path"]) == ("OK", True, "ivr/1/ext.ini")


@pytest.mark.parametrize(("path", "shown"), [("ivr2:/1/nothing.wav", "ivr/1/nothing.wav"), ("ivr2:/1", "ivr/1")])
def test_check_if_file_exists_missing_file_or_folder_is_false(emulator, path, shown):
    body = get(emulator, "CheckIfFileExists", path=path).json()
    assert (body["fileExists"], body["path"]) == (False, shown)


def test_check_if_file_exists_path_outside_the_tree_is_refused(emulator):
    body = get(emulator, "CheckIfFileExists", path="ivr2:/../etc/passwd").json()
    assert (body["responseStatus"], body["message"]) == ("ERROR", "path is invalid")


def test_check_if_file_exists_without_path_is_refused(emulator):
    body = get(emulator, "CheckIfFileExists").json()
    assert (body["responseStatus"], body["message"]) == ("ERROR", "missing required parameter 'path'")


def test_render_ymgr_file_json_translates_columns_with_the_system_and_folder_layers(emulator):
    response = get(emulator, "RenderYMGRFile", wath="ivr2:/ymgtTest.ymgr", convertType="json")
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert body["responseStatus"] == "OK" and body["yALogsVersion"] == "1.0"
    assert body["data"] == [
        {"Date": "01/11/2026", "Time": "10:15:02", "טלפון": "0527777701", "הקשות": "1"},
        {"Date": "02/11/2026", "Time": "18:40:51", "טלפון": "0527777702", "הקשות": "2"},
    ]


def test_render_ymgr_file_language_layer_sits_below_the_plain_layer(emulator):
    body = get(emulator, "RenderYMGRFile", wath="ivr2:/ymgtTest.ymgr", convertType="json", renderLanguage="EN").json()
    # YMGRLangs/EN renames Date and Digits; YMGRLangs/ymgtTest.ini overrides Digits again.
    assert list(body["data"][0]) == ["Day", "Time", "טלפון", "הקשות"]


def test_render_ymgr_file_not_load_lang_gives_raw_columns(emulator):
    body = get(emulator, "RenderYMGRFile", wath="ivr2:ymgtTest.ymgr", convertType="json", notLoadLang=1).json()
    assert list(body["data"][0]) == ["Date", "Time", "Phone", "Digits"]


def test_render_ymgr_file_csv_is_binary(emulator):
    response = get(emulator, "RenderYMGRFile", wath="ivr2:/ymgtTest.ymgr", convertType="csv", notLoadLang=1)
    assert response.status_code == 200 and response.headers["content-type"] == BINARY
    assert response.content.decode("utf-8").split("\r\n") == [
        "Date,Time,Phone,Digits",
        "01/11/2026,10:15:02,0527777701,1",
        "02/11/2026,18:40:51,0527777702,2",
        "",
    ]


def test_render_ymgr_file_html_is_binary_table(emulator):
    response = get(emulator, "RenderYMGRFile", wath="ivr2:/ymgtTest.ymgr", convertType="html")
    assert response.headers["content-type"] == BINARY
    page = response.content.decode("utf-8")
    assert "<th>טלפון</th>" in page and page.count("<tr>") == 3


@pytest.mark.parametrize(
    ("wath", "message"),
    [
        ("ivr2:/missing.ymgr", "file does not exist"),
        ("ivr2:/1/ext.ini", "file is not a ymgr file"),
        ("ivr2:/../x.ymgr", "path is invalid"),
    ],
)
def test_render_ymgr_file_errors_are_json_even_for_csv(emulator, wath, message):
    response = get(emulator, "RenderYMGRFile", wath=wath, convertType="csv")
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert (body["responseStatus"], body["message"]) == ("ERROR", message)


def test_render_ymgr_file_unknown_convert_type_is_refused(emulator):
    body = get(emulator, "RenderYMGRFile", wath="ivr2:/ymgtTest.ymgr", convertType="pdf").json()
    assert body["responseStatus"] == "ERROR"
    assert body["message"].startswith("invalid value for parameter 'convertType'")
