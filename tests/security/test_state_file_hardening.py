"""The state file: one server per file, regular files only, symlinks followed, the budget kept on
write, and every hostile file refused at start with a message (exit 2), never a traceback."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import hostile_state_files

from emulator.cli import main
from emulator.config import EmulatorConfig
from emulator.core.persist import state_file
from emulator.core.persist.state_lock import acquire, lock_path
from emulator.core.persist.state_saver import StateSaver
from emulator.runtime import Emulator

ROOT = Path(__file__).resolve().parents[2]
FILES = hostile_state_files()


def serve(*options: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``telephony-emulator serve`` run to its end (the refusals end it before it listens)."""
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0", *options]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def refused_at_start(capsys, path: Path) -> str:
    assert main(["serve", "--port", "0", "--state-file", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Yemot API" not in captured.out
    return captured.err


@pytest.mark.parametrize(("expected", "data"), FILES, ids=[f"{index}:{want}" for index, (want, _) in enumerate(FILES)])
def test_a_hostile_state_file_stops_the_start_with_its_first_problem(tmp_path, capsys, expected, data):
    path = tmp_path / "state.json"
    path.write_bytes(data)
    message = refused_at_start(capsys, path)
    assert message.startswith("telephony-emulator: ") and expected in message
    assert path.read_bytes() == data  # never rewritten
    assert not lock_path(path).exists()  # the lock taken for the read is given back


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink to a device", "directory"])
def test_only_a_regular_file_is_read(tmp_path, kind):
    path = tmp_path / "state.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading used to wait for a writer forever
    elif kind == "directory":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/zero")  # st_size 0 passed the size check, then it was read without end
    else:
        path.symlink_to("/dev/zero")
    if kind == "device" and not os.access(path, os.R_OK):
        pytest.skip("/dev/zero is not readable here")
    started = time.monotonic()
    done = serve("--state-file", str(path))
    assert done.returncode == 2, done.stderr
    assert "is not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - started < 30


def test_a_second_server_on_the_same_file_is_refused_and_told_who_holds_it(tmp_path, capsys):
    path = tmp_path / "state.json"
    held = acquire(path)
    try:
        message = refused_at_start(capsys, path)
        assert f"state file {path} is in use by process {os.getpid()} (lock {path}.lock)" in message
        via_link = tmp_path / "other-name.json"
        via_link.symlink_to(path)  # another name for the same file is the same file
        assert f"is in use by process {os.getpid()}" in refused_at_start(capsys, via_link)
    finally:
        held.release()
    assert not lock_path(path).exists()


def test_a_running_server_holds_the_lock_and_gives_it_back_on_stop(tmp_path):
    path = tmp_path / "state.json"
    first = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--state-file", str(path), "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert first.stdout.readline().startswith("Yemot API:")
        second = serve("--state-file", str(path))
        assert second.returncode == 2
        assert f"is in use by process {first.pid}" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert sorted(os.listdir(tmp_path)) == ["state.json"]


def test_a_start_removes_the_temporary_files_a_killed_writer_left(tmp_path):
    path = tmp_path / "state.json"
    leftover = tmp_path / ".state.json.k1ll3d.tmp"
    leftover.write_bytes(b'{"format":')
    other = tmp_path / ".other.json.k1ll3d.tmp"  # another state file's: not ours to remove
    other.write_bytes(b"")
    emulator = Emulator(EmulatorConfig(state_file=path))
    assert not leftover.exists() and other.exists()
    emulator.state_lock.release()


def test_writes_overlap_but_the_file_only_moves_forward(tmp_path):
    """Two writes under way at once (a state slower to write than the interval): the older one,
    finishing last, does not replace the newer one's file."""
    path = tmp_path / "state.json"
    emulator = Emulator(EmulatorConfig(state_file=path))
    saver = StateSaver(emulator, path, 60)

    async def overlapping() -> list[bool]:
        emulator.revision += 1
        emulator.world.telephony.next_call = 111
        older = asyncio.create_task(saver.save())
        await asyncio.sleep(0)  # (its image is taken: the fork happened)
        emulator.revision += 1
        emulator.world.telephony.next_call = 222
        newer = await saver.save()
        return [newer, await older]

    assert asyncio.run(overlapping()) in ([True, False], [True, True])
    assert b'"next_call":222' in path.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["state.json", "state.json.lock"]
    emulator.state_lock.release()


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path):
    target = tmp_path / "real" / "state.json"
    link = tmp_path / "state.json"
    target.parent.mkdir()
    link.symlink_to(target)
    emulator = Emulator(EmulatorConfig(state_file=link))
    assert lock_path(target).exists() and not lock_path(link).exists()
    emulator.revision += 1
    assert asyncio.run(StateSaver(emulator, link, 60).save())
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert state_file.read(link).format == state_file.FORMAT
    emulator.state_lock.release()
    reloaded = Emulator(EmulatorConfig(state_file=link))
    assert reloaded.snapshot_bytes() == emulator.snapshot_bytes()
    reloaded.state_lock.release()


def test_a_state_past_the_budget_is_not_written_and_the_previous_file_stays(tmp_path, caplog):
    path = tmp_path / "state.json"
    emulator = Emulator(EmulatorConfig(state_file=path))
    saver = StateSaver(emulator, path, 60)
    emulator.revision += 1
    assert asyncio.run(saver.save())
    first = path.read_bytes()
    saver.budget = len(first) + 100  # what fits now, and whatever a restart with that budget reads
    assert state_file.read(path, saver.budget) is not None
    emulator.world.simotel.collections.setdefault("users", []).append({"name": "x" * 1000})
    emulator.revision += 1
    with caplog.at_level(logging.ERROR, logger="telephony_emulator.state"):
        assert not asyncio.run(saver.save())
        assert not asyncio.run(saver.save())  # the same state is not tried (and logged) again
    assert path.read_bytes() == first
    assert sorted(os.listdir(tmp_path)) == ["state.json", "state.json.lock"]  # no temporary file left
    [record] = caplog.records
    assert f"the state is larger than the state budget of {saver.budget} bytes" in record.getMessage()
    assert "it keeps the last state that fit" in record.getMessage()
    emulator.state_lock.release()


def test_whatever_is_written_reads_back_under_the_same_budget(tmp_path):
    path = tmp_path / "state.json"
    emulator = Emulator(EmulatorConfig(state_file=path))
    emulator.revision += 1
    assert asyncio.run(StateSaver(emulator, path, 60).save())
    size = path.stat().st_size
    emulator.state_lock.release()
    at_the_budget = Emulator(EmulatorConfig(state_file=path, max_snapshot_bytes=size))
    assert at_the_budget.snapshot_bytes() == emulator.snapshot_bytes()
    at_the_budget.state_lock.release()
    with pytest.raises(state_file.StateFileError, match=f"is {size} bytes, more than the state budget of {size - 1}"):
        Emulator(EmulatorConfig(state_file=path, max_snapshot_bytes=size - 1))


def test_the_file_holds_the_snapshot_document_byte_for_byte(tmp_path):
    """The piecewise writer's snapshot is the document ``GET /__emulator__/snapshot`` in place gives."""
    path = tmp_path / "state.json"
    emulator = Emulator(EmulatorConfig(state_file=path))
    emulator.revision += 1
    assert asyncio.run(StateSaver(emulator, path, 60).save())
    document = state_file.read(path)
    assert bytes(document.snapshot) == emulator.snapshot_bytes()
    emulator.state_lock.release()


def test_a_change_made_after_a_write_began_is_written_by_the_next_one(tmp_path):
    """A control call bumps the revision when it starts; its change may come after an await (a
    body still arriving), when a write has already taken its image. The call moves the revision
    again when it ends, so the next write does not take the file for up to date."""
    from starlette.requests import Request

    from emulator.admin.http import guarded
    from emulator.app import create_app

    path = tmp_path / "state.json"
    app = create_app(EmulatorConfig(state_file=path))
    emulator = app.state.emulator
    saver = StateSaver(emulator, path, 60)
    gate = asyncio.Event()

    async def handler(request: Request) -> None:
        await gate.wait()
        emulator.world.telephony.next_call = 999

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "client": ("127.0.0.1", 1), "app": app}

    async def scenario() -> None:
        call = asyncio.create_task(guarded(handler)(Request(scope)))
        await asyncio.sleep(0)  # the call has started and waits for the rest of its body
        assert await saver.save()
        gate.set()
        await call
        assert await saver.save()

    asyncio.run(scenario())
    assert b'"next_call":999' in path.read_bytes()
    emulator.state_lock.release()
