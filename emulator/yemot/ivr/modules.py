"""The extension modules a caller meets (``type=`` of ext.ini): menu, playfile, go_to_folder, hangup,
record and queue. The API module lives in ``api_module``.

Each module is a set of engine steps (``OPS``): functions of a ``Step`` and the step's arguments.
"""

from __future__ import annotations

import io
import re
import wave
from collections.abc import Callable
from typing import Any

from emulator.yemot import ivrtree, live_calls
from emulator.yemot.ivr import idle, timing
from emulator.yemot.ivr.step import AUDIO_SUFFIXES, Step
from emulator.yemot.paths import join
from emulator.yemot.queue_state import Queue

MAX_SILENT_ROUNDS = 5  # a menu or read left unanswered this many times in a row ends the call
RECORD_RATE = 8000
MAX_RECORD_S = 600.0
_NUMBERED = re.compile(r"(\d{3,})\.([A-Za-z0-9]+)")
_SECONDS = re.compile(r"\d{1,4}(\.\d{1,3})?")

Op = Callable[[Step, dict[str, Any]], None]


def numbered_files(step: Step, folder: str) -> list[str]:
    """The playable numbered files of ``folder`` in order (``000.wav``, ``001.tts``, ...)."""
    _, files = ivrtree.listing(step.system, folder)
    chosen: dict[int, str] = {}
    for name in files:
        match = _NUMBERED.fullmatch(name)
        if match and match.group(2).lower() in (*AUDIO_SUFFIXES, "tts"):
            chosen.setdefault(int(match.group(1)), name)
    return [chosen[number] for number in sorted(chosen)]


def enter(step: Step, args: dict[str, Any]) -> None:
    """Run the module of the caller's current folder."""
    system, folder = step.system, step.walk.folder
    if folder in system.queues:
        queue(step, folder)
        return
    if not ivrtree.folder_exists(system, folder):
        step.record("error", code="M1042", message="extension not defined", text="/" + folder)
        step.say("M1042")
        step.back("not defined")
        return
    ini = ivrtree.ext_ini(system, folder)
    module = ini.get("type", "").strip()
    if module == "queue":
        queue(step, folder)
        return
    runner = MODULES.get(module)
    if runner is None:
        message = "no module: the caller stays here" if not module else f"module {module!r} is not simulated"
        step.record("note", message=message, folder="/" + folder)
        idle.stand_still(step)  # (the silence timeout runs from here: M1042 plays within it)
        if not module:
            step.say("M1042")  # what the platform plays for an extension that is not defined
        return
    runner(step, ini)


# -- menu ---------------------------------------------------------------------------------------------


def menu(step: Step, ini: dict[str, str]) -> None:
    files = numbered_files(step, step.walk.folder)
    if files:
        step.play_files(step.walk.folder, files)
    else:
        step.say("M1000")
    step.then("menu_key")


def menu_key(step: Step, args: dict[str, Any]) -> None:
    walk = step.walk
    ini = ivrtree.ext_ini(step.system, walk.folder)
    keys = step.take_keys(_seconds(ini.get("timeout"), timing.MENU_WAIT_S))
    if keys is None:
        return
    if keys == "":
        step.wait(_seconds(ini.get("timeout"), timing.MENU_WAIT_S))
        step.record("input", variable=None, keys="", mode="menu")
        walk.silences += 1
        step.say("M1002")
        if walk.silences >= MAX_SILENT_ROUNDS and not walk.passive:
            step.hang_up("system")
            return
        menu(step, ini)
        return
    step.wait(timing.keyed(keys))
    step.record("input", variable=None, keys=keys, mode="menu")
    walk.silences = 0
    if navigate(step, keys):
        return
    child = join(walk.folder, keys)
    if keys.isdigit() and ivrtree.folder_exists(step.system, child):
        step.enter(child, "menu")
        return
    step.say("M1001")
    menu(step, ini)


def navigate(step: Step, keys: str) -> bool:
    """``#`` goes one level back, ``*`` to the root; True if the keys were one of them."""
    if keys == "#":
        step.back("#")
        return True
    if keys == "*":
        step.enter("", "*")
        return True
    return False


def _seconds(text: str | None, default: float) -> float:
    value = (text or "").strip()
    return min(float(value), 600.0) if _SECONDS.fullmatch(value) else default


# -- playfile -----------------------------------------------------------------------------------------


def playfile(step: Step, ini: dict[str, str]) -> None:
    step.then("play_next", index=0, offset_ms=0)


