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
