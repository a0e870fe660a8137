"""Gapless document numbers (bills, credit notes, receipts), allocated in the caller's
transaction.

``UPDATE number_series SET next_value = next_value + n ... RETURNING next_value`` locks
only that series' row until commit; a rollback returns the numbers, so there are never
gaps, and counters with their own series never wait for each other.
Numbers from ``MAX(number) + 1`` would race; a database sequence would leave gaps.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# Same text on SQLite (>= 3.24) and PostgreSQL.
_INSERT = text("INSERT INTO number_series (code, prefix, next_value) VALUES (:c, :p, 1) "
               "ON CONFLICT (code) DO NOTHING")
_TAKE = text("UPDATE number_series SET next_value = next_value + :n WHERE code = :c "
             "RETURNING next_value, prefix")


def take_numbers(session: Session, series: str, prefix: str, count: int = 1) -> tuple[str, int]:
    """Reserve ``count`` consecutive numbers; returns (prefix, first sequence number)."""
    if count < 1:
        raise ValueError("count must be >= 1")
    row = session.execute(_TAKE, {"n": count, "c": series}).one_or_none()
    if row is None:
        session.execute(_INSERT, {"c": series, "p": prefix})
        row = session.execute(_TAKE, {"n": count, "c": series}).one()
    next_value, stored_prefix = int(row[0]), str(row[1])
    return stored_prefix, next_value - count


def format_number(prefix: str, seq: int, width: int = 7) -> str:
    return f"{prefix}{seq:0{width}d}"


def take_number(session: Session, series: str, prefix: str, width: int = 7) -> tuple[str, int]:
    """One number: (formatted number, sequence)."""
    stored_prefix, seq = take_numbers(session, series, prefix, 1)
    return format_number(stored_prefix, seq, width), seq
