"""The layout's rules, read from the source: a package's insides stay inside, and no two
modules import each other.

A package's insides are its ``_``-prefixed modules (``zonetrainer.core.control._policy``);
what other parts may use is what the package's ``__init__`` exports. Tests are white-box and
may import insides; the application, the benchmarks and the scripts may not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
CHECKED = [SRC / "zonetrainer", ROOT / "benchmarks", ROOT / "scripts"]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC) if path.is_relative_to(SRC) else path.relative_to(ROOT)
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module ``source`` (the text of ``module``) imports: ``from a.b import c`` yields
    a.b and a.b.c, since c may be a module."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _file_imports(path: Path) -> Iterator[tuple[int, str]]:
    return _imports(path.read_text(encoding="utf-8"), _module_name(path),
                    path.name == "__init__.py")


def _private_owner(module: str) -> str | None:
    """The package whose inside ``module`` is, or None for a public module."""
    parts = module.split(".")
    for index, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__") and index > 0:
            return ".".join(parts[:index])
    return None


def insides_imported(importer: str, imports: Iterator[tuple[int, str]]) -> list[str]:
    """``importer``'s imports of another package's insides, as "line: module"."""
    found = []
    for lineno, module in imports:
        owner = _private_owner(module)
        if owner is None or not owner.startswith("zonetrainer"):
            continue
        if importer == owner or importer.startswith(owner + "."):
            continue
        found.append(f"{lineno}: {module}")
    return found


def test_no_module_outside_a_package_imports_its_insides() -> None:
    bad = [f"{path.relative_to(ROOT)}:{line}"
           for top in CHECKED for path in sorted(top.rglob("*.py"))
           for line in insides_imported(_module_name(path), _file_imports(path))]
    assert bad == [], "\n".join(bad)


def test_the_check_finds_an_inside_imported_from_outside() -> None:
    # The rule checked on code that breaks it, so the test above cannot pass by finding nothing.
    source = ("from zonetrainer.core.control._policy import DECISION_STEP_S\n"
              "from zonetrainer.core.control import ZoneController\n"
              "from . import _filter\n")
    outside = list(_imports(source, "zonetrainer.core.engine._blocks", False))
    assert insides_imported("zonetrainer.core.engine._blocks", iter(outside)) == [
        "1: zonetrainer.core.control._policy",
        "1: zonetrainer.core.control._policy.DECISION_STEP_S",
    ]  # line 3 is the engine's own inside
    inside = _imports(source, "zonetrainer.core.control._controller", False)
    assert insides_imported("zonetrainer.core.control._controller", inside) == []


def _import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in (SRC / "zonetrainer").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _, module in _file_imports(path):
            if module in modules and module != name:
                graph[name].add(module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_package_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's ``__init__`` importing its own insides, and those insides importing the
    package's face for a sibling's name, is how a package works, not a circle between ideas:
    leave out the edges from a package to its own modules."""
    return {name: {m for m in deps if not m.startswith(name + ".")}
            for name, deps in graph.items()}


def test_no_two_modules_import_each_other() -> None:
    cycles = _cycles(_without_package_faces(_import_graph()))
    assert cycles == [], f"import circles: {cycles}"


def test_the_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
