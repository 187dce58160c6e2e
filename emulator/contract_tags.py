"""The groups the API docs list operations under: one OpenAPI tag per operation.

Each API says how its operations are grouped (``ApiSpec.tags``: a tag per contract path, and the
top-level list with descriptions; Yemot's groups are made by hand, Simotel's follow the path).
``python -m emulator.contract_tags [DIR]`` writes the tags into each such API's contract in ``DIR``
(each operation's ``tags`` and the top-level list), editing the lines in place so the rest of each
file stays as written; ``--check`` only reports a file that would change. ``tag_problems`` (part of
``contracts validate``) finds any operation without exactly one declared tag.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from emulator import apis
from emulator.core.api import ContractTags

VERBS = ("get", "post", "put", "delete", "patch")


def tagged() -> dict[str, ContractTags]:
    """The registered APIs whose docs group operations by tag, by name."""
    return {spec.name: spec.tags for spec in apis.registered() if spec.tags is not None}


def tag_problems(document: dict[str, Any]) -> list[str]:
    """Operations without exactly one tag, tags not declared at the top, declared tags nobody uses."""
    declared = [tag.get("name") for tag in document.get("tags") or []]
    used: set[str] = set()
    problems = []
    for path, item in (document.get("paths") or {}).items():
        for verb in VERBS:
            if verb not in item:
                continue
            tags = item[verb].get("tags")
            if not isinstance(tags, list) or len(tags) != 1:
                problems.append(f"{verb.upper()} {path}: needs exactly one tag, has {tags!r}")
            elif tags[0] not in declared:
                problems.append(f"{verb.upper()} {path}: tag {tags[0]!r} is not in the top-level tags")
            else:
                used.add(tags[0])
    problems += [f"top-level tag {name!r} is used by no operation" for name in declared if name not in used]
    return problems


_PATH = re.compile(r"^  (/\S+):\s*$")
_VERB = re.compile(r"^    (get|post|put|delete|patch):( &\w+)?\s*$")  # a block operation (not a merged copy)
_OLD_TAG = re.compile(r"^      tags: ")


def retag(tags: ContractTags, text: str) -> str:
    """``text`` (a contract) with each operation's ``tags`` line and the top-level list rewritten."""
    paths = yaml.safe_load(text)["paths"]
    lines = _without_top_level_tags(text.splitlines(keepends=True))
    out: list[str] = []
    in_paths, path = False, None
    for line in lines:
        if _OLD_TAG.match(line) and len(out) > 1 and _VERB.match(out[-2]):
            continue  # the line written last run, right under its operation: replaced already
        if line.startswith("paths:"):
            listing = {"tags": tags.declared(paths)}
            out.append(yaml.safe_dump(listing, allow_unicode=True, sort_keys=False, width=110))
        out.append(line)
        if line[:1] not in (" ", "\n", "#", ""):
            in_paths, path = line.startswith("paths:"), None  # a top-level key: only paths: holds operations
        matched = _PATH.match(line)
        if in_paths and matched:
            path = matched.group(1)
        if path and _VERB.match(line):
            tag = tags.tag_of(path)
            if tag is None:
                raise ValueError(f"no tag for {path}; add it to {tags.table}")
            out.append(f"      tags: {json.dumps([tag], ensure_ascii=False)}\n")
    return "".join(out)


def _without_top_level_tags(lines: list[str]) -> list[str]:
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("tags:"):
            skipping = True
            continue
        if skipping and line[:1] not in (" ", "-", "\n", ""):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def main(argv: list[str]) -> int:
    check = "--check" in argv
    folders = [arg for arg in argv if arg != "--check"]
    directory = Path(folders[0]) if folders else Path(__file__).resolve().parents[1] / "contracts"
    stale = []
    for api, tags in tagged().items():
        path = directory / f"{api}.yaml"
        text = path.read_text(encoding="utf-8")
        wanted = retag(tags, text)
        if wanted != text:
            stale.append(str(path))
            if not check:
                path.write_text(wanted, encoding="utf-8")
    if check and stale:
        print(f"tags out of date in {', '.join(stale)}: run python -m emulator.contract_tags", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
