"""Text spoken as audio with ``espeak-ng`` (Debian package ``espeak-ng``; voices ``he`` and ``fa``).

``speak(voice, text)`` runs ``espeak-ng -v <voice> --stdout --stdin`` as an asyncio subprocess
(the text goes in on stdin, never on the command line), at most ``MAX_RUNNING`` at once and each
for at most ``TIMEOUT_S``; the answer is PCM in the common format (``core/media/wav``). Results are kept
in an LRU cache by (voice, text), bounded in bytes. Without espeak-ng every call raises
``NoSpeech``, whose message says how to install it.
"""

from __future__ import annotations

import asyncio
import shutil
import weakref
from collections import OrderedDict

from emulator.core.media import wav

MAX_TEXT = 1000  # characters spoken of one text (the rest is cut)
TIMEOUT_S = 10.0
MAX_RUNNING = 2
CACHE_BYTES = 32 * 1024 * 1024
INSTALL_HINT = "apt-get install espeak-ng (Debian/Ubuntu) or brew install espeak-ng (macOS)"


class NoSpeech(RuntimeError):
    """Speech cannot be made: espeak-ng is missing or failed."""


def find_espeak() -> str | None:
    """The espeak-ng executable on PATH, or None."""
    return shutil.which("espeak-ng")


class Speaker:
    """Speech with a bounded cache; one per server process (``SPEAKER``)."""

    def __init__(self, cache_bytes: int = CACHE_BYTES) -> None:
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._limit = cache_bytes
        self._running: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )  # (one per event loop: sandboxes and tests may serve from several)

    async def speak(self, voice: str, text: str) -> bytes:
        """``text`` said by ``voice`` as PCM (22,050 Hz mono 16-bit)."""
        text = " ".join(text.split())[:MAX_TEXT]
        key = (voice, text)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if not text:
            return b""
        program = find_espeak()
        if program is None:
            raise NoSpeech(f"sound needs espeak-ng, which is not installed: {INSTALL_HINT}")
        running = self._running.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(MAX_RUNNING))
        async with running:
            data = await _run(program, voice, text)
        try:
            samples = await asyncio.to_thread(wav.pcm, data)
        except wav.WavError as exc:
            raise NoSpeech(f"espeak-ng gave no sound ({exc})") from exc
        self._keep(key, samples)
        return samples

    def _keep(self, key: tuple[str, str], samples: bytes) -> None:
        if len(samples) > self._limit:
            return
        self._cache[key] = samples
        self._bytes += len(samples)
        while self._bytes > self._limit:
            _, dropped = self._cache.popitem(last=False)
            self._bytes -= len(dropped)


async def _run(program: str, voice: str, text: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        program, "-v", voice, "--stdout", "--stdin",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(text.encode("utf-8")), TIMEOUT_S)
    except BaseException as exc:  # (a timeout, or the client went away: the process goes too)
        process.kill()
        await process.wait()
        if isinstance(exc, TimeoutError):
            raise NoSpeech(f"espeak-ng took longer than {TIMEOUT_S:g} s") from exc
        raise
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip()[:200]
        raise NoSpeech(f"espeak-ng failed (exit {process.returncode}): {detail or 'no message'}")
    return out


SPEAKER = Speaker()
