"""The ``ext.ini`` text format of an extension: ``key=value`` lines, in order."""

from __future__ import annotations

OWN_KEYS = frozenset({"type", "title"})  # describe one extension; not inherited by sub-extensions


def parse(text: str) -> dict[str, str]:
    """Settings of an ext.ini text; blank lines, ``;``/``#`` comments and lines without ``=`` are skipped."""
    settings: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        key, sep, value = stripped.partition("=")
        if sep and key.strip():
            settings[key.strip()] = value.strip()
    return settings


def render(settings: dict[str, str]) -> str:
    """ext.ini text of ``settings``: one ``key=value`` line each, in the given order."""
    return "".join(f"{key}={value}\n" for key, value in settings.items())
