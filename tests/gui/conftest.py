"""GUI tests run offscreen, with QSettings in a throw-away folder.

QT_QPA_PLATFORM must be set before Qt creates its application, i.e. before pytest-qt's
``qapp`` fixture runs; setting it at import time of this conftest is early enough.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from ebs_desktop.gui.qt import QSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """Each test gets its own empty QSettings store (INI files under tmp_path)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield tmp_path


# -- a real database with the demo utility (small), copied per test -------------------------
import shutil  # noqa: E402

from ebs_desktop.gui.backend import ServiceHub  # noqa: E402
from ebs_desktop.persistence import migrate  # noqa: E402
from ebs_desktop.persistence.engine import open_database  # noqa: E402

DEMO_PASSWORDS = {"admin": "admin-demo", "clerk": "clerk-demo", "reader": "reader-demo",
                  "billing": "billing-demo", "manager": "manager-demo"}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ebs_desktop.services.demo import build_demo

    path = tmp_path_factory.mktemp("gui-demo") / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    build_demo(db, customers=50, months=4, until="2026-06")
    db.dispose()
    return path


@pytest.fixture
def demo_hub(tmp_path: Path, demo_template: Path) -> Iterator[ServiceHub]:
    """A ServiceHub over a private copy of the demo database (nobody signed in yet)."""
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    yield ServiceHub(db)
    db.dispose()
