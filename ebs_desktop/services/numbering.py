"""Gapless document numbers (bills, credit notes, receipts), allocated in the caller's
transaction.

``UPDATE number_series SET next_value = next_value + n ... RETURNING next_value`` locks
only that series' row until commit; a rollback returns the numbers, so there are never
gaps, and counters with their own series never wait for each other.
Numbers from ``MAX(number) + 1`` would race; a database sequence would leave gaps.
The series row itself is read and moved by ``persistence.stores.numbering``.
"""

from __future__ import annotations

from ebs_desktop.persistence.stores.numbering import advance_series
from ebs_desktop.persistence.tx import Session


def take_numbers(session: Session, series: str, prefix: str, count: int = 1) -> tuple[str, int]:
    """Reserve ``count`` consecutive numbers; returns (prefix, first sequence number)."""
    if count < 1:
        raise ValueError("count must be >= 1")
    next_value, stored_prefix = advance_series(session, series, prefix, count)
    return stored_prefix, next_value - count


def format_number(prefix: str, seq: int, width: int = 7) -> str:
    return f"{prefix}{seq:0{width}d}"


def take_number(session: Session, series: str, prefix: str, width: int = 7) -> tuple[str, int]:
    """One number: (formatted number, sequence)."""
    stored_prefix, seq = take_numbers(session, series, prefix, 1)
    return format_number(stored_prefix, seq, width), seq
