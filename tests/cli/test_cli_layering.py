"""The command line reaches the core through the facade only (issue 18): no module of
``ebs_desktop/cli`` imports SQLAlchemy or ``ebs_desktop.persistence`` (``import x`` and
``from x import y``, at any depth: inside functions and TYPE_CHECKING blocks too), and the
product never imports the benchmarks, which live in ``tools/bench``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ebs_desktop"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offenders(folder: Path, prefixes: tuple[str, ...]) -> list[str]:
    return sorted(f"{path.relative_to(ROOT)}: {name}"
                  for path in folder.rglob("*.py") for name in _imported(path)
                  if any(name == p or name.startswith(p + ".")
                                             for p in prefixes))


def test_the_command_line_imports_no_database_layer() -> None:
    assert _offenders(PACKAGE / "cli", ("sqlalchemy", "ebs_desktop.persistence")) == []


def test_the_product_imports_no_tooling() -> None:
    assert _offenders(PACKAGE, ("tools", "tests")) == []


def test_the_benchmarks_are_not_an_ebs_command() -> None:
    from ebs_desktop.cli.main import AREA_MODULES

    assert "bench" not in {name for names in AREA_MODULES.values() for name in names}
    assert not (PACKAGE / "cli" / "bench.py").exists()
    assert (ROOT / "tools" / "bench" / "__main__.py").is_file()
