"""Opening a database for a front end: open it and check that its schema is the one this
program knows, so a front end never touches the persistence layer itself.

``Database`` is re-exported for front ends to annotate the handle they hold and pass to
the facade (``StaffServices(db, actor)``).
"""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.migrate import check_schema

__all__ = ["Database", "open_checked_database"]


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
