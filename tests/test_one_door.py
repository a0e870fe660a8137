"""The one door to the core (issue 18), enforced: who may import what, and no cycles.

- Only ``persistence/`` speaks SQL: no other module imports ``sqlalchemy``.
- The front ends (``gui/``, ``cli/``, and the coming ``portal/``) reach the core through
  the service facade: they import neither ``sqlalchemy`` nor ``ebs_desktop.persistence``.
- No import cycles between the product's modules, counting imports at any depth (a
  deferred import inside a function that closes a cycle is still a cycle), except those
  under ``if TYPE_CHECKING:``, which never run.

Every ``import x`` and ``from x import y`` statement counts, wherever it stands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ebs_desktop"
FRONT_ENDS = ("gui", "cli", "portal")


def _module_name(path: Path) -> str:
    parts = ("ebs_desktop", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _imported(module: str, path: Path) -> set[str]:
    """Fully qualified names this module imports (``from a import b`` gives ``a.b`` when
    ``a.b`` is a module of ours, else ``a``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            out.add(full if full in MODULES else base)
    return out


IMPORTS = {name: _imported(name, path) for name, path in MODULES.items()}


def _offenders(where: tuple[str, ...] | None, forbidden: tuple[str, ...],
               outside: str | None = None) -> list[str]:
    found = []
    for name, targets in sorted(IMPORTS.items()):
        layer = name.split(".")[1] if name.count(".") else ""
        if where is not None and layer not in where:
            continue
        if outside is not None and layer == outside:
            continue
        found += [f"{name} imports {t}" for t in sorted(targets)
                  if any(t == f or t.startswith(f + ".") for f in forbidden)]
    return found


def test_only_persistence_imports_sqlalchemy() -> None:
    assert _offenders(None, ("sqlalchemy",), outside="persistence") == []


def test_front_ends_import_neither_sqlalchemy_nor_persistence() -> None:
    assert _offenders(FRONT_ENDS, ("sqlalchemy", "ebs_desktop.persistence")) == []


def test_the_checks_see_plain_and_deferred_imports(tmp_path: Path) -> None:
    """The walker finds ``import x`` and imports inside functions (it would miss nothing
    that runs), and skips ``if TYPE_CHECKING:`` blocks."""
    source = ("import sqlalchemy.orm\nfrom typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    import ebs_desktop.persistence.engine\n"
              "def f():\n    from ebs_desktop.persistence import migrate\n")
    names = {n.module if isinstance(n, ast.ImportFrom) else n.names[0].name
             for n in _import_nodes(ast.parse(source))}
    assert names == {"sqlalchemy.orm", "typing", "ebs_desktop.persistence"}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    graph = {name: {t for t in targets if t in MODULES and t != name}
             for name, targets in IMPORTS.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
