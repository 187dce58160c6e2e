"""Paths inside a system's IVR tree, in every spelling clients send, reduced to one key.

The key ("canonical path") has no prefix and no leading or trailing slash: ``1/ext.ini``,
``1/2`` for a folder, ``''`` for the root extension. Accepted spellings:

- ``ivr2:/1/000.wav``, ``ivr2:1/000.wav``, ``ivr2://1/000.wav``, ``ivr/1/000.wav``, ``/1/000.wav``,
  ``1/000.wav``; a trailing ``/`` on a folder is dropped;
- the root: ``ivr2:``, ``ivr2:/``, ``/``, ``ivr``, ``ivr/``, ``.`` and ``''``;
- a bare path whose first name is ``ivr`` is the ``ivr/`` spelling (a folder named ``ivr`` is
  reached as ``ivr2:/ivr/...`` or ``/ivr/...``);
- campaign template files: ``tpl:<id>`` -> ``<id>.wav``, ``tpl:<id>:tts`` -> ``<id>.tts``,
  ``tpl:<id>:MoreInfo`` -> ``<id>-MoreInfo.wav``, ``tpl:<id>:First`` -> ``<id>-First.wav`` (all in the
  root folder, where clients also upload them as bare ``<id>.wav``).

Refused (``BadPath``): ``.`` or ``..`` segments, empty inner segments (``1//2``), control characters,
``\\ : * ? " < > |`` inside a name, names over 128 characters, more than 32 levels, over 1024 characters.
"""

from __future__ import annotations

import re

MAX_PATH = 1024
MAX_NAME = 128
MAX_DEPTH = 32
ROOT = ""

_TEMPLATE = re.compile(r"tpl:(\d{1,12})(?::([A-Za-z]+))?", re.IGNORECASE)
_TEMPLATE_KINDS = {"": "{id}.wav", "tts": "{id}.tts", "moreinfo": "{id}-MoreInfo.wav", "first": "{id}-First.wav"}
_BAD_NAME = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
_PREFIXES = ("ivr2:", "ivr/", "ivr:")


class BadPath(ValueError):
    """A path that does not name a place inside the tree."""


def normalize_path(path: object) -> str:
    """The canonical key of any accepted spelling; ``BadPath`` if it is not a tree path."""
    if not isinstance(path, str) or len(path) > MAX_PATH:
        raise BadPath(str(path)[:64])
    text = path.strip()
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        raise BadPath(path)
    template = _TEMPLATE.fullmatch(text)
    if template:
        kind = _TEMPLATE_KINDS.get((template.group(2) or "").lower())
        if kind is None:
            raise BadPath(path)
        return kind.format(id=template.group(1))
    if text in ("ivr", ".", "./"):
        return ROOT
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.lstrip("/").rstrip("/")
    if not text:
        return ROOT
    parts = text.split("/")
    if len(parts) > MAX_DEPTH:
        raise BadPath(path)
    for part in parts:
        if part in ("", ".", "..") or len(part) > MAX_NAME or _BAD_NAME.search(part) or part != part.strip():
            raise BadPath(path)
    return text


def display_path(key: str) -> str:
    """The ``ivr/...`` form the server echoes back (``ivr`` for the root)."""
    return f"ivr/{key}" if key else "ivr"


def tree_path(key: str) -> str:
    """The ``ivr2:/...`` form of listing entries (``what``, ``thisPath``); ``ivr2:/`` for the root."""
    return f"ivr2:/{key}"


def join(folder: str, name: str) -> str:
    """``folder/name`` of canonical paths (the root folder is '')."""
    return f"{folder}/{name}" if folder else name


def split(key: str) -> tuple[str, str]:
    """(folder, name) of a canonical path; the root's folder and name are both ''."""
    folder, _, name = key.rpartition("/")
    return folder, name


def parent(key: str) -> str:
    """The folder holding ``key`` ('' for top-level entries and for the root itself)."""
    return split(key)[0]


def ancestors(key: str) -> list[str]:
    """Every folder above ``key``, root first: ``1/2/x`` -> ['', '1', '1/2']."""
    parts = key.split("/")[:-1] if key else []
    return [ROOT] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def is_within(key: str, folder: str) -> bool:
    """Whether ``key`` is ``folder`` itself or lies below it."""
    return folder == ROOT or key == folder or key.startswith(folder + "/")


def template_file(template_id: int | str, kind: str = "") -> str:
    """The canonical key of a campaign template's file (``kind``: '', 'tts', 'MoreInfo', 'First')."""
    return normalize_path(f"tpl:{template_id}:{kind}" if kind else f"tpl:{template_id}")
