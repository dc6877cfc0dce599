"""The package's module map: layers point one way, no import circles, widgets stay on top.

Read from the source with :mod:`ast` (nothing is imported), so an import hidden inside a function
counts too: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mentoring_mosaic"

# content -> model -> store -> analysis -> exports -> widgets -> serve (the ways it is served)
LAYER_OF_TOP: dict[str, int] = {
    "content": 0,
    "model": 1,
    "migrations": 1,
    "validation": 1,
    "csv_safe": 1,
    "store": 2,
    "session": 2,
    "demo": 2,
    "analysis": 3,
    "exports": 4,
    "widgets": 5,
    "serve": 6,
}
BROWSER_LIBRARIES = {"ipywidgets", "ipycytoscape", "anywidget", "IPython"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> tuple[set[str], set[str]]:
    """(modules of this package, top-level third-party names) that ``path`` imports anywhere."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
                if node.module:
                    internal.add(target)
                else:  # ``from . import schema`` imports the submodule, not the package itself
                    internal.update(".".join([*base, a.name]).lstrip(".") for a in node.names)
            elif node.module and node.module.startswith("mentoring_mosaic"):
                internal.add(node.module.removeprefix("mentoring_mosaic").lstrip("."))
            elif node.module:
                external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mentoring_mosaic"):
                    internal.add(alias.name.removeprefix("mentoring_mosaic").lstrip("."))
                else:
                    external.add(alias.name.split(".")[0])
    return {m for m in internal if m and m != name}, external


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if module_name(p)}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def layer(name: str) -> int:
    return LAYER_OF_TOP[name.split(".")[0]]


def test_every_module_belongs_to_a_layer() -> None:
    unknown = sorted(n for n in MODULES if n.split(".")[0] not in LAYER_OF_TOP)
    assert not unknown, f"place these modules in a layer (LAYER_OF_TOP): {unknown}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_layers(name: str) -> None:
    upward = sorted(t for t in GRAPH[name][0] if t.split(".")[0] in LAYER_OF_TOP
                    and layer(t) > layer(name))
    assert not upward, f"{name} (layer {layer(name)}) imports higher layers: {upward}"


def test_only_widgets_import_the_browser_libraries() -> None:
    offenders = {n: sorted(GRAPH[n][1] & BROWSER_LIBRARIES) for n in MODULES
                 if layer(n) < LAYER_OF_TOP["widgets"] and GRAPH[n][1] & BROWSER_LIBRARIES}
    assert not offenders


def test_no_import_circles() -> None:
    """Between two modules that are not package and child, imports never go both ways round."""
    edges = {n: {t for t in GRAPH[n][0] if t in MODULES
                 and not (t.startswith(n + ".") or n.startswith(t + "."))} for n in MODULES}
    seen: dict[str, int] = {}  # 1 on the current path, 2 finished

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], nxt]
                pytest.fail(f"import circle: {' -> '.join(cycle)}")
            if nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for start in sorted(edges):
        if start not in seen:
            visit(start, [start])


def test_the_map_finds_imports_inside_functions(tmp_path: Path) -> None:
    """The checker itself: a deferred import is still seen (else the rules above prove nothing)."""
    assert "validation" in GRAPH["exports.notebook"][0]  # imported inside a function there
    assert "store" in GRAPH["serve.room"][0]
