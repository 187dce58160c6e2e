"""``GET /__emulator__/calls/{id}/audio`` and ``/audio/{index}``: what the caller heard as sound -
uploaded prompts as they are, speech by espeak-ng, one WAV for the whole call, and a 503 that says
how to install espeak-ng when it is missing."""

from __future__ import annotations

import io
import math
import shutil
import struct
import time
import wave

import pytest
from softphone_helpers import SYSTEM, live_call

from emulator.admin import speech

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
if ESPEAK is None:
    print("tests/softphone/test_audio.py: speech checks skipped, espeak-ng is not installed")


def _tone(seconds: float = 1.0, rate: int = 16_000) -> bytes:
    """A 440 Hz WAV at 16 kHz (the emulator brings it to 8 kHz when it joins prompts)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        samples = (int(12_000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds)))
        writer.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return out.getvalue()


def _wav(data: bytes) -> tuple[int, int, float, bytes]:
    with wave.open(io.BytesIO(data)) as reader:
        frames = reader.readframes(reader.getnframes())
        return reader.getframerate(), reader.getnchannels(), reader.getnframes() / reader.getframerate(), frames


def _loudest(frames: bytes) -> int:
    return max((abs(sample) for (sample,) in struct.iter_unpack("<h", frames)), default=0)


def _prompt_call(client, tree: dict[str, bytes]) -> tuple[str, list[dict]]:
    for path, data in tree.items():
        response = client.put(f"yemot/systems/{SYSTEM}/files", params={"path": path}, content=data)
        assert response.status_code == 200, response.text
    call_id = live_call(client, "/7")
    transcript = client.get(f"calls/{call_id}").json()["transcript"]
    return call_id, transcript


def _play_index(transcript: list[dict], part_type: str) -> int:
    return next(i for i, e in enumerate(transcript) if e["kind"] == "play" and e["parts"][0]["type"] == part_type)


def test_an_uploaded_prompt_is_served_as_it_is_even_without_espeak(served, monkeypatch):
    client, _ = served
    monkeypatch.setattr(speech, "find_espeak", lambda: None)
    tone = _tone()
    call_id, transcript = _prompt_call(client, {"/7/ext.ini": b"type=playfile\n", "/7/000.wav": tone})
    response = client.get(f"calls/{call_id}/audio/{_play_index(transcript, 'file')}")
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    assert response.content == tone


@needs_espeak
def test_the_whole_call_is_one_wav_with_the_prompt_and_speech(served):
    client, _ = served
    call_id, _ = _prompt_call(
        client, {"/7/ext.ini": b"type=playfile\n", "/7/000.wav": _tone(), "/7/001.tts": "שלום".encode()}
    )
    deadline = time.monotonic() + 10  # (the clock runs: the TTS file plays once the tone has)
    while sum(e["kind"] == "play" for e in client.get(f"calls/{call_id}").json()["transcript"]) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    response = client.get(f"calls/{call_id}/audio")
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    rate, channels, seconds, frames = _wav(response.content)
    assert (rate, channels) == (8000, 1)
    assert seconds > 1.3  # the 1 s tone, the spoken TTS file, the gaps
    assert _loudest(frames[: 8000 * 2]) > 10_000  # the tone, first, at its own loudness


@needs_espeak
def test_tts_and_system_messages_are_spoken(served):
    client, _ = served
    call_id = live_call(client, "/")  # the root menu says M1000 (its Hebrew text)
    transcript = client.get(f"calls/{call_id}").json()["transcript"]
    index = _play_index(transcript, "system_message")
    response = client.get(f"calls/{call_id}/audio/{index}")
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    rate, _, seconds, frames = _wav(response.content)
    assert rate == 8000 and seconds > 1.0 and _loudest(frames) > 1000


def test_without_espeak_speech_is_a_503_that_says_how_to_install_it(served, monkeypatch):
    client, _ = served
    monkeypatch.setattr(speech, "find_espeak", lambda: None)
    monkeypatch.setattr(speech, "SPEAKER", speech.Speaker())  # (nothing cached)
    call_id, transcript = _prompt_call(client, {"/7/ext.ini": b"type=playfile\n", "/7/000.tts": "בדיקה".encode()})
    expected = {
        "error": f"sound needs espeak-ng, which is not installed: {speech.INSTALL_HINT}",
        "install": "apt-get install espeak-ng (Debian/Ubuntu) or brew install espeak-ng (macOS)",
    }
    for path in ("audio", f"audio/{_play_index(transcript, 'file')}"):
        response = client.get(f"calls/{call_id}/{path}")
        assert (response.status_code, response.json()) == (503, expected)


def test_entries_that_were_not_heard_and_unknown_calls_are_404(served):
    client, _ = served
    call_id = live_call(client, "/")
    response = client.get(f"calls/{call_id}/audio/0")  # the 'goto' of the answer
    assert (response.status_code, response.json()) == (
        404,
        {"error": f"entry 0 of call {call_id} is not something the caller heard"},
    )
    assert client.get("calls/call-999/audio").status_code == 404
    assert client.get(f"calls/{call_id}/audio/99999").status_code == 404
