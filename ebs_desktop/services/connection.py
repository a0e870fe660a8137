"""Opening a database for a front end: open it and check that its schema is the one this
program knows, so a front end never touches the persistence layer itself.

``Database`` is re-exported for front ends to annotate the handle they hold and pass to
the facade (``StaffServices(db, actor)``).
"""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.migrate import check_schema, upgrade
from ebs_desktop.persistence.secrets import store_password

__all__ = ["Database", "open_checked_database", "open_upgraded_database", "remember_password"]


def open_checked_database(url: str) -> Database:
    """Open ``url`` and check its schema; raises SchemaError/ConfigError with a readable
    message (and closes the handle) when it cannot be used."""
    db = open_database(url)
    try:
        check_schema(db)
    except Exception:
        db.dispose()
        raise
    return db


def open_upgraded_database(url: str) -> Database:
    """Open ``url`` (a new SQLite file is created) and bring its schema to the newest; for
    tools that build a database of their own (the screenshot tool's demo)."""
    db = open_database(url)
    try:
        upgrade(db)
    except Exception:
        db.dispose()
        raise
    return db


def remember_password(url: str, password: str) -> None:
    """Keep the password of a PostgreSQL ``url`` in the OS keyring (never in a file), for
    the connection chosen to be opened at the next start."""
    store_password(url, password)
