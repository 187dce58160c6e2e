"""A line with nothing more to play or ask: where a simulated caller's script decides what follows.

The IVR comes to a standstill in a folder without a module (after ``M1042``, what the platform
plays for an extension that is not defined), in a module the emulator does not simulate, and at the
end of the root's playfile with no ``playfile_end_goto`` (one level up is the root itself). Then:

- a caller with script elements left keys the next one: ``#`` goes one level back and ``*`` to the
  root (the platform's navigation keys); any other element is heard by nobody and the line waits on;
- a caller whose script has run out hangs up ``SILENCE_TIMEOUT_S`` after the line came to a standstill
  (in a folder without a module, ``M1042`` plays within that time);
- a caller placed without a script, or with ``hangup_after_s``, stays on the line until hung up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.yemot.ivr import timing
from emulator.yemot.ivr.step import Step

# How long a caller whose script has run out stays on a silent line before hanging up. No source
# gives the platform's figure; 30 s matches the API module's default wait (``api_timeout``).
SILENCE_TIMEOUT_S = 30.0


def stand_still(step: Step) -> None:
    """The IVR has nothing more to play or ask in this folder: the caller's script takes over once
    what is still played here has ended; the silence timeout counts from now."""
    step.then("idle", since=step.now)


# The navigation keys' effect (``modules.navigate``): True when the keys moved the caller.
Navigate = Callable[[Step, str], bool]


def idle(step: Step, args: dict[str, Any], navigate: Navigate) -> None:
    """One turn of a silent line (see the module docstring)."""
    walk = step.walk
    if walk.next_key >= len(walk.keys):
        if walk.stay_after_script:
            step.record("note", message="nothing more to play: the caller stays on the line", folder="/" + walk.folder)
            if walk.passive:
                step.take_keys(None)  # a live caller: the quiet line waits for their input (no timeout)
            return
        step.record(
            "note",
            message=f"nothing more to play: the caller hangs up {SILENCE_TIMEOUT_S:g} s after the line went quiet",
            folder="/" + walk.folder,
        )
        since = args.get("since")
        step.wait(SILENCE_TIMEOUT_S if since is None else since + SILENCE_TIMEOUT_S - step.now)
        step.hang_up("caller")
        return
    keys = step.take_keys() or ""
    step.wait(timing.keyed(keys) if keys else timing.MENU_WAIT_S)
    step.record("input", variable=None, keys=keys, mode="idle")
    if not navigate(step, keys):
        step.then("idle")


def ops(navigate: Navigate) -> dict[str, Callable[[Step, dict[str, Any]], None]]:
    """This module's engine steps, navigating with ``navigate`` (the modules' own, passed in: the
    modules come to a standstill here, so this module cannot import them)."""
    return {"idle": lambda step, args: idle(step, args, navigate)}
