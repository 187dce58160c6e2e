"""What a caller heard, as sound: ``GET /calls/{id}/audio`` (the whole call as one WAV, its prompts in
order) and ``GET /calls/{id}/audio/{index}`` (one ``play`` entry of the transcript).

Uploaded prompts of a Yemot IVR tree are played as they are: an entry that is one uploaded file is
answered with the file's own bytes and type; inside a longer entry or the whole call it is decoded
to telephony WAV in a worker thread. Everything else a platform says - TTS text, digits, numbers,
dates, system messages (Yemot's Hebrew texts; Simotel's Persian sayings, announcement names) - is
spoken by espeak-ng (``admin/speech``) in the platform's language. Hold music and prompts the
emulator has no sound for are silence of their length. Without espeak-ng an answer that needs
speech is a 503 saying how to install it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.admin import call_lookup, speech
from emulator.admin.http import BadRequest, NotFound, guarded
from emulator.core.media import wav
from emulator.core.sim.walks import WalkView

GAP_S = 0.25  # between two entries of a whole call
MAX_SILENCE_S = 30.0  # hold music or an unknown prompt is at most this much silence
MEDIA = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac", "aac": "audio/aac",
         "m4a": "audio/mp4", "gsm": "audio/gsm", "wma": "audio/x-ms-wma"}  # fmt: skip
SPELLED = {"digits", "alpha"}
QUIET = {"music_on_hold", "go_to_folder"}


def _found(request: Request) -> WalkView:
    found = call_lookup.requested(request)
    if found.transcript is None:
        raise NotFound(f"call {found.id} walks no IVR: there is nothing it heard")
    return found


def _words(found: WalkView, part: dict[str, Any]) -> str:
    """What espeak-ng says for a part ("" for none): the platform's own words where it has them."""
    said = found.words(part)
    if said is not None:
        return said
    kind = str(part.get("type", ""))
    data = str(part.get("data", part.get("name", "")) or "")
    if kind in SPELLED:
        return " ".join(data)
    if kind in ("file", "tts_file"):
        return str(part.get("text") or "")
    if kind in QUIET:
        return ""
    return data  # text, numbers, dates; Simotel's announcements and sounds say their names


async def _part(found: WalkView, part: dict[str, Any], seconds: float) -> bytes:
    uploaded = found.prompt(part)
    if uploaded is not None:
        try:
            return await asyncio.to_thread(wav.pcm, uploaded[0])
        except wav.WavError:
            return wav.silence(min(seconds, MAX_SILENCE_S))
    words = _words(found, part)
    if not words:
        return wav.silence(min(seconds, MAX_SILENCE_S))
    return await speech.SPEAKER.speak(found.voice, words)


async def _entry(found: WalkView, data: dict[str, Any]) -> list[bytes]:
    parts = [part for part in data.get("parts", []) if isinstance(part, dict)]
    whole = float(data.get("seconds") or 0.0)
    return [await _part(found, part, float(part.get("seconds", whole / max(1, len(parts))))) for part in parts]


class Unavailable(BadRequest):
    """Sound that needs speech while espeak-ng is missing or failing; answered with 503."""

    status = 503


async def _pieces(found: WalkView, entries: list[Any]) -> list[bytes]:
    try:
        pieces: list[bytes] = []
        for entry in entries:
            pieces += [*await _entry(found, entry.data), wav.silence(GAP_S)]
        return pieces
    except speech.NoSpeech as exc:
        raise Unavailable(str(exc), install=speech.INSTALL_HINT) from exc


async def call_audio(request: Request) -> Response:
    """The whole call as one telephony WAV: every ``play`` entry in order, a short gap between."""
    found = _found(request)
    pieces = await _pieces(found, [entry for entry in found.transcript.entries if entry.kind == "play"])
    body = await asyncio.to_thread(wav.build, pieces)
    return Response(body, media_type="audio/wav", headers={"Content-Disposition": f'inline; filename="{found.id}.wav"'})


async def entry_audio(request: Request) -> Response:
    """One ``play`` entry: an uploaded prompt as it is, anything else as telephony WAV."""
    found = _found(request)
    index = int(request.path_params["index"])
    entries = found.transcript.entries
    if not 0 <= index < len(entries) or entries[index].kind != "play":
        raise NotFound(f"entry {index} of call {found.id} is not something the caller heard")
    parts = entries[index].data.get("parts", [])
    uploaded = found.prompt(parts[0]) if len(parts) == 1 and isinstance(parts[0], dict) else None
    if uploaded is not None and uploaded[1] in MEDIA:
        return Response(uploaded[0], media_type=MEDIA[uploaded[1]])
    pieces = await _pieces(found, [entries[index]])
    return Response(await asyncio.to_thread(wav.build, pieces[:-1]), media_type="audio/wav")


routes = [
    Route("/calls/{id}/audio", guarded(call_audio), methods=["GET"]),
    Route("/calls/{id}/audio/{index:int}", guarded(entry_audio), methods=["GET"]),
]
