"""Helpers shared by the IVR tests: a one-system fixture with a given tree, placing calls, transcripts."""

from __future__ import annotations

import json
from typing import Any

SYSTEM = "0771234567"
START = "2023-11-14T22:13:20Z"  # ApiTime 1700000000, as in the reference dialogues
CALLER = "0501234567"


def fixture_yaml(tree: dict[str, str], *, seed: int = 7, binary: dict[str, str] | None = None) -> str:
    """A fixture (JSON is YAML) with one Yemot system whose tree holds ``tree`` ({path: text}) and
    ``binary`` ({path: base64})."""
    files: dict[str, Any] = {path: {"text": text} for path, text in tree.items()}
    files.update({path: {"base64": data} for path, data in (binary or {}).items()})
    document = {
        "description": "IVR tests",
        "seed": seed,
        "anchor": "2023-11-01T00:00:00Z",
        "yemot": {"systems": [{"number": SYSTEM, "password": "1234", "units": 100, "files": files}]},
    }
    return json.dumps(document, ensure_ascii=False)


def place(emulator: Any, keys: list[str], path: str = "/", **extra: Any) -> dict[str, Any]:
    """Place a call from CALLER to SYSTEM; the 201 body."""
    response = emulator.admin.post(
        f"yemot/systems/{SYSTEM}/calls", json={"from": CALLER, "path": path, "keys": keys, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()


def call(emulator: Any, call_id: str) -> dict[str, Any]:
    response = emulator.admin.get(f"calls/{call_id}")
    assert response.status_code == 200, response.text
    return response.json()


def kinds(transcript: list[dict[str, Any]]) -> list[str]:
    return [entry["kind"] for entry in transcript]


def entries(transcript: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [entry for entry in transcript if entry["kind"] == kind]


def played(transcript: list[dict[str, Any]]) -> list[str]:
    """Every part played, as ``type:data`` strings, in order."""
    return [f"{part['type']}:{part['data']}" for entry in entries(transcript, "play") for part in entry["parts"]]
