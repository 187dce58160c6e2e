"""Nothing imports upward: core knows no API, services know no HTTP, the two APIs know not each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "emulator"


def _runtime_imports(path: Path) -> set[str]:
    """Modules imported outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


RULES = [
    ("core", ("emulator.yemot", "emulator.simotel", "emulator.admin", "emulator.app", "emulator.runtime")),
    ("yemot", ("emulator.simotel", "emulator.admin", "emulator.app")),
    ("simotel", ("emulator.yemot", "emulator.admin", "emulator.app")),
    ("yemot/services", ("starlette",)),
    ("yemot/campaigns", ("starlette",)),
    ("simotel/services", ("starlette",)),
]


@pytest.mark.parametrize(("folder", "forbidden"), RULES, ids=[rule[0] for rule in RULES])
def test_layer_imports_only_downward(folder, forbidden):
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for module in sorted(_runtime_imports(path))
        if module.startswith(forbidden)
    ]
    assert offenders == []


def test_state_modules_import_no_behaviour():
    for path in [*PACKAGE.rglob("state.py")]:
        imports = _runtime_imports(path)
        assert not any(".services" in m or m.endswith((".wire", ".auth")) for m in imports), path
