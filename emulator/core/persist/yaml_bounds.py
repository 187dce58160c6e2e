"""YAML from untrusted sources, bounded: nesting depth, and size after anchors/aliases expand.

A YAML alias reuses a node, so ten lines of ``&a``/``*a`` can describe billions of values
("billion laughs"). ``check_depth`` scans tokens (no recursion) before composing, and
``check_expansion`` counts the nodes of the composed graph as if every alias were copied,
without copying anything; only then is the document constructed.
"""

from __future__ import annotations

from typing import Any

import yaml

from emulator.core.http import jsonsafe

MAX_DEPTH = 32
MAX_NODES = 200_000

_OPEN = (
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


class TooLarge(ValueError):
    """A document beyond the bounds; ``line`` (1-based) is where it was noticed, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse text whose collections nest deeper than ``max_depth`` (raises ``TooLarge`` or ``yaml.YAMLError``)."""
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, _OPEN):
            depth += 1
            if depth > max_depth:
                raise TooLarge(f"nests deeper than {max_depth} levels", token.start_mark.line + 1)
        elif isinstance(token, _CLOSE):
            depth -= 1


def check_expansion(node: yaml.Node | None, max_nodes: int = MAX_NODES) -> int:
    """Count the nodes ``node`` stands for with every alias expanded; refuse more than ``max_nodes``."""
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        sizes[id(current)] = max_nodes + 1  # a node reached again while being counted: a cycle
        total = 1
        if isinstance(current, yaml.SequenceNode):
            children: list[yaml.Node] = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > max_nodes:
                break
        sizes[id(current)] = total
        if total > max_nodes:
            raise TooLarge(
                f"expands to more than {max_nodes} values (anchors and aliases count once per use)",
                current.start_mark.line + 1,
            )
        return total

    return 0 if node is None else size(node)


def construct(node: yaml.Node | None) -> Any:
    """The Python value of a composed (and checked) node, with the safe constructors."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return jsonsafe.check_text(loader.construct_document(node))
    except (ValueError, OverflowError) as exc:  # e.g. an integer of 5000 digits, a lone surrogate
        raise TooLarge(f"a value cannot be read: {exc}", node.start_mark.line + 1) from exc
    finally:
        loader.dispose()
