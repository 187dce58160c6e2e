"""Dialplan definitions: a dialled number leads into a graph of named nodes joined by named exits.

A definition (fixture ``simotel.dialplans.<name>`` or ``PUT /__emulator__/simotel/dialplans/{name}``)::

    {"numbers": ["789"], "start": "s1",
     "nodes": {"s1": {"type": "smart_api", "url": "http://127.0.0.1:9000/smart", "exits": {"go-s2": "s2"}},
               "s2": {"type": "smart_api", "url": "...", "exits": {"go-a": "sales", "go-b": "support", "e": "bye"}},
               "sales": {"type": "queue", "queue": "501"}, "support": {"type": "queue", "queue": "500"},
               "bye": {"type": "hangup"}}}

The node name is the component's ``app_name``. ``exits`` maps an exit (a route's Case, ``S``/``B``/``F``,
``t``/``i``, ``e``, ``next``) to the node it leads to; an exit that leads nowhere hangs the call up.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.core.outbound.outbox import CallbackUrlError, validate_callback_url
from emulator.core.outbound.targets import Listeners, OutboundUrlError, check_service_target

NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
NUMBER = re.compile(r"\+?[0-9*#]{1,20}")
MAX_NODES = 200
MAX_EXITS = 50
MAX_TEXT = 200
API_TYPES = ("smart_api", "ivr_api", "exten_api", "trunk_api")
# node type -> {parameter: (python type, default)}
PARAMETERS: dict[str, dict[str, tuple[type, Any]]] = {
    "smart_api": {"url": (str, "")},
    "ivr_api": {
        "url": (str, ""), "announcement": (str, ""), "timeout_announcement": (str, ""),
        "invalid_announcement": (str, ""), "direct_dial": (bool, False), "repeat": (int, 1),
        "timeout": (int, 5), "max_digits": (int, 1),
    },
    "exten_api": {"url": (str, ""), "timeout": (int, 30), "options": (str, "")},
    "trunk_api": {"url": (str, ""), "timeout": (int, 30), "options": (str, "")},
    "announcement": {"file": (str, "")},
    "ivr": {"announcement": (str, ""), "timeout": (int, 5), "max_digits": (int, 1)},
    "queue": {"queue": (str, "")},
    "extension": {"extension": (str, ""), "timeout": (int, 30)},
    "survey": {"announcement": (str, ""), "label": (str, ""), "timeout": (int, 5)},
    "hangup": {},
}  # fmt: skip
FIELDS = ("numbers", "start", "nodes")


class DialplanError(ValueError):
    """A dialplan definition that cannot be used; the message names the first problem."""


def parse(name: str, body: Any) -> dict[str, Any]:
    """The stored form of a definition: every node complete with its defaults; DialplanError if invalid."""
    if not NAME.fullmatch(name or ""):
        raise DialplanError("a dialplan name is 1-64 letters, digits, '_', '.' or '-'")
    if not isinstance(body, dict):
        raise DialplanError("a dialplan is an object with 'numbers', 'start' and 'nodes'")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise DialplanError(f"unknown dialplan field {unknown[0]!r}; fields are {', '.join(FIELDS)}")
    numbers = body.get("numbers", [])
    if not isinstance(numbers, list) or not all(isinstance(n, str) and NUMBER.fullmatch(n) for n in numbers):
        raise DialplanError("'numbers' must be a list of dialled numbers (digits)")
    nodes = body.get("nodes")
    if not isinstance(nodes, dict) or not nodes or len(nodes) > MAX_NODES:
        raise DialplanError(f"'nodes' must be an object of 1 to {MAX_NODES} named nodes")
    parsed = {node_name: _node(node_name, node) for node_name, node in nodes.items()}
    for node_name, node in parsed.items():
        for exit_name, target in node["exits"].items():
            if target not in parsed:
                raise DialplanError(f"node {node_name!r}: exit {exit_name!r} leads to unknown node {target!r}")
    start = body.get("start", next(iter(parsed)))
    if start not in parsed:
        raise DialplanError(f"'start' must name a node; {start!r} is not one")
    return {"numbers": list(numbers), "start": start, "nodes": parsed}


def _node(name: Any, node: Any) -> dict[str, Any]:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise DialplanError(f"node name {name!r}: 1-64 letters, digits, '_', '.' or '-'")
    if not isinstance(node, dict) or node.get("type") not in PARAMETERS:
        raise DialplanError(f"node {name!r}: 'type' must be one of {', '.join(PARAMETERS)}")
    kind = node["type"]
    allowed = PARAMETERS[kind]
    unknown = sorted(set(node) - {"type", "exits", *allowed})
    if unknown:
        raise DialplanError(f"node {name!r}: unknown field {unknown[0]!r} for type {kind}")
    out: dict[str, Any] = {"type": kind}
    for field_name, (kind_of, default) in allowed.items():
        value = node.get(field_name, default)
        if not isinstance(value, kind_of) or (kind_of is int and isinstance(value, bool)):
            raise DialplanError(f"node {name!r}: {field_name!r} must be {kind_of.__name__}")
        if isinstance(value, str) and len(value) > (2000 if field_name == "url" else MAX_TEXT):
            raise DialplanError(f"node {name!r}: {field_name!r} is too long")
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 3600:
            raise DialplanError(f"node {name!r}: {field_name!r} must be between 0 and 3600")
        out[field_name] = value
    if kind in API_TYPES:
        try:
            validate_callback_url(out["url"])
        except CallbackUrlError as exc:
            raise DialplanError(f"node {name!r}: 'url' {exc}") from exc
    exits = node.get("exits", {})
    if not isinstance(exits, dict) or len(exits) > MAX_EXITS:
        raise DialplanError(f"node {name!r}: 'exits' must be an object of at most {MAX_EXITS} exits")
    for exit_name, target in exits.items():
        if not isinstance(exit_name, str) or not 0 < len(exit_name) <= 64 or not isinstance(target, str):
            raise DialplanError(f"node {name!r}: each exit is a name (1-64 characters) leading to a node name")
    out["exits"] = dict(exits)
    return out


async def check_targets(plan: dict[str, Any], listeners: Listeners | None) -> None:
    """Check each API component's ``url`` of a parsed ``plan`` with its host name resolved
    (``check_service_target``, run again before each request); DialplanError names the first refused."""
    for name, node in plan["nodes"].items():
        if node["type"] in API_TYPES:
            try:
                await check_service_target(node["url"], listeners)
            except OutboundUrlError as exc:
                raise DialplanError(f"node {name!r}: 'url' {exc.reason}") from exc


def serving(dialplans: dict[str, dict[str, Any]], number: str) -> str | None:
    """The name of the dialplan that answers calls to ``number`` (first defined wins), else None."""
    for name, plan in dialplans.items():
        if number in plan["numbers"]:
            return name
    return None
