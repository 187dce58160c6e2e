"""Nothing imports upward: core knows no API, services know no HTTP, the APIs know not each other,
and no module of the package imports itself back through others (type-only and lazy imports count)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "emulator"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules an import statement names: ``from pkg import mod`` is ``pkg.mod`` when that is a
    module, else ``pkg``; relative imports are resolved against ``name``."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    modules = _modules()
    return {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}


def _imports(path: Path, *, type_only: bool = True) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions, ``if TYPE_CHECKING:``); without
    ``type_only``, the imports inside ``if TYPE_CHECKING:`` blocks are left out."""
    tree = _tree(path)
    skipped: set[int] = set()
    if not type_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(child) for child in ast.walk(node))
    name = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
            found |= _imported(name, path, node)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (itself excluded)."""
    modules = _modules()
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.add(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(frozenset(members))
    return found


def test_cycle_finder_finds_a_circle_and_its_members_only():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_among_emulator_modules():
    assert [sorted(circle) for circle in circles(import_graph())] == []


def test_core_imports_nothing_above_it():
    """``emulator.core`` may import itself and ``emulator.config`` only, type-only imports included."""
    offenders = [
        f"{name} imports {module}"
        for name, path in sorted(_modules().items())
        if name.startswith("emulator.core")
        for module in sorted(_imports(path))
        if module.startswith("emulator") and not module.startswith(("emulator.core", "emulator.config"))
    ]
    assert offenders == []


def test_api_packages_never_name_the_runtime_or_the_app():
    """API packages type against ``core.api.Host``; they reach the control plane's toolkit only."""
    allowed_admin = ("emulator.admin.http",)
    offenders = [
        f"{name} imports {module}"
        for name, path in sorted(_modules().items())
        if name.startswith(("emulator.yemot", "emulator.simotel"))
        for module in sorted(_imports(path))
        if module.startswith(("emulator.runtime", "emulator.app", "emulator.apis", "emulator.world"))
        or (module.startswith("emulator.admin") and module not in allowed_admin)
    ]
    assert offenders == []


def test_the_control_plane_toolkit_knows_no_api():
    assert {m for m in _imports(PACKAGE / "admin" / "http.py") if m.startswith("emulator")} <= {
        m for m in _modules() if m.startswith("emulator.core")
    }


RULES = [
    ("yemot", ("emulator.simotel",)),
    ("simotel", ("emulator.yemot",)),
    ("yemot/services", ("starlette",)),
    ("yemot/campaigns", ("starlette",)),
    ("simotel/services", ("starlette",)),
]


@pytest.mark.parametrize(("folder", "forbidden"), RULES, ids=[rule[0] for rule in RULES])
def test_layer_imports_only_downward(folder, forbidden):
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for module in sorted(_imports(path, type_only=False))
        if module.startswith(forbidden)
    ]
    assert offenders == []


def test_state_modules_import_no_behaviour():
    for path in [*PACKAGE.rglob("state.py")]:
        imports = _imports(path, type_only=False)
        assert not any(".services" in m or m.endswith((".wire", ".auth")) for m in imports), path


def test_only_the_registry_and_the_api_packages_name_an_api():
    """Outside its own package, an API is named only by ``emulator/apis.py`` (the one list)."""
    from emulator import apis

    packages = tuple(f"emulator.{spec.name}" for spec in apis.APIS)
    offenders = [
        f"{name} imports {module}"
        for name, path in sorted(_modules().items())
        if not name.startswith(packages) and name != "emulator.apis"
        for module in sorted(_imports(path))
        if module.startswith(packages)
    ]
    assert offenders == []
