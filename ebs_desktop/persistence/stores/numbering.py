"""The number series rows behind gapless document numbers (see ``services.numbering``).

``UPDATE number_series SET next_value = next_value + n ... RETURNING next_value`` locks
only that series' row until commit; a rollback returns the numbers, so there are never
gaps. The same statements run on SQLite (>= 3.24) and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_INSERT = text("INSERT INTO number_series (code, prefix, next_value) VALUES (:c, :p, 1) "
               "ON CONFLICT (code) DO NOTHING")
_TAKE = text("UPDATE number_series SET next_value = next_value + :n WHERE code = :c "
             "RETURNING next_value, prefix")


def advance_series(session: Session, series: str, prefix: str, count: int) -> tuple[int, str]:
    """Move the series on by ``count`` (creating it with ``prefix`` if it is new) and keep
    its row locked: (next value after the move, the series' stored prefix)."""
    row = session.execute(_TAKE, {"n": count, "c": series}).one_or_none()
    if row is None:
        session.execute(_INSERT, {"c": series, "p": prefix})
        row = session.execute(_TAKE, {"n": count, "c": series}).one()
    return int(row[0]), str(row[1])
