"""Fixture files: parse, validate (naming file, line and field on error) and build a World."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from faker import Faker

from emulator import apis
from emulator.core.api import ApiSpec, FixturePart
from emulator.core.persist import yaml_bounds
from emulator.core.sim.clock import parse_instant
from emulator.world import world_type

DEFAULT_ANCHOR = "2026-01-01T00:00:00Z"


def schema(specs: tuple[ApiSpec, ...] | None = None) -> dict[str, Any]:
    """The fixture document's JSON schema: the common keys, then one section per API with a fixture part."""
    sections = {name: part.schema for name, part in _parts(specs)}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "seed": {"type": "integer"},
            "anchor": {"type": "string"},
            "description": {"type": "string"},
            **sections,
        },
    }


def _parts(specs: tuple[ApiSpec, ...] | None = None) -> list[tuple[str, FixturePart]]:
    """(API name, fixture part) of each API (of ``specs``, default the registered ones) that has one."""
    return [(spec.name, spec.fixture) for spec in (specs or apis.registered()) if spec.fixture is not None]


_VALIDATORS: dict[tuple[ApiSpec, ...], Any] = {}


def _validator() -> Any:
    specs = apis.registered()
    if specs not in _VALIDATORS:
        _VALIDATORS[specs] = jsonschema_rs.Draft202012Validator(schema(specs))
    return _VALIDATORS[specs]


class FixtureError(ValueError):
    """A fixture document is malformed; the message names the source, line and field."""

    def __init__(self, source: str, line: int | None, field: str, problem: str) -> None:
        self.source, self.line, self.field, self.problem = source, line, field, problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {field}: {problem}")

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "field": self.field, "problem": self.problem}


@dataclass(frozen=True)
class Fixture:
    """A validated fixture document and where it came from."""

    source: str
    data: dict[str, Any]

    @cached_property
    def identity(self) -> str:
        """A text that differs between fixtures with different content (a cache key)."""
        return f"{self.source}\0{self.data!r}"

    @property
    def seed(self) -> int:
        return int(self.data.get("seed", 0))

    def build(self, seed: int | None = None) -> Any:
        """Build a fresh World; the same fixture and seed always give the same World."""
        faker_seed = self.seed if seed is None else seed
        anchor = parse_instant(self.data.get("anchor", DEFAULT_ANCHOR))
        world = world_type()()
        for name, part in _parts():
            faker = Faker(part.locale)  # each API's own faker stream, seeded alike
            faker.seed_instance(faker_seed)
            setattr(world, name, part.build(self.data.get(name, {}), faker, anchor))
        return world


def parse(text: str, source: str, directory: Path | None = None) -> Fixture:
    """Parse YAML or JSON fixture text and validate it against the fixture schema.

    ``directory`` (the fixture file's folder) is where ``files`` entries written ``{file: ...}`` are
    read from; a fixture without one (sent over the control plane) must inline them as base64.

    Fixtures may come from a request body, so the text is bounded before anything is built from
    it (``yaml_bounds``): nesting depth, node count after alias expansion, generated rows.
    """
    try:
        yaml_bounds.check_depth(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        yaml_bounds.check_expansion(node)
        data = yaml_bounds.construct(node)
    except yaml_bounds.TooLarge as exc:
        raise FixtureError(source, exc.line, "(document)", str(exc)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise FixtureError(source, line, "(document)", getattr(exc, "problem", None) or str(exc)) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FixtureError(source, 1, "(document)", "a fixture must be a mapping")
    errors = [(list(error.instance_path), error.message) for error in _validator().iter_errors(data)]
    if errors:  # report the first problem in document order, the most specific one on that line
        path, message = min(errors, key=lambda item: (_line_of(node, item[0]) or 0, -len(item[0])))
        raise FixtureError(source, _line_of(node, path), ".".join(map(str, path)) or "(document)", message)
    if "anchor" in data:
        try:
            parse_instant(data["anchor"])
        except ValueError as exc:
            raise FixtureError(source, _line_of(node, ["anchor"]), "anchor", str(exc)) from exc
    _check_unique(data, node, source)
    _check_generated_rows(data, source)
    for _, part in _parts():
        for path, problem in part.problems(data, directory):
            raise FixtureError(source, _line_of(node, path), ".".join(map(str, path)), problem)
    return Fixture(source=source, data=data)


def load_file(path: str | Path) -> Fixture:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FixtureError(str(path), None, "(file)", exc.strerror or str(exc)) from exc
    return parse(text, str(path), path.parent)


MAX_GENERATED_ROWS = 1_000_000
"""Rows all ``generate`` sections of one fixture may ask faker for, together."""


def _check_generated_rows(data: dict[str, Any], source: str) -> None:
    sections = [section for _, part in _parts() for section in part.generated(data)]
    total = sum(count for section in sections for count in section.values() if isinstance(count, int))
    if total > MAX_GENERATED_ROWS:
        raise FixtureError(
            source, None, "generate", f"asks for {total} generated rows in all; at most {MAX_GENERATED_ROWS}"
        )


def _check_unique(data: dict[str, Any], node: Any, source: str) -> None:
    unique = [(name, *pair) for name, part in _parts() for pair in part.unique]
    for api, collection, key in unique:
        seen: set[str] = set()
        for index, item in enumerate(data.get(api, {}).get(collection, [])):
            if item[key] in seen:
                path = [api, collection, index, key]
                raise FixtureError(source, _line_of(node, path), ".".join(map(str, path)), "duplicate value")
            seen.add(item[key])


def _line_of(node: Any, path: list[Any]) -> int | None:
    """Line (1-based) of the YAML node at ``path``, or of its deepest existing ancestor."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
