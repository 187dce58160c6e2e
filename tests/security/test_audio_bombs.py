"""Audio bombs: a header promising hours of audio is refused before anything is decoded; nothing is
decoded without ``convertAudio``; conversion runs off the event loop (issue: a 55-byte FLAC became a
320 MB WAV and stalled the server; a chunked upload decoded even without ``convertAudio``)."""

from __future__ import annotations

import asyncio

import pytest
from audio_bombs import flac, hostile_audio, wav

from emulator.core.media import audio

TOKEN = "0773137770:1234"
VERSION = {"yemotAPIVersion": 6, "yAfastVersion": "6.6.156"}
REFUSED = {
    "responseStatus": "ERROR",
    "message": "System error",
    "messageCode": 105,
    "success": False,
    "error": "System error",
    **VERSION,
}


def _upload(emulator, data: bytes, name: str, path: str, **form):
    fields = {"token": TOKEN, "path": path, **{key: str(value) for key, value in form.items()}}
    return emulator.yemot.post("UploadFile", data=fields, files={"file": (name, data)})


def _chunked(emulator, data: bytes, name: str, folder: str, **form):
    part = {"qquuid": "bomb", "qqpartindex": 0, "qqtotalparts": 1, "qqtotalfilesize": len(data), "qqfilename": name}
    fields = {"token": TOKEN, "path": folder, **{key: str(value) for key, value in {**part, **form}.items()}}
    assert emulator.yemot.post("UploadFile", data=fields, files={"qqfile": (name, data)}).json()["success"] is True
    return emulator.yemot.post("UploadFile?done", data=fields)


def _exists(emulator, path: str) -> bool:
    return emulator.yemot.get("CheckIfFileExists", params={"token": TOKEN, "path": path}).json()["fileExists"]


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if anything is decoded (the header is all a refusal may read)."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("audio was decoded")

    monkeypatch.setattr(audio.miniaudio, "stream_memory", refuse)
    monkeypatch.setattr(audio.miniaudio, "decode", refuse)


@pytest.mark.parametrize(("name", "data"), [("bomb.flac", flac(rate=1)), ("bomb.wav", wav(rate=1))])
def test_a_1_hz_file_with_convert_audio_is_refused_from_its_header(emulator, no_decoding, name, data):
    assert len(data) in (55, 244)  # the two files
    response = _upload(emulator, data, name, "ivr2:7/bomb.wav", convertAudio=1)
    assert (response.status_code, response.json()) == (200, REFUSED)
    assert not _exists(emulator, "ivr2:7/bomb.wav")


def test_a_header_promising_more_than_an_hour_is_refused_before_decoding(emulator, no_decoding):
    two_hours = flac(rate=8000, frames=0, total=2 * 3600 * 8000)
    assert _upload(emulator, two_hours, "long.flac", "ivr2:7/long.wav", convertAudio=1).json() == REFUSED


def test_the_cap_follows_the_upload_cap(emulator_factory, no_decoding):
    emulator = emulator_factory(max_upload_bytes=64 * 1024)
    assert audio.decoded_cap(64 * 1024) == 256 * 1024  # 4x the upload cap, below an hour at 8 kHz
    ten_seconds = flac(rate=8000, frames=0, total=10 * 8000)  # 160,044 bytes converted: within
    twenty_seconds = flac(rate=8000, frames=0, total=20 * 8000)  # 320,044 bytes: over
    assert _upload(emulator, twenty_seconds, "a.flac", "ivr2:7/a.wav", convertAudio=1).json() == REFUSED
    with pytest.raises(AssertionError, match="audio was decoded"):  # (within the cap it gets decoded)
        _upload(emulator, ten_seconds, "b.flac", "ivr2:7/b.wav", convertAudio=1)


def test_a_stream_that_does_not_state_its_length_stops_at_the_cap(emulator, monkeypatch):
    three_hours = flac(rate=8000, frames=1320, total=0)  # 17 KB of constant frames, length not stated
    decoded: list[int] = []
    stream = audio.miniaudio.stream_memory

    def counted(*args, **kwargs):
        for block in stream(*args, **kwargs):
            decoded.append(len(block) * 2)
            yield block

    monkeypatch.setattr(audio.miniaudio, "stream_memory", counted)
    assert _upload(emulator, three_hours, "x.flac", "ivr2:7/x.wav", convertAudio=1).json() == REFUSED
    hour = audio.decoded_cap(64 * 1024 * 1024)
    assert hour < sum(decoded) <= hour + 2 * audio._BLOCK_FRAMES  # stopped one block past an hour, not three
    assert not _exists(emulator, "ivr2:7/x.wav")


def test_without_convert_audio_the_bytes_are_stored_unchanged_and_never_decoded(emulator, no_decoding):
    bomb = flac(rate=1)
    body = _upload(emulator, bomb, "bomb.flac", "ivr2:7/bomb.flac").json()
    assert (body["responseStatus"], body["size"], "convertedSize" in body) == ("OK", 55, False)
    got = emulator.yemot.get("DownloadFile", params={"token": TOKEN, "path": "ivr2:7/bomb.flac"})
    assert got.content == bomb


def test_a_chunked_upload_without_convert_audio_decodes_nothing(emulator, no_decoding):
    bomb = flac(rate=1, frames=100)
    body = _chunked(emulator, bomb, "bomb.flac", "ivr2:zz/").json()
    assert (body["responseStatus"], body["path"], body["size"]) == ("OK", "ivr/zz/bomb/000.wav", len(bomb))
    assert "duration" not in body and "convertedSize" not in body


def test_a_chunked_upload_with_convert_audio_is_refused_too(emulator, no_decoding):
    assert _chunked(emulator, flac(rate=1), "bomb.flac", "ivr2:zz/", convertAudio=1).json() == REFUSED
    assert not _exists(emulator, "ivr2:zz/bomb/000.wav")


def test_conversion_runs_in_a_worker_thread(emulator, monkeypatch):
    seen = []
    convert = audio.to_telephony_wav

    def spy(data: bytes, cap: int):
        try:
            asyncio.get_running_loop()
            seen.append("event loop")
        except RuntimeError:
            seen.append("worker")
        return convert(data, cap)

    monkeypatch.setattr(audio, "to_telephony_wav", spy)
    body = _upload(emulator, wav(rate=8000, samples=800, bits=16), "a.wav", "ivr2:7/a.wav", convertAudio=1).json()
    assert (body["responseStatus"], body["duration"], seen) == ("OK", 0.1, ["worker"])


@pytest.mark.parametrize("name", sorted(hostile_audio()))
def test_every_hostile_header_converts_or_is_refused_in_the_apis_shape(emulator, name):
    data = hostile_audio()[name]
    response = _upload(emulator, data, "in.wav", "ivr2:8/in.wav", convertAudio=1)
    assert response.status_code == 200
    body = response.json()
    assert body == REFUSED or body["responseStatus"] == "OK"
    if body["responseStatus"] == "OK" and "convertedSize" in body:
        assert body["convertedSize"] <= audio.decoded_cap(64 * 1024 * 1024)
