"""Where things live on this PC, and which database to open.

The database URL comes from ``--db``, else ``EBS_DATABASE_URL``, else the SQLite file in
the user data folder (platformdirs: ``~/.local/share/ebs-desktop/ebs.sqlite3`` on Linux,
``%LOCALAPPDATA%\\EBS\\ebs-desktop`` on Windows). Nothing secret is ever written here:
a PostgreSQL password lives in the OS keyring (see :mod:`ebs_desktop.persistence.secrets`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ebs-desktop"
APP_AUTHOR = "EBS"


def data_dir() -> Path:
    override = os.environ.get("EBS_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_sqlite_path() -> Path:
    return data_dir() / "ebs.sqlite3"


def default_database_url() -> str:
    return f"sqlite:///{default_sqlite_path()}"


def resolve_database_url(explicit: str | None) -> str:
    """``--db`` wins, then ``EBS_DATABASE_URL``, then the default SQLite file.

    A bare file path (``./office.sqlite3``) is accepted and means a SQLite file.
    """
    url = explicit or os.environ.get("EBS_DATABASE_URL") or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url
