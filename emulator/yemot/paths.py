"""Paths inside a system's IVR tree: ``ivr2:/1/ext.ini``, ``ivr2:1/ext.ini`` and ``ivr/1/ext.ini``."""

from __future__ import annotations

import posixpath


class BadPath(ValueError):
    pass


def normalize_path(path: str) -> str:
    """Canonical form: no prefix, no leading slash, e.g. ``1/ext.ini`` ('' is the root).

    ``BadPath`` for a path leaving the tree or holding a control character (``\\n``, NUL...): no
    file name in the tree can contain one.
    """
    text = (path or "").strip()
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        raise BadPath(path)
    for prefix in ("ivr2:", "ivr/", "ivr:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = posixpath.normpath("/" + text).lstrip("/")
    if text == ".":
        text = ""
    if text.startswith(".."):
        raise BadPath(path)
    return text


def display_path(canonical: str) -> str:
    """The ``ivr/...`` form the server echoes back."""
    return f"ivr/{canonical}" if canonical else "ivr"
