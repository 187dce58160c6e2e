"""The hostile-input corpus against a served emulator: no 5xx, no hang, a readable journal, no change when refused.

Inputs come from ``hostile.py`` (depth, size, encodings, URLs, paths, numbers, headers, audio) across
Yemot, Simotel and the control plane. The server runs in strict mode, so an answer outside its
own contract is a 500 and fails here too. State is compared after every run of refused inputs
(a fingerprint before and after every input; after an accepted one, the events it made due are run
first, so the next input starts from a settled state).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostile import Case, corpus

from emulator.app import create_app
from emulator.config import EmulatorConfig, default_fixtures_file
from emulator.testing.harness import serve_in_thread

CAP = 64 * 1024
FROZEN_AT = "2026-03-10T10:00:00Z"
GROUPS = ["depth", "size", "encoding", "url", "path", "number", "header", "audio", "site", "snapshot"]


class Target:
    def __init__(self, app: Any, base: str) -> None:
        self.app = app
        self.client = httpx.Client(base_url=base, timeout=10)
        self.port = int(base.rsplit(":", 1)[1])

    def digest(self) -> bytes:
        """A fingerprint of the whole World (taken between requests, while the server is idle)."""
        return hashlib.sha256(pickle.dumps(self.app.state.emulator.world)).digest()

    def fresh(self) -> None:
        """Back to the default fixture, clock frozen, empty journal."""
        text = Path(default_fixtures_file()).read_bytes()
        assert self.client.post("/__emulator__/fixtures", content=text).status_code == 200
        clock = self.client.post("/__emulator__/clock", json={"freeze": True, "set": FROZEN_AT})
        assert clock.status_code == 200

    def settle(self) -> None:
        """Run the scheduled events an accepted input made due now (calls start dialling)."""
        assert self.client.post("/__emulator__/clock", json={"advance": 0}).status_code == 200


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    config = EmulatorConfig.from_env(
        {}, strict=True, max_body_bytes=CAP, max_fixture_bytes=CAP, max_snapshot_bytes=CAP, outbox_backoff_base_s=0.001
    )
    app = create_app(config)
    with serve_in_thread(config, app=app) as urls:
        served = Target(app, urls.base)
        yield served
        served.client.close()


def server_error(response: httpx.Response) -> bool:
    """A 5xx other than Simotel's documented 501 for a service that does not exist."""
    if response.status_code == 501 and response.url.path.startswith("/api/v4/"):
        return response.json() != {"success": 0, "message": "Requested service dose not exist", "data": None}
    return response.status_code >= 500


def refused(response: httpx.Response) -> bool:
    """Whether the plane said no: an HTTP error, a Yemot non-OK envelope, or Simotel ``success: 0``."""
    if response.status_code >= 400:
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    if isinstance(body, dict):
        return body.get("responseStatus", "OK") != "OK" or body.get("success", 1) == 0
    return False


def _journal_readable(target: Target) -> str | None:
    response = target.client.get("/__emulator__/journal")
    if response.status_code != 200:
        return f"journal answered {response.status_code}: {response.text[:200]}"
    response.json()
    return None


def _changes_state(case: Case) -> bool:
    return case.path.startswith("/__emulator__/") and case.path.rstrip("/").endswith(("fixtures", "restore", "reset"))


@pytest.mark.parametrize("group", GROUPS)
def test_hostile_inputs_never_break_the_emulator(target: Target, group: str):
    target.fresh()
    target.settle()
    failures: list[str] = []
    for index, case in enumerate(corpus(target.port, CAP)[group]):
        before = target.digest()
        try:
            response = target.client.request(**case.request())
        except httpx.HTTPError as exc:
            failures.append(f"{case.label()}: no answer ({type(exc).__name__}: {exc})")
            continue
        if server_error(response):
            failures.append(f"{case.label()}: HTTP {response.status_code} {response.text[:200]}")
        if refused(response):
            if target.digest() != before:
                failures.append(f"{case.label()}: refused ({response.status_code}) but the state changed")
        else:
            if _changes_state(case):
                target.fresh()
            target.settle()
        if index % 100 == 99 and (problem := _journal_readable(target)):
            failures.append(f"after {case.label()}: {problem}")
    if problem := _journal_readable(target):
        failures.append(problem)
    assert not failures, "\n".join(failures[:20])


def test_the_corpus_is_large_enough():
    sizes = {group: len(cases) for group, cases in corpus(8080, CAP).items()}
    assert sum(sizes.values()) >= 500 and all(size >= 15 for size in sizes.values()), sizes


def test_every_cross_site_input_is_refused_in_the_control_planes_shape(target: Target):
    """Rebound Host names, foreign origins and "simple" bodies: each a 403/415 ``{"error": ...}``, no change."""
    target.fresh()
    target.settle()
    before = target.digest()
    failures = []
    for case in corpus(target.port, CAP)["site"]:
        response = target.client.request(**case.request())
        body = response.json() if response.headers.get("content-type") == "application/json" else None
        if response.status_code not in (403, 415) or set(body or {}) != {"error"}:
            failures.append(f"{case.label()}: {response.status_code} {response.text[:120]}")
    assert not failures, "\n".join(failures[:20])
    assert target.digest() == before
    assert len(target.client.get("/__emulator__/sandboxes").json()["sandboxes"]) == 0
