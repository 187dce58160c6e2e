"""Sandbox ids, log lines and deleted sandboxes: the smaller holes of a hostile probe, each closed."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import TOKEN, Wire, logged_within

SIMOTEL_AUTH = ("test", "Aa123456")


@pytest.mark.parametrize("sandbox_id", ["job\n", "job\r\n", "a b", "", "x" * 65, "job/1", "j\u00f6b", "job\x00"])
def test_sandbox_ids_must_be_whole_safe_names(wire: Wire, sandbox_id: str):
    response = wire.admin.post("sandboxes", params={"id": sandbox_id}, json={})
    if sandbox_id == "":  # an empty ?id= is no id: one is made up
        assert response.status_code == 201
        wire.admin.delete(f"sandboxes/{response.json()['id']}")
        return
    assert (response.status_code, response.json()) == (
        400,
        {"error": "sandbox id must be 1-64 letters, digits, '-' or '_'"},
    )
    assert wire.admin.get("sandboxes").json()["count"] == 0


def test_sandbox_ids_take_the_whole_alphabet(wire: Wire):
    for sandbox_id in ("_job", "-1", "x" * 64, "Job_2-b"):
        assert wire.admin.post("sandboxes", json={"id": sandbox_id}).status_code == 201, sandbox_id
        assert wire.admin.delete(f"sandboxes/{sandbox_id}").status_code == 200


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("pbx/x\r\nINFO:forged=1", '"pbx/x\\r\\nINFO:forged=1"'),  # no space: quoted only for its controls
        ("pbx/x\u2028\x85\x1b[2Jforged=1", '"pbx/x\\u2028\\u0085\\u001b[2Jforged=1"'),
        ("pbx/x\n2026-01-01 00:00:00,000 INFO forged=1", '"pbx/x\\n2026-01-01 00:00:00,000 INFO forged=1"'),
    ],
)
def test_control_characters_in_a_path_cannot_forge_access_lines(wire_factory, capfd, path: str, written: str):
    wire = wire_factory(server_log_level="info")
    capfd.readouterr()
    response = wire.simotel.put(quote(path, safe="/"), json={}, auth=SIMOTEL_AUTH)
    assert response.status_code == 501
    logged = logged_within(capfd, "forged=1")
    [line] = [line for line in logged.splitlines() if "forged=1" in line]
    assert f" INFO telephony_emulator.access: api=simotel operation={written} tenant=- status=501" in line


def test_an_oversized_chunked_body_logs_one_line_and_no_traceback(wire_factory, capfd):
    wire = wire_factory(server_log_level="info", max_body_bytes=10_000)
    capfd.readouterr()

    def chunks():
        yield b'{"token": "' + TOKEN.encode() + b'", "pad": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    for plane, path in ((wire.yemot, "GetSession"), (wire.simotel, "pbx/users/add"), (wire.admin, "clock")):
        response = plane.post(path, content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413, path
    logged = logged_within(capfd, "__emulator__/clock")
    refused = [line for line in logged.splitlines() if "request body over 10000 bytes refused with 413" in line]
    assert [line.split(" WARNING ")[1] for line in refused] == [
        "telephony_emulator.limits: POST /ym/api/GetSession: request body over 10000 bytes refused with 413",
        "telephony_emulator.limits: POST /api/v4/pbx/users/add: request body over 10000 bytes refused with 413",
        "telephony_emulator.limits: POST /__emulator__/clock: request body over 10000 bytes refused with 413",
    ]
    assert "Traceback" not in logged and "Exception in ASGI application" not in logged and "ERROR" not in logged


GONE = (
    "sandbox '{}' does not exist on this server: it was deleted, expired after its TTL, "
    "or lived on a server that has gone away"
)


def _made(wire: Wire, sandbox_id: str) -> dict[str, str]:
    response = wire.admin.post("sandboxes", json={"id": sandbox_id})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_request_into_a_deleted_sandbox_answers_404(wire: Wire):
    auth = _made(wire, "gone")
    assert wire.admin.delete("sandboxes/gone").status_code == 200
    for path, headers in (("/sb/gone/ym/api/GetSession", {}), ("/sb/gone/__emulator__/reset", auth)):
        response = wire.raw.post(path, params={"token": TOKEN}, headers=headers)
        assert (response.status_code, response.json()) == (404, {"error": GONE.format("gone"), "sandbox": "gone"})


@pytest.mark.parametrize("plane", ["upload", "fixtures"])
def test_a_sandbox_deleted_mid_request_answers_404_and_keeps_nothing(wire: Wire, plane: str):
    auth = _made(wire, "midway")
    boundary = "b0undary"
    if plane == "upload":
        path, content_type = "/sb/midway/ym/api/UploadFile", f"multipart/form-data; boundary={boundary}"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n{TOKEN}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="path"\r\n\r\nivr2:/1/000.txt\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="000.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
    else:
        path, content_type = "/sb/midway/__emulator__/fixtures", "application/yaml"
        head, tail = b"seed: 5\ndescription: ", b"\n"

    def body():
        yield head
        yield b"x" * 50_000
        assert wire.admin.delete("sandboxes/midway").status_code == 200  # deleted while the body arrives
        yield b"y" * 50_000
        yield tail

    response = wire.raw.post(path, content=body(), headers={"Content-Type": content_type, **auth})
    assert (response.status_code, response.json()) == (404, {"error": GONE.format("midway"), "sandbox": "midway"})
    assert wire.admin.get("sandboxes").json()["count"] == 0
    auth = _made(wire, "midway")  # the id is free again, and the new sandbox holds nothing of the old request
    files = wire.raw.get("/sb/midway/__emulator__/yemot/systems/0773137770/files", params={"path": "/1"}, headers=auth)
    assert files.status_code in (200, 404) and "000.txt" not in files.text
    wire.admin.delete("sandboxes/midway")


def test_a_sandbox_is_built_off_the_event_loop():
    """An inline fixture can take seconds to build: the build runs where no event loop runs."""
    import asyncio

    import httpx

    from emulator.app import create_app
    from emulator.config import EmulatorConfig
    from emulator.testing.harness import serve_in_thread

    config = EmulatorConfig.from_env({})
    app = create_app(config)
    registry, loops = app.state.sandboxes, []
    build = registry._build_app

    def watched_build(*args):
        try:
            loops.append(asyncio.get_running_loop())
        except RuntimeError:
            loops.append(None)
        return build(*args)

    registry._build_app = watched_build
    with serve_in_thread(config, app=app) as urls:
        inline = {"seed": 2, "yemot": {"systems": [{"number": "0770000001", "password": "pw"}]}}
        made = httpx.post(urls.admin + "sandboxes", json={"fixtures": inline}, timeout=30)
        assert made.status_code == 201, made.text
        assert httpx.get(urls.admin + "sandboxes").json()["count"] == 1
    assert loops == [None]


def test_deleted_sandboxes_are_freed_once_enough_pile_up():
    """A deleted sandbox is a web of cycles only a full collection frees; ``reclaim`` runs one (and
    trims the heap) once deletions reach the threshold, rather than waiting for the rare full pass."""
    import gc
    import weakref

    from emulator.app import create_app
    from emulator.config import EmulatorConfig
    from emulator.sandboxes import RECLAIM_AFTER

    registry = create_app(EmulatorConfig.from_env({})).state.sandboxes
    gc.disable()
    try:
        made = [registry.create({}) for _ in range(RECLAIM_AFTER)]
        alive = [weakref.ref(sandbox.emulator) for sandbox in made]
        for sandbox in made[:-1]:
            registry.delete(sandbox.id)
        del made, sandbox
        assert registry.reclaim() is False  # one short of the threshold: nothing collected yet
        assert all(ref() is not None for ref in alive)
        registry.delete(alive[-1]().config.sandbox_id)
        assert registry.reclaim() is True
        assert [ref() for ref in alive] == [None] * RECLAIM_AFTER
    finally:
        gc.enable()