def play_next(step: Step, args: dict[str, Any]) -> None:
    """Play the next numbered file; after the last, ``playfile_end_goto`` or ``M1005`` and back."""
    folder = step.walk.folder
    files = numbered_files(step, folder)
    index = int(args.get("index", 0))
    if index < len(files):
        before = step.now
        step.play_files(folder, [files[index]])
        offset = int(args.get("offset_ms", 0)) / 1000
        if offset:  # started part-way into the file (go_to_folder_and_play)
            step.now = max(before, round(step.now - offset, 3))
        step.then("play_next", index=index + 1, offset_ms=0)
        return
    target = ivrtree.ext_ini(step.system, folder).get("playfile_end_goto", "").strip()
    if target:
        step.go(target, "playfile_end_goto")
        return
    step.say("M1005")
    if not folder:  # one level up from the root is the root: nothing comes after its playfile
        idle.stand_still(step)
        return
    step.back("end of messages")


def start_index(step: Step, folder: str, name: str) -> int:
    """The position of file ``name`` (``005`` or ``005.wav``) among the folder's numbered files."""
    stem = name.split(".")[0]
    for index, candidate in enumerate(numbered_files(step, folder)):
        if candidate.split(".")[0] == stem or (stem.isdigit() and int(candidate.split(".")[0]) == int(stem)):
            return index
    return 0


# -- go_to_folder, hangup, queue -------------------------------------------------------------------------


def go_to_folder(step: Step, ini: dict[str, str]) -> None:
    target = ini.get("go_to_folder", "").strip()
    if not target:
        step.record("error", code="M1608", message="go_to_folder extension without a target", text="")
        step.say("M1608")
        step.hang_up("system")
        return
    step.go(target, "go_to_folder")


def hangup(step: Step, ini: dict[str, str]) -> None:
    step.hang_up("system")


def queue(step: Step, folder: str) -> None:
    """The caller waits in the queue (GetQueueRealTime shows it) until someone ends or moves the call."""
    system = step.system
    system.queues.setdefault(folder, Queue())
    live = system.live_calls.get(step.walk.api_call_id)
    if live is not None:
        live_calls.move(step.emulator, system, live, folder)
    step.record("queue", queue="/" + folder, folder="/" + folder)


# -- record -------------------------------------------------------------------------------------------


def record(step: Step, ini: dict[str, str]) -> None:
    """The caller records a message; it is saved as the folder's next numbered file."""
    step.then("record_take")


def record_take(step: Step, args: dict[str, Any]) -> None:
    keys = step.take_keys(timing.MENU_WAIT_S)
    if keys is None:
        return
    folder = step.walk.folder
    saved = save_recording(step, keys, folder, None, variable=None)
    if saved is None:
        step.say("M1002")
    step.back("recorded" if saved else "nothing recorded")


def recording_seconds(keys: str) -> float:
    """A scripted recording's length: the element is a number of seconds (``"5"``), else 0."""
    text = keys.strip().rstrip("#")
    return min(float(text), MAX_RECORD_S) if _SECONDS.fullmatch(text) else 0.0


def silent_wav(seconds: float) -> bytes:
    """A WAV of ``seconds`` of silence, 8 kHz mono 16-bit: what a quiet caller records."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RECORD_RATE)
        writer.writeframes(b"\0\0" * int(RECORD_RATE * seconds))
    return out.getvalue()


def save_recording(step: Step, keys: str, folder: str, name: str | None, *, variable: str | None) -> str | None:
    """Record for the scripted seconds and save into the tree; the saved key, or None if nothing."""
    seconds = recording_seconds(keys)
    if seconds <= 0:
        step.wait(timing.MENU_WAIT_S)
        step.record("input", variable=variable, keys=keys, mode="record")
        return None
    step.wait(seconds)
    step.record("input", variable=variable, keys=keys, mode="record")
    key = join(folder, f"{name or ivrtree.next_number(step.system, folder)}.wav")
    ivrtree.put(
        step.system,
        key,
        silent_wav(seconds),
        now=step.now,
        phone=step.walk.phone,
        source="call",
        duration=seconds,
    )
    step.record("record", path="/" + key, seconds=seconds)
    return key


MODULES: dict[str, Callable[[Step, dict[str, str]], None]] = {
    "menu": menu,
    "playfile": playfile,
    "go_to_folder": go_to_folder,
    "hangup": hangup,
    "record": record,
}

OPS: dict[str, Op] = {
    "enter": enter,
    "menu_key": menu_key,
    "play_next": play_next,
    "record_take": record_take,
}
