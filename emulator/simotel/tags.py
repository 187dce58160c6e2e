"""How the API docs group Simotel's services: one tag per group and resource of the path
(``/api/v4/pbx/users/search`` -> ``pbx/users``)."""

from __future__ import annotations

from collections.abc import Iterable

from emulator.core.api import ContractTags

GROUPS = {"setting": "Settings", "call": "Calls", "reports": "Reports", "pbx": "PBX",
          "voicemails": "Voicemail", "autodialer": "Autodialer"}  # fmt: skip


def tag_of(path: str) -> str:
    """``/api/v4/<group>/<resource>/...`` -> ``<group>/<resource>``."""
    return "/".join(path.split("/")[3:5])


def declared(paths: Iterable[str]) -> list[dict[str, str]]:
    """The top-level ``tags`` list: each group/resource in path order, with its actions."""
    actions: dict[str, list[str]] = {}
    for path in paths:
        tag = tag_of(path)
        actions.setdefault(tag, []).append(path.removeprefix(f"/api/v4/{tag}").lstrip("/") or "(no action)")
    return [
        {
            "name": tag,
            "description": f"{GROUPS.get(tag.split('/')[0], tag)}: `/api/v4/{tag}/…` {', '.join(names)}",
        }
        for tag, names in actions.items()
    ]


CONTRACT_TAGS = ContractTags(tag_of=tag_of, declared=declared, table="emulator/simotel/tags.py")
