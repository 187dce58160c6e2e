"""The API module (``type=api``): call ``api_link``, act on the reply, collect reads, leave.

Steps: ``api`` (enter: ext.ini reads ``api_000``...), ``api_request``, ``api_action`` (one action
of the last reply), ``read_input`` / ``read_confirm`` (the caller answers a read), ``api_end``
(leave by ``api_end_goto``, default one level up). Failures follow the reference: no answer, an
HTTP error, a timeout or a reply with nothing to do -> ``M1607`` then ``api_end_goto``; no link ->
``M1609`` then ``api_end_goto``. Every problem in a reply is an ``error`` entry with its text.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from emulator.yemot import ivrtree, live_calls
from emulator.yemot.errors import YemotError
from emulator.yemot.ivr import modules, timing, webservice
from emulator.yemot.ivr.collect import read_back, replaced, tap_answer
from emulator.yemot.ivr.grammar import Action, parse_reply
from emulator.yemot.ivr.messages import Part
from emulator.yemot.ivr.reads import Read, ReadError, RecordRead, SpeechRead, TapRead, parse_read_fields
from emulator.yemot.ivr.requests import ApiSettings, CallIdentity, build_request
from emulator.yemot.ivr.step import Step, resolve
from emulator.yemot.ivr.walk import ApiVisit
from emulator.yemot.paths import BadPath, join, normalize_path

SPEECH_SILENCE_S = 1.0  # the shortest answer to a speech read, silence included
MAX_REQUESTS_PER_CALL = 300  # (each takes up to ~6 transcript entries: the error still fits in one)
Steps = Generator[Any, Any, Any]  # a step that awaits its web service (``emulator.core.sim.flights``)


def settings_of(step: Step, folder: str) -> ApiSettings:
    return ApiSettings.from_ini(ivrtree.ext_ini(step.system, folder))


def identity(step: Step) -> CallIdentity:
    walk = step.walk
    return CallIdentity(
        api_call_id=walk.api_call_id,
        yf_call_id=walk.yf_call_id,
        did=walk.did,
        real_did=walk.real_did,
        phone=walk.phone,
        started=walk.started,
    )


def api(step: Step, ini: dict[str, str]) -> None:
    """Enter an API extension: a fresh visit (values start empty), ext.ini reads first."""
    step.walk.api = ApiVisit(folder=step.walk.folder)
    if ApiSettings.from_ini(ini).reads:
        step.then("read_prompt", source="ini", index=0, tries=0)
    else:
        step.then("api_request")


def exchange(step: Step, folder: str, values: list[list[str]], *, hangup_at: str | None = None) -> Steps:
    """Send one request and record it and its reply; the reply text, or None after a failure.

    A generator (``emulator.core.sim.flights``): it yields the awaited exchange and records nothing
    before the answer, so a step waiting for its service has changed nothing yet.
    """
    settings = settings_of(step, folder)
    request = build_request(settings, identity(step), folder, [(n, v) for n, v in values], hangup_at=hangup_at)
    result = yield webservice.send(
        request,
        timeout_s=settings.timeout_s,
        client=step.emulator.service_client.get(step.walk.call_id),
        listeners=step.emulator.outbox.listeners,
    )
    step.record("request", **request.to_json())
    if result.timed_out and settings.hold_music:  # api_wait_answer_music_on_hold=yes
        step.play([Part("music_on_hold", f"default,{int(settings.timeout_s)}")])
    elif result.timed_out:
        step.wait(settings.timeout_s)
    if result.error is not None:
        step.record("reply", status=result.status, text=result.text, directives=[], error=result.error)
        return None
    return str(result.text)


def api_request(step: Step, args: dict[str, Any]) -> Steps:
    walk, visit = step.walk, step.walk.api
    if visit is None:
        step.then("enter")
        return
    settings = settings_of(step, visit.folder)
    if settings.link is None:
        step.record("error", code="M1609", message="no api_link defined for this extension", text=None)
        step.say("M1609")
        step.then("api_end")
        return
    if walk.requests >= MAX_REQUESTS_PER_CALL:
        visit.requests += 1
        step.record("error", code="steps", message=f"more than {MAX_REQUESTS_PER_CALL} requests on one call")
        step.hang_up("system")
        return
    text = yield from exchange(step, visit.folder, visit.values)
    visit.requests += 1
    walk.requests += 1
    if text is None:
        _no_answer(step, step.walk.transcript.entries[-1].data.get("error") or "no answer")
        return
    parsed = parse_reply(text)
    runnable = _runnable(parsed.actions)
    step.record("reply", status=200, text=text, directives=[action.to_json() for action in runnable])
    for problem in parsed.problems:
        step.record("error", code="reply", message=problem.message, text=problem.text)
    for action in parsed.actions[len(runnable) :]:
        step.record("error", code="reply", message=f"not executed: follows {runnable[-1].name}", text=action.raw)
    if not runnable:
        _no_answer(step, "the reply holds no action the platform can run")
        return
    visit.reply = "&".join(action.raw for action in runnable)
    step.then("api_action", index=0)


def _runnable(actions: list[Action]) -> list[Action]:
    """The actions that run: everything up to and including the first one that ends the exchange."""
    for index, action in enumerate(actions):
        if action.terminal:
            return actions[: index + 1]
    return actions


def _no_answer(step: Step, why: str) -> None:
    step.record("error", code="M1607", message=why, text=None)
    step.say("M1607")
    step.then("api_end")


def _actions(step: Step) -> list[Action]:
    visit = step.walk.api
    return parse_reply(visit.reply).actions if visit is not None else []


def api_action(step: Step, args: dict[str, Any]) -> None:
    """Run one action of the last reply; the next one (or ``api_end``) follows."""
    actions = _actions(step)
    index = int(args.get("index", 0))
    if index >= len(actions):
        step.then("api_end")
        return
    action = actions[index]
    name = action.name
    if name == "id_list_message":
        playable = [part for part in action.parts if part.type != "go_to_folder"]
        step.play(playable)
        jump = next((part.data for part in action.parts if part.type == "go_to_folder"), None)
        if jump is not None:
            step.go(jump, "g- part")
        else:
            step.then("api_action", index=index + 1)
    elif name == "read":
        step.then("read_prompt", source="reply", index=index, tries=0)
    elif name == "go_to_folder":
        step.go(action.path or "", "go_to_folder")
    elif name == "go_to_folder_and_play":
        _folder_and_play(step, action)
    elif name == "music_on_hold":
        seconds = action.args.get("seconds", "")
        step.play([Part("music_on_hold", action.args["class"] + (f",{seconds}" if seconds else ""))])
        step.then("api_request")
    elif name == "routing_yemot":
        _route_to_system(step, action.args["system"])
    elif name == "routing":
        step.record("note", message="routing: the caller leaves this system", **{"args": action.args})
        step.hang_up("system")
    elif name == "credit_card":
        step.record("error", code="reply", message="credit_card payments are not simulated", text=action.raw)
        step.then("api_end")
    else:  # noop
        step.then("api_action", index=index + 1)


def _route_to_system(step: Step, number: str) -> None:
    """``routing_yemot``: the caller goes on at the root of system ``number`` (no units charged); a
    number that is no other system on this server ends the call."""
    walk = step.walk
    target = step.emulator.world.yemot.systems.get(number)
    if target is None or number == walk.system:
        reason = "is this system" if number == walk.system else "is not a system on this server"
        step.record("note", message=f"routing_yemot: {number} {reason}; the call ends", args={"system": number})
        step.hang_up("system")
        return
    step.record("note", message=f"routing_yemot: the caller goes on in system {number}", args={"system": number})
    live = step.system.live_calls.get(walk.api_call_id)
    if live is not None:
        live_calls.transfer(step.system, target, live, step.now)
    walk.system = number
    walk.api = walk.last_api = None  # (the old system's API extension is left: no hangup=yes to it)
    step.enter("", "routing_yemot")


def _folder_and_play(step: Step, action: Action) -> None:
    try:
        folder = resolve(step.walk.folder, action.path or "")
    except ValueError:
        step.go(action.path or "", "go_to_folder_and_play")  # reports M1608
        return
    step.enter(folder, "go_to_folder_and_play")
    start = modules.start_index(step, folder, action.args.get("file", ""))
    step.then("play_next", index=start, offset_ms=int(action.args.get("offset_ms", "0")))


def api_end(step: Step, args: dict[str, Any]) -> None:
    visit = step.walk.api
    target = settings_of(step, visit.folder).end_goto if visit is not None else None
    if target:
        step.go(target, "api_end_goto")
    else:
        step.back("api_end_goto")


# -- reads --------------------------------------------------------------------------------------------


def _read_of(step: Step, args: dict[str, Any]) -> tuple[Read, list[Part]] | None:
    """The read a read step is about, and its prompt."""
    index = int(args.get("index", 0))
    if args.get("source") == "ini":
        visit = step.walk.api
        reads = settings_of(step, visit.folder).reads if visit is not None else []
        if index >= len(reads):
            return None
        try:
            read = parse_read_fields(reads[index])
        except ReadError as exc:
            step.record("error", code="ext.ini", message=str(exc), text=reads[index])
            return None
        files = [name for name in modules.numbered_files(step, step.walk.folder) if name.startswith(f"{index:03d}.")]
        return read, [Part("file", "/" + join(step.walk.folder, name)) for name in files]
    actions = _actions(step)
    if index >= len(actions) or actions[index].read is None:
        return None
    return actions[index].read, actions[index].parts


def _current_read(step: Step, args: dict[str, Any]) -> tuple[Read, list[Part]] | None:
    """The read of this step and its prompt; when there is none, the exchange goes on to the next request."""
    found = _read_of(step, args)
    if found is None:
        step.then("api_request")
    return found


def _keyed_read(step: Step, args: dict[str, Any], wait_s: float | None = None) -> tuple[Read, str] | None:
    """The read of this step and the keys the caller gives it; None when there is no read (the
    exchange goes on) or the caller's script has nothing more (the call ends). ``wait_s``: how long
    a live caller's silence takes (default: the read's own wait)."""
    found = _current_read(step, args)
    if found is None:
        return None
    read = found[0]
    if wait_s is None:  # (a speech read's silence takes 1 s of its own; a live caller gets the menu's wait)
        wait_s = read.wait_s if isinstance(read, TapRead) else timing.MENU_WAIT_S
    keys = step.take_keys(wait_s, SPEECH_SILENCE_S if isinstance(read, SpeechRead) else None)
    return None if keys is None else (found[0], keys)


def _after_read(step: Step, args: dict[str, Any]) -> None:
    if args.get("source") == "ini":
        step.then("read_prompt", source="ini", index=int(args.get("index", 0)) + 1, tries=0)
    else:
        step.then("api_request")


def read_prompt(step: Step, args: dict[str, Any]) -> None:
    found = _current_read(step, args)
    if found is None:
        return
    read, prompt = found
    visit = step.walk.api
    if read.reuse and visit is not None and any(name == read.name for name, _ in visit.values):
        _after_read(step, args)
        return
    step.play(prompt)
    step.then("read_input", **args)


def _answer(step: Step, read: Read, value: str, args: dict[str, Any]) -> None:
    if step.walk.api is not None:
        step.walk.api.values.append([read.name, value])
    _after_read(step, args)


def read_input(step: Step, args: dict[str, Any]) -> None:
    keyed = _keyed_read(step, args)
    if keyed is None:
        return
    read, keys = keyed
    if isinstance(read, SpeechRead):
        step.wait(max(SPEECH_SILENCE_S, len(keys) * 0.1))
        step.record("input", variable=read.name, keys=keys, mode="speech", value=keys)
        _answer(step, read, keys, args)
        return
    if isinstance(read, RecordRead):
        _record_answer(step, read, keys, args)
        return
    answer = tap_answer(read, keys)
    step.wait(answer_time(keys, read.wait_s))
    tries = int(args.get("tries", 0)) + 1
    if answer.value is None and answer.code == "M1002" and read.allow_empty:
        step.record("input", variable=read.name, keys=keys, mode="tap", value=read.empty_value)
        _answer(step, read, read.empty_value, args)
        return
    if answer.value is None:
        step.record("input", variable=read.name, keys=keys, mode="tap", value=None)
        step.say(answer.code or "M1224")
        step.walk.silences = step.walk.silences + 1 if not keys else 0
        if read.tries is not None and tries >= read.tries:
            _answer(step, read, read.empty_value, args)
        elif step.walk.silences >= modules.MAX_SILENT_ROUNDS and not step.walk.passive:
            step.hang_up("system")
        else:
            step.then("read_prompt", **{**args, "tries": tries})
        return
    step.walk.silences = 0
    value = replaced(read, answer.value)
    step.record("input", variable=read.name, keys=keys, mode="tap", value=value)
    if read.confirm:
        step.play([*read_back(read, answer.value), Part("system_message", "M1034")])
        step.then("read_confirm", **{**args, "tries": tries, "value": value})
        return
    _answer(step, read, value, args)


def answer_time(keys: str, wait_s: float) -> float:
    """Seconds an answer takes: the whole wait when the caller is silent, else the keying."""
    return timing.keyed(keys) if keys else wait_s


def read_confirm(step: Step, args: dict[str, Any]) -> None:
    """``1`` (or silence) keeps the answer, ``2`` asks again; another key repeats the question."""
    keyed = _keyed_read(step, args, timing.MENU_WAIT_S)
    if keyed is None:
        return
    read, keys = keyed
    step.wait(answer_time(keys, timing.MENU_WAIT_S))
    step.record("input", variable=None, keys=keys, mode="confirm")
    if keys in ("1", ""):
        _answer(step, read, str(args["value"]), args)
    elif keys == "2":
        step.then("read_prompt", **{k: v for k, v in args.items() if k != "value"})
    else:
        step.say("M1224")
        step.say("M1034")
        step.then("read_confirm", **args)


def _record_answer(step: Step, read: RecordRead, keys: str, args: dict[str, Any]) -> None:
    visit = step.walk.api
    folder_text = read.folder or (settings_of(step, visit.folder).record_dir if visit is not None else None)
    try:
        folder = normalize_path(folder_text) if folder_text else step.walk.folder
        saved = modules.save_recording(step, keys, folder, read.file, variable=read.name)
    except (BadPath, YemotError) as exc:
        step.record("error", code="record", message=f"recording not saved: {exc}", text=folder_text)
        saved = None
    _answer(step, read, "" if saved is None else "/" + saved, args)


OPS = {
    "api_request": api_request,
    "api_action": api_action,
    "api_end": api_end,
    "read_prompt": read_prompt,
    "read_input": read_input,
    "read_confirm": read_confirm,
}
