"""Small lookups around the counter work of a front end (see ``services/desk.py``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Counter, Shift, ZReport


def latest_z_report(s: Session, *, shift_id: int | None = None,
                    counter_code: str | None = None) -> int | None:
    """The Z-report of a shift, or the newest one of a counter."""
    stmt = select(ZReport.id).join(Shift, Shift.id == ZReport.shift_id)
    if shift_id is not None:
        stmt = stmt.where(Shift.id == shift_id)
    else:
        stmt = stmt.join(Counter, Counter.id == Shift.counter_id).where(
            Counter.code == counter_code).order_by(ZReport.id.desc())
    found = s.scalar(stmt.limit(1))
    return None if found is None else int(found)


def counter_printer_id(s: Session, counter_code: str) -> int | None:
    found = s.scalar(select(Counter.printer_id).where(Counter.code == counter_code))
    return None if found is None else int(found)
