"""One step of a simulated caller's walk: the clock cursor, playback, keys, moves and hang-up.

A step runs inside a scheduler event. It starts at the event's instant, moves a cursor forward
as things play or the caller keys, records each thing in the transcript at the cursor, and ends
by naming the next step (``then``), which the engine schedules at the cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.sim.call_input import AwaitInput
from emulator.core.sim.walks import WalkStep
from emulator.yemot import ivrtree, live_calls
from emulator.yemot.ivr import timing
from emulator.yemot.ivr.messages import SYSTEM_MESSAGES, Part, system_message
from emulator.yemot.ivr.walk import IvrWalk
from emulator.yemot.paths import BadPath, join, normalize_path, parent
from emulator.yemot.state import YemotSystem

if TYPE_CHECKING:
    from emulator.core.api import Host as Emulator

HANGUP = "hangup"
AUDIO_SUFFIXES = ("wav", "mp3", "ogg", "gsm", "wma", "aac", "flac", "m4a")


class GotoError(ValueError):
    """A folder target that names no place in the tree."""


def resolve(current: str, target: str) -> str:
    """The canonical folder of a ``go_to_folder`` target seen from ``current``; ``HANGUP`` for hangup.

    ``/1/2`` is absolute, ``1/2`` relative to ``current``; ``.`` is the current folder and ``..``
    its parent (the root's parent is the root).
    """
    text = target.strip()
    if text == HANGUP:
        return HANGUP
    for prefix in ("ivr2:", "ivr:"):
        if text.startswith(prefix):
            text = "/" + text[len(prefix) :].lstrip("/")
    segments = [] if text.startswith("/") or not current else current.split("/")
    for segment in text.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            segments = segments[:-1]
        else:
            segments.append(segment)
    folder = "/".join(segments)
    try:
        return normalize_path(folder)
    except BadPath as exc:
        raise GotoError(f"not a folder: {target!r}") from exc


class Step(WalkStep):
    """The context of one engine step; see the module docstring (and ``core/sim/walks``)."""

    def __init__(self, emulator: Emulator, system: YemotSystem, walk: IvrWalk, now: float) -> None:
        self.emulator = emulator
        self.system = system
        self.walk: IvrWalk = walk
        self.now = now
        self.next: tuple[str, dict[str, Any]] | None = None

    # -- transcript and time ---------------------------------------------------------------------

    def wait(self, seconds: float) -> None:
        self.now = round(self.now + max(0.0, seconds), 3)

    def then(self, op: str, **args: Any) -> None:
        """Name the step that runs next, at the cursor."""
        self.next = (op, args)

    # -- playback --------------------------------------------------------------------------------

    def play(self, parts: list[Part]) -> None:
        """Play message parts in order (one ``play`` entry); the cursor moves by their length."""
        if not parts:
            return
        rendered = [self._render(part) for part in parts]
        seconds = round(sum(item["seconds"] for item in rendered), 3)
        self.record("play", parts=rendered, seconds=seconds)
        self.wait(seconds)

    def say(self, code: str) -> None:
        """Play one system message (``M1607``)."""
        self.play([system_message(code)])

    def play_files(self, folder: str, names: list[str]) -> None:
        """Play files of the tree (``000.wav``, ``001.tts``) as one ``play`` entry."""
        self.play([Part("file", "/" + join(folder, name)) for name in names])

    def _render(self, part: Part) -> dict[str, Any]:
        out: dict[str, Any] = part.to_json()
        kind, data = part.type, part.data
        if kind == "text":
            seconds = timing.spoken(data)
        elif kind in ("digits", "alpha"):
            seconds = timing.DIGIT_S * len(data)
        elif kind == "number":
            seconds = timing.DIGIT_S * len(data.lstrip("-").replace(",", ""))
        elif kind == "system_message":
            text = SYSTEM_MESSAGES.get(data)
            seconds = timing.spoken(text) if text else timing.SYSTEM_MESSAGE_S
        elif kind in ("file", "tts_file"):
            seconds = self._render_file(out, data, tts=kind == "tts_file")
        elif kind == "music_on_hold":
            _, _, limit = data.partition(",")
            seconds = float(limit) if limit.strip().isdigit() else timing.HOLD_MUSIC_S
        elif kind == "go_to_folder":
            seconds = 0.0
        else:  # date, hebrew_date, time
            seconds = timing.DATE_S
        out["seconds"] = round(seconds, 3)
        return out

    def _render_file(self, out: dict[str, Any], data: str, *, tts: bool) -> float:
        """Find a file part in the tree (``002`` in the current folder, ``/1/002`` from the root)."""
        try:
            stem = normalize_path(data) if data.startswith("/") else normalize_path(join(self.walk.folder, data))
        except BadPath:
            out["path"], out["found"] = None, False
            return 0.0
        suffixes = ("tts",) if tts else (*AUDIO_SUFFIXES, "tts")
        for suffix in suffixes:
            key = stem if "." in stem.rsplit("/", 1)[-1] else f"{stem}.{suffix}"
            entry = ivrtree.get(self.system, key)
            if entry is None:
                continue
            out["path"], out["found"] = "/" + key, True
            if key.endswith(".tts"):
                text = ivrtree.read_text(self.system, key).strip()
                out["text"] = text
                return timing.spoken(text)
            return entry.duration if entry.duration else timing.EMPTY_FILE_S
        out["path"], out["found"] = "/" + stem, False
        return 0.0

    # -- the caller ------------------------------------------------------------------------------

    def take_keys(self, wait_s: float | None = None, silent_s: float | None = None) -> str | None:
        """The caller's next scripted input; ``""`` = silence; None = the caller has hung up.

        When the script is used up the caller hangs up, unless the call was placed with
        ``hangup_after_s``: then the caller stays on the line in silence until that moment. A live
        caller (placed without a script) has the step wait for input instead: ``AwaitInput`` parks
        the walk until input comes or ``wait_s`` passes, of which the step records ``silent_s`` itself
        (``emulator.yemot.ivr.live_input``).
        """
        walk = self.walk
        if walk.next_key < len(walk.keys):
            keys = walk.keys[walk.next_key]
            walk.next_key += 1
            walk.parked = {}
            return keys
        if walk.passive:
            raise AwaitInput(wait_s, silent_s)
        if walk.stay_after_script:
            return ""
        self.hang_up("caller")
        return None

    # -- moving ----------------------------------------------------------------------------------

    def go(self, target: str, reason: str) -> None:
        """Move to a folder target (any ``go_to_folder`` form); ``hangup`` ends the call."""
        try:
            folder = resolve(self.walk.folder, target)
        except GotoError as exc:
            self.record("error", code="M1608", message=str(exc), text=target)
            self.say("M1608")
            self.hang_up("system")
            return
        if folder == HANGUP:
            self.hang_up("system")
            return
        self.enter(folder, reason)

    def enter(self, folder: str, reason: str) -> None:
        """Move the caller into canonical ``folder`` and run its module next."""
        walk = self.walk
        self.record("goto", **{"from": "/" + walk.folder, "to": "/" + folder, "reason": reason})
        walk.folder = folder
        walk.silences = 0
        live = self.system.live_calls.get(walk.api_call_id)
        if live is not None:
            live_calls.move(self.emulator, self.system, live, folder)
        self.then("enter")

    def back(self, reason: str) -> None:
        """One level up (the root stays the root)."""
        self.enter(parent(self.walk.folder), reason)

    def hang_up(self, by: str) -> None:
        """End the walk now: ``by`` is ``caller`` or ``system``; the engine finishes the call."""
        self.then("end", by=by)
