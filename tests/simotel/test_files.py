"""Uploads (announcements, faxes, autodialer CSV and audio) and the fax download."""

from __future__ import annotations

import re

import pytest

UPLOADED = "1 file(s) uploaded successfully"


@pytest.fixture
def simotel(emulator):
    emulator.freeze("2023-07-19T11:05:41Z")  # 14:35:41 in Tehran
    return emulator


def _upload(emulator, service, name="announce.mp3", content=b"ID3audio", verb="POST"):
    response = emulator.simotel.request(verb, service, files={"file": (name, content)})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("service", "message", "pattern"),
    [
        ("pbx/announcements/upload", UPLOADED, r"file-20230719143541-\d{5}-announcemp3_\.wav"),
        ("pbx/faxes/upload", UPLOADED, r"sen_file-20230719143541-\d{5}-announcemp3_\.tiff"),
        ("autodialer/announcements/upload", "", r"file-20230719143541-\d{5}-announcemp3_\.wav"),
        ("autodialer/groups/upload", "", r"file-20230719143541-\d{5}-announcemp3\.csv"),
    ],
)
def test_upload_answers_generated_filename_and_documented_message(simotel, service, message, pattern):
    payload = _upload(simotel, service)
    assert payload["success"] == 1
    assert payload["message"] == message
    assert re.fullmatch(pattern, payload["data"]["filename"])


def test_upload_with_put_as_simotel_connect_sends_it_is_accepted(simotel):
    assert _upload(simotel, "pbx/faxes/upload", verb="PUT")["success"] == 1


def test_upload_without_file_part_is_missing_field(simotel):
    response = simotel.simotel.post("pbx/announcements/upload", files={"other": ("a.mp3", b"x")})
    assert response.json() == {"success": 0, "message": "Field 'file':value is missing", "data": None}


def test_upload_with_json_body_is_missing_field(simotel):
    response = simotel.simotel.post("pbx/announcements/upload", json={})
    assert response.json() == {"success": 0, "message": "Field 'file':value is missing", "data": None}


def test_fax_sent_from_upload_downloads_as_the_uploaded_bytes(simotel):
    filename = _upload(simotel, "pbx/faxes/upload", "contract.pdf", b"%PDF-1.4 page")["data"]["filename"]
    sent = simotel.simotel.post("pbx/faxes/add", json={"to": "02188776655", "file": filename, "trunk_name": "Cisco",
                                                       "ext": "101", "sender_id": "02155"})  # fmt: skip
    fax_id = sent.json()["data"]["_id"]
    body = {
        "alike": "false",
        "conditions": {"dst": "02188776655"},
        "pagination": {"start": 0, "count": 5, "sorting": {}},
    }
    (fax,) = simotel.simotel.post("pbx/faxes/search", json=body).json()["data"]["data"]
    assert fax["_id"] == fax_id
    assert (fax["type"], fax["status"], fax["src"], fax["trunk"], fax["channel"]) == (
        "outbox", "SENDING", "02155", "Cisco", "SIP/Cisco/101",
    )  # fmt: skip
    response = simotel.simotel.post("pbx/faxes/download", json={"_id": fax_id})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/tiff"
    assert response.content == b"%PDF-1.4 page"


def test_fax_sent_as_text_downloads_a_page(simotel):
    fax_id = simotel.simotel.post("pbx/faxes/add", json={"to": "021", "text": "سلام"}).json()["data"]["_id"]
    response = simotel.simotel.post("pbx/faxes/download", json={"_id": fax_id})
    assert response.status_code == 200
    assert "سلام".encode() in response.content


@pytest.mark.parametrize(
    "body", [{"to": "021"}, {"to": "021", "file": "nope.tiff"}, {"to": "021", "file": "x", "text": "y"}],
    ids=["neither", "not-uploaded", "both"],
)  # fmt: skip
def test_fax_add_needs_exactly_one_known_file_or_text(simotel, body):
    payload = simotel.simotel.post("pbx/faxes/add", json=body).json()
    assert payload == {"success": 0, "message": "Requested operation failed", "data": None}


@pytest.mark.parametrize("fax_id", ["0" * 24, "junk"])
def test_fax_download_unknown_id_answers_plain_404(simotel, fax_id):
    response = simotel.simotel.post("pbx/faxes/download", json={"_id": fax_id})
    assert response.status_code == 404
    assert response.content == b""


def test_group_added_from_uploaded_csv_counts_its_numbers(simotel):
    csv = "\ufeffnumber\n09121111111\n09352222222,Ali\n\n".encode()
    filename = _upload(simotel, "autodialer/groups/upload", "book1.csv", csv)["data"]["filename"]
    added = simotel.simotel.post("autodialer/groups/add", json={"name": "CSV", "filename": filename}).json()
    assert added["success"] == 1
    body = {"alike": "false", "conditions": {"name": "CSV"}, "pagination": {"start": 0, "count": 5, "sorting": {}}}
    (group,) = simotel.simotel.post("autodialer/groups/search", json=body).json()["data"]["data"]
    assert group["count"] == 2


def test_announcement_registered_from_upload_shows_file_data(simotel):
    filename = _upload(simotel, "autodialer/announcements/upload")["data"]["filename"]
    simotel.simotel.post("autodialer/announcements/add", json={"name": "welcome", "filename": filename})
    (item,) = simotel.simotel.post("autodialer/announcements/search", json={"alike": "1"}).json()["data"]
    assert item["fileData"] == {"filename": filename, "size": len(b"ID3audio")}
