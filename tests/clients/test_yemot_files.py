"""yemot 0.1.2 (PyPI): every file call it has - upload_file, download_file, template files, post_file, download.

The server is shared by the session, so each test writes into folders of its own (``c1``, ``c2``...).
"""

from __future__ import annotations

import pytest
import requests

pytest.importorskip("yemot")

from yemot.campaign import Campaign
from yemot.client import YemotError
from yemot.system import System

SYSTEM, PASSWORD = "0773137770", "1234"


def test_upload_file_then_download_file_round_trips_bytes(client, tmp_path):
    source = tmp_path / "greeting.wav"
    source.write_bytes(b"RIFF\x00\x01binary\xff")
    system = System(client)
    answer = system.upload_file(file_path=str(source), path="ivr2:/c1/000.wav")
    assert (answer["responseStatus"], answer["path"], answer["size"]) == ("OK", "ivr/c1/000.wav", 13)
    assert system.download_file("ivr2:/c1/000.wav") == source.read_bytes()


def test_upload_file_with_auto_numbering_into_a_folder(client, tmp_path):
    source = tmp_path / "a.wav"
    source.write_bytes(b"x")
    system = System(client)
    first = system.upload_file(file_path=str(source), path="ivr2:/c2/", auto_numbering=True)
    second = system.upload_file(file=str(source), path="ivr2:/c2/", auto_numbering="true", convert_audio=1)
    assert (first["path"], second["path"]) == ("ivr/c2/000.wav", "ivr/c2/001.wav")


def test_download_file_of_a_missing_file_raises_instead_of_returning_json(client):
    with pytest.raises(requests.HTTPError) as caught:
        System(client).download_file("ivr2:/c3/none.wav")
    assert caught.value.response.status_code == 404


def test_upload_errors_raise_with_the_documented_message(client, tmp_path):
    source = tmp_path / "a.wav"
    source.write_bytes(b"x")
    with pytest.raises(YemotError) as caught:
        System(client).upload_file(file_path=str(source), path="ivr2:/1")
    assert caught.value.payload["messageCode"] == 110


def test_template_files_upload_bare_and_download_again(client, tmp_path):
    voice, text = tmp_path / "v.wav", tmp_path / "t.tts"
    voice.write_bytes(b"voice-bytes")
    text.write_bytes("טקסט".encode())
    campaign = Campaign(client)
    assert campaign.upload_template_file(str(voice), "8801", "VOICE")["path"] == "ivr/8801.wav"
    campaign.upload_template_file(str(text), "8801", "SMS")
    campaign.upload_template_file(str(voice), None, "PRIVATE_MSG")
    assert campaign.download_template_file("8801", "VOICE") == b"voice-bytes"
    assert campaign.download_template_file("8801", "SMS") == "טקסט".encode()
    assert campaign.download_template_file(None, "PRIVATE_MSG") == b"voice-bytes"
    assert client.download("DownloadFile", {"path": "tpl:8801"}) == b"voice-bytes"


def test_generic_post_file_and_download(client, tmp_path):
    source = tmp_path / "x.tts"
    source.write_text("hello", encoding="utf-8")
    answer = client.post_file("UploadFile", file_path=str(source), data={"path": "ivr2:/c4/x.tts"})
    assert answer["path"] == "ivr/c4/x.tts"
    with source.open("rb") as handle:
        client.post_file("UploadFile", file_obj=("y.tts", handle), data={"path": "ivr2:/c4/y.tts"})
    assert client.download("DownloadFile", {"path": "ivr/c4/y.tts"}) == b"hello"
    listing = client.get("GetIVR2Dir", {"path": "ivr2:/c4"})
    assert [entry["name"] for entry in listing["files"]] == ["x.tts", "y.tts"]
    assert client.post("UploadTextFile", data={"what": "ivr2:/c4/z.ini", "contents": "a=1"})["responseStatus"] == "OK"
    assert client.get("GetTextFile", {"what": "ivr2:/c4/z.ini"})["contents"] == "a=1"
