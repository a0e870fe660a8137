"""The database as a whole, as an administrator sees it (``ebs db info``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Base


def row_counts(session: Session) -> dict[str, int]:
    """The number of rows of every table of the schema, in dependency order."""
    return {table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables}
