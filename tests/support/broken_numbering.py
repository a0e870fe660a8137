"""DELIBERATELY BROKEN receipt numbering, for the concurrency test only.

``MAX(seq) + 1`` read without a lock: two counters posting at once read the same maximum
and take the same number (a unique-key collision), and a rollback leaves no trace of the
number it gave out. The concurrency test installs it in its worker processes with
:func:`install` (replacing :func:`ebs_desktop.services.counter.posting.take_receipt_number`,
the one function a posting numbers its receipt with) to show the checks catch it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Receipt
from ebs_desktop.services.counter import posting
from ebs_desktop.services.numbering import format_number


def max_plus_one_number(session: Session, series: str, prefix: str) -> tuple[str, int]:
    """Two counters read the same MAX and collide."""
    top = session.scalar(select(func.max(Receipt.seq)).where(Receipt.series == series))
    seq = int(top or 0) + 1
    return format_number(prefix, seq, 6), seq


def install() -> None:
    """Number this process's receipts the broken way (a worker process of the test; it
    is never undone, the process ends)."""
    posting.take_receipt_number = max_plus_one_number
