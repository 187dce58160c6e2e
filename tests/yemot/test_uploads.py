"""UploadFile over the wire: simple and chunked protocols, numbering, conversion, every documented error."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest
from yemot_wire import VERSION, api

JSON = "application/json; charset=utf-8"


def wav(rate: int = 44100, channels: int = 2, seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        frame = lambda i: struct.pack("<h", int(6000 * math.sin(i / 9))) * channels  # noqa: E731
        writer.writeframes(b"".join(frame(i) for i in range(int(rate * seconds))))
    return out.getvalue()


def upload(emulator, data: bytes = b"hello", name: str = "x.wav", field: str = "file", query: str = "", **form):
    form = {"token": emulator.yemot_token, **{k: str(v) for k, v in form.items()}}
    files = {field: (name, data)} if field else None
    return emulator.yemot.post(f"UploadFile{query}", data=form, files=files)


def download(emulator, path: str):
    return emulator.yemot.get("DownloadFile", params={"token": emulator.yemot_token, "path": path})


def test_simple_upload_stores_the_file_at_the_full_path(emulator):
    response = upload(emulator, b"RIFF-not-really", path="ivr2:5/000.wav")
    assert response.headers["content-type"] == JSON
    assert response.json() == {"responseStatus": "OK", "path": "ivr/5/000.wav", "size": 15, "success": True, **VERSION}
    got = download(emulator, "ivr/5/000.wav")
    assert (got.status_code, got.headers["content-type"]) == (200, "application/octet-stream")
    assert got.content == b"RIFF-not-really"


@pytest.mark.parametrize("path", ["ivr2:/7/a.tts", "ivr2:7/a.tts", "ivr/7/a.tts", "/7/a.tts", "7/a.tts"])
def test_every_path_spelling_lands_in_one_place(emulator, path):
    assert upload(emulator, b"text", name="a.tts", path=path).json()["path"] == "ivr/7/a.tts"
    assert api(emulator, "CheckIfFileExists", path="ivr2:/7/a.tts")["fileExists"] is True


def test_auto_numbering_counts_up_per_folder(emulator):
    numbered = dict(path="ivr2:9/", autoNumbering="true")
    paths = [upload(emulator, b"x", name="any.wav", **numbered).json()["path"] for _ in range(3)]
    assert paths == ["ivr/9/000.wav", "ivr/9/001.wav", "ivr/9/002.wav"]
    assert upload(emulator, b"t", name="t.txt", tts=1, **numbered).json()["path"] == "ivr/9/003.tts"
    assert upload(emulator, b"x", path="ivr2:/8", autoNumbering="true").json()["path"] == "ivr/8/000.wav"


def test_auto_numbering_continues_after_the_highest_number(emulator):
    # The fixture holds 2/000.wav and 2/001.wav.
    assert upload(emulator, b"x", path="ivr2:/2", autoNumbering="true").json()["path"] == "ivr/2/002.wav"


def test_name_without_extension_is_a_folder(emulator):
    assert upload(emulator, b"x", path="ivr2:5/000").json()["path"] == "ivr/5/000/000.wav"


def test_convert_audio_makes_8khz_mono_16bit_wav(emulator):
    source = wav(rate=44100, channels=2, seconds=0.5)
    body = upload(emulator, source, name="in.wav", path="ivr2:4/song.wav", convertAudio=1).json()
    assert (body["path"], body["size"], body["duration"]) == ("ivr/4/song.wav", len(source), 0.5)
    stored = download(emulator, "ivr2:4/song.wav").content
    assert body["convertedSize"] == len(stored)
    with wave.open(io.BytesIO(stored)) as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth(), reader.getnframes()) == (
            8000,
            1,
            2,
            4000,
        )


def test_convert_audio_renames_other_audio_to_wav_and_keeps_undecodable_bytes(emulator):
    body = upload(emulator, wav(rate=16000, channels=1), name="a.wav", path="ivr2:4/a.ogg", convertAudio=1).json()
    assert body["path"] == "ivr/4/a.wav"
    body = upload(emulator, b"not audio at all", name="b.mp3", path="ivr2:4/b.mp3", convertAudio=1).json()
    assert body == {"responseStatus": "OK", "path": "ivr/4/b.mp3", "size": 16, "success": True, **VERSION}
    assert download(emulator, "ivr2:4/b.mp3").content == b"not audio at all"


def test_uploaded_wav_reports_its_duration_in_listings(emulator):
    upload(emulator, wav(rate=8000, channels=1, seconds=2.0), path="ivr2:4/000.wav")
    entry = api(emulator, "GetIVR2Dir", path="ivr2:4")["files"][0]
    assert (entry["name"], entry["duration"], entry["durationStr"], entry["source"]) == ("000.wav", 2.0, "00:02", "api")


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"field": None, "path": "ivr2:1/x.wav"}, 107, "File upload expected"),
        ({"field": "other", "path": "ivr2:1/x.wav"}, 107, "File upload expected"),
        ({}, 109, "path is required"),
        ({"path": ""}, 109, "path is required"),
        ({"path": "ivr2:zztest/"}, 110, "path is invalid"),
        ({"path": "ivr2:1"}, 110, "path is invalid"),  # an existing folder
        ({"path": "ivr2:/"}, 110, "path is invalid"),
        ({"path": "ivr2:../x.wav"}, 110, "path is invalid"),
        ({"path": "ivr2:1/x.exe"}, 110, "path is invalid"),
    ],
)
def test_documented_errors(emulator, kwargs, code, message):
    body = upload(emulator, **kwargs).json()
    assert body == {
        "responseStatus": "ERROR",
        "message": message,
        "messageCode": code,
        "success": False,
        "error": message,
        **VERSION,
    }


def test_two_files_in_one_request_is_108(emulator):
    files = [("file", ("a.wav", b"a")), ("file", ("b.wav", b"b"))]
    form = {"token": emulator.yemot_token, "path": "ivr2:1/a.wav"}
    body = emulator.yemot.post("UploadFile", data=form, files=files).json()
    assert (body["messageCode"], body["message"], body["success"]) == (108, "Only single upload per request", False)
    logged = emulator.journal(operation="UploadFile")[-1]["params"]["file"]
    assert logged == [{"file": "a.wav", "size": 1}, {"file": "b.wav", "size": 1}]


def test_over_the_single_request_cap_is_105(emulator, monkeypatch):
    from emulator.yemot.services import uploads

    monkeypatch.setattr(uploads, "SINGLE_UPLOAD_MAX", 10)
    body = upload(emulator, b"x" * 11, path="ivr2:1/big.wav").json()
    assert (body["messageCode"], body["message"]) == (105, "System error")


def test_quota_is_105_and_keeps_the_tree(emulator):
    emulator.app.state.emulator.world.yemot.systems["0773137770"].tree.quota_bytes = 2000
    body = upload(emulator, b"x" * 5000, path="ivr2:1/big.wav").json()
    assert (body["messageCode"], body["message"]) == (105, "System error")
    assert api(emulator, "CheckIfFileExists", path="ivr2:1/big.wav")["fileExists"] is False


# -- chunked ------------------------------------------------------------------------------------------


def send_parts(emulator, data: bytes, parts: int, uuid: str = "u-1", order=None, name="big.pdf", **form):
    size = -(-len(data) // parts)
    chunks = [data[i * size : (i + 1) * size] for i in range(parts)]
    for index in order or range(parts):
        reply = upload(
            emulator,
            chunks[index],
            name="blob",
            field="qqfile",
            qquuid=uuid,
            qqpartindex=index,
            qqpartbyteoffset=index * size,
            qqchunksize=len(chunks[index]),
            qqtotalparts=parts,
            qqtotalfilesize=len(data),
            qqfilename=name,
            uploader="yemot-admin",
            **form,
        ).json()
        assert reply == {"responseStatus": "OK", "success": True, **VERSION}


def finish(emulator, uuid: str = "u-1", total: int = 0, parts: int = 3, name="big.pdf", **form):
    fields = {"qquuid": uuid, "qqfilename": name, "qqtotalfilesize": total, "qqtotalparts": parts, **form}
    return upload(emulator, field=None, query="?done", **fields).json()


def test_chunked_upload_of_three_parts_is_reassembled_byte_exact(emulator):
    data = bytes(range(256)) * 40 + b"tail"
    send_parts(emulator, data, 3, order=[2, 0, 1, 1], path="ivr2:zztest/")
    body = finish(emulator, total=len(data), path="ivr2:zztest/")
    assert body == {"responseStatus": "OK", "path": "ivr/zztest/big.pdf", "size": len(data), "success": True, **VERSION}
    assert download(emulator, "ivr2:zztest/big.pdf").content == data


def test_chunked_audio_nests_unless_auto_numbered(emulator):
    data = wav(rate=8000, channels=1)
    send_parts(emulator, data, 2, uuid="a", name="000.wav", path="ivr2:zz")
    assert finish(emulator, "a", len(data), 2, name="000.wav", path="ivr2:zz")["path"] == "ivr/zz/000/000.wav"
    send_parts(emulator, data, 2, uuid="b", name="song.wav", path="ivr2:zz/", autoNumbering="true")
    body = finish(emulator, "b", len(data), 2, name="song.wav", path="ivr2:zz/", autoNumbering="true")
    assert body["path"] == "ivr/zz/000.wav"


def test_chunked_done_errors(emulator):
    assert finish(emulator, "never", 10, path="ivr2:1")["messageCode"] == 107
    send_parts(emulator, b"abcdef", 3, uuid="gap", order=[0, 2], path="ivr2:1")
    assert finish(emulator, "gap", 6, path="ivr2:1")["message"] == "File upload expected"
    assert finish(emulator, "gap", 6)["messageCode"] == 109


def test_abandoned_chunked_upload_expires_on_the_emulator_clock(emulator):
    emulator.freeze("2026-03-01T08:00:00Z")
    send_parts(emulator, b"abcdef", 3, uuid="late", order=[0, 1, 2], path="ivr2:1")
    emulator.advance(3601)
    body = finish(emulator, "late", 6, path="ivr2:1")
    assert (body["messageCode"], body["success"]) == (107, False)
