"""Call identifiers never repeat within a server's lifetime (reset, restore, sandboxes), and a fresh
server with the same seed, driven the same way, hands out the same ones (``emulator/core/sim/ids``)."""

from __future__ import annotations

import re

import httpx

from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread

SYSTEM = "0773137770"
TOKEN = f"{SYSTEM}:1234"
START = "2026-03-01T10:00:00Z"


def _yemot_call(emulator) -> tuple[str, str]:
    placed = emulator.control("POST", f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "/"})
    return placed["id"], placed["api_call_id"]


def _simotel_call(emulator) -> str:
    return emulator.control("POST", "simotel/incoming-calls", json={"from": "09121234567", "to": "500"})["unique_id"]


def _sms_campaign(emulator) -> str:
    answer = emulator.yemot.post("SendSms", json={"token": TOKEN, "message": "hi", "phones": "0527777701"}).json()
    return answer["campaignId"]


def _drive(emulator) -> list[str]:
    """Two rounds of one Yemot call, one Simotel call and one SMS campaign, with a reset between them;
    every id handed out, in order."""
    emulator.freeze(START)
    ids = []
    for _ in range(2):
        ids += [*_yemot_call(emulator), _simotel_call(emulator), _sms_campaign(emulator)]
        emulator.reset()
    return ids


def test_ids_never_repeat_across_resets_and_a_fresh_server_repeats_the_sequence(emulator_factory):
    first = _drive(emulator_factory(seed=11))
    assert len(set(first)) == len(first), first
    assert re.fullmatch(r"[0-9a-f]{40}", first[1]) and re.fullmatch(r"\d+\.\d+", first[2])
    assert first == _drive(emulator_factory(seed=11))
    assert first[1] != _drive(emulator_factory(seed=12))[1]


def test_a_restore_does_not_rewind_the_ids(emulator_factory):
    emulator = emulator_factory(seed=11)
    emulator.freeze(START)
    saved = emulator.control("GET", "snapshot")
    before = [*_yemot_call(emulator), _simotel_call(emulator)]
    emulator.control("POST", "restore", json=saved)
    after = [*_yemot_call(emulator), _simotel_call(emulator)]
    assert not set(before) & set(after), (before, after)


def test_sandboxes_draw_from_the_servers_ids():
    config = EmulatorConfig.from_env({}, tick_interval_s=0.05)
    with serve_in_thread(config) as urls, httpx.Client(base_url=urls.base, timeout=10) as client:
        made = []
        for _ in range(2):
            response = client.post("/__emulator__/sandboxes", json={"fixtures": "default"})
            assert response.status_code == 201, response.text
            made.append(response.json())
        admins = [f"{urls.base}/__emulator__/"] + [sandbox["urls"]["admin"] for sandbox in made]
        tokens = [None] + [sandbox["token"] for sandbox in made]
        seen = []
        for admin, token in zip(admins, tokens, strict=True):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            placed = client.post(
                f"{admin}yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "/"}, headers=headers
            )
            assert placed.status_code == 201, placed.text
            seen += [placed.json()["id"], placed.json()["api_call_id"]]
        assert len(set(seen)) == len(seen), seen


def _yemot_calls(emulator, count: int) -> list[str]:
    return [_yemot_call(emulator)[1] for _ in range(count)]


def test_a_fresh_server_that_restores_a_state_does_not_repeat_its_ids(emulator_factory):
    """A state made by another server with the same seed (a snapshot loaded in CI, a ``--state-file``
    restart) already holds ids from that seed's stream: the new calls must not take them again,
    however many times the state is saved and loaded."""
    first = emulator_factory(seed=11)
    first.freeze(START)
    taken = _yemot_calls(first, 2)
    state = first.control("GET", "snapshot")
    for _ in range(3):  # restart after restart, each loading what the last one saved
        server = emulator_factory(seed=11)
        server.control("POST", "restore", json=state)
        new = _yemot_calls(server, 2)
        assert not set(new) & set(taken), (taken, new)
        taken += new
        state = server.control("GET", "snapshot")
    ids = [call["extra"]["api_call_id"] for call in server.calls()]
    assert len(ids) == len(set(ids)) == 8, ids


def test_a_restored_state_gives_the_same_new_ids_on_a_fresh_server_with_the_same_seed(emulator_factory):
    first = emulator_factory(seed=11)
    first.freeze(START)
    _yemot_calls(first, 2)
    state = first.control("GET", "snapshot")
    runs = []
    for _ in range(2):
        server = emulator_factory(seed=11)
        server.control("POST", "restore", json=state)
        runs.append(_yemot_calls(server, 2))
    assert runs[0] == runs[1]


def _autodialer_campaign(emulator) -> str:
    body = {
        "name": "c",
        "trunk_manager_id": "0123456789abcdef01234567",
        "numbers": ["09121234567"],
        "try": "1",
        "try_interval": "600",
        "start": "2026-03-02 04:00",
        "end": "2026-03-03 04:00",
    }
    answer = emulator.simotel.post("autodialer/campaigns/add", json=body).json()
    assert answer["success"] == 1, answer
    return answer["data"]["_id"]


def test_simotel_record_ids_go_on_after_a_reset_and_a_restore(emulator_factory):
    """An autodialer campaign's ``_id`` (a MongoDB ObjectId on the real PBX, unique there) is what its
    ``AutoDialerReport`` events and reports are keyed by: a reset or a restore must not hand it out again."""
    emulator = emulator_factory(seed=11)
    emulator.freeze(START)
    saved = emulator.control("GET", "snapshot")
    ids = [_autodialer_campaign(emulator)]
    emulator.reset()
    ids.append(_autodialer_campaign(emulator))
    emulator.control("POST", "restore", json=saved)
    ids.append(_autodialer_campaign(emulator))
    assert len(set(ids)) == 3, ids
    again = emulator.control("GET", "snapshot")
    emulator.control("POST", "restore", json=again)
    assert emulator.control("GET", "snapshot") == again  # restore(snapshot()) is still the identity
