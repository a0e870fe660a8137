"""The core stays Qt-free: only ebs_desktop/gui may import PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ebs_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_qt_import_outside_gui() -> None:
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if "gui" not in p.relative_to(PACKAGE).parts
                 and {"PySide6", "shiboken6", "PyQt5", "PyQt6"} & _imports(p)]
    assert offenders == []


def test_domain_imports_no_other_layer() -> None:
    layers = ("ebs_desktop.persistence", "ebs_desktop.services", "ebs_desktop.gui",
              "ebs_desktop.cli", "ebs_desktop.devices", "ebs_desktop.reports", "sqlalchemy")
    offenders = []
    for path in (PACKAGE / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(layers):
                offenders.append(f"{path.relative_to(PACKAGE)}: {node.module}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    """Belt and braces: import every core module in a fresh interpreter, then look."""
    modules = sorted(
        ".".join(("ebs_desktop", *p.relative_to(PACKAGE).with_suffix("").parts))
        .removesuffix(".__init__")
        for p in PACKAGE.rglob("*.py")
        if "gui" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
