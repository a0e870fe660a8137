"""Bills' PDFs as issued (``bill_pdfs``): read many at once, keep new ones.

A PDF is kept once per bill and never replaced: a second writer of the same bill (two
senders rendering the same bill at once) leaves the first one's bytes, and both then read
those (deterministic rendering makes them equal anyway)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.persistence.models import BillPdf
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session

_CHUNK = 500


def stored(session: Session, bill_ids: Iterable[int]) -> dict[int, bytes]:
    """The kept PDFs of ``bill_ids`` (those that have one), by bill id."""
    wanted = sorted(set(bill_ids))
    found: dict[int, bytes] = {}
    for at in range(0, len(wanted), _CHUNK):
        found.update((int(i), bytes(pdf)) for i, pdf in session.execute(
            select(BillPdf.bill_id, BillPdf.pdf)
            .where(BillPdf.bill_id.in_(wanted[at:at + _CHUNK]))))
    return found


def stored_figures(session: Session, bill_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The kept figures (what a message quotes of the PDF) of ``bill_ids``, by bill id."""
    wanted = sorted(set(bill_ids))
    found: dict[int, dict[str, Any]] = {}
    for at in range(0, len(wanted), _CHUNK):
        found.update((int(i), json.loads(f)) for i, f in session.execute(
            select(BillPdf.bill_id, BillPdf.figures)
            .where(BillPdf.bill_id.in_(wanted[at:at + _CHUNK]))))
    return found


def missing(session: Session, bill_ids: Iterable[int]) -> list[int]:
    """Which of ``bill_ids`` have no kept PDF yet, ascending."""
    wanted = sorted(set(bill_ids))
    have: set[int] = set()
    for at in range(0, len(wanted), _CHUNK):
        have.update(int(i) for i in session.scalars(
            select(BillPdf.bill_id).where(BillPdf.bill_id.in_(wanted[at:at + _CHUNK]))))
    return [i for i in wanted if i not in have]


def keep(session: Session, pdfs: Mapping[int, tuple[bytes, Mapping[str, Any]]]) -> int:
    """Keep the PDFs (with their figures) of bills that have none yet (a bill's first PDF
    stays); returns how many were added."""
    if not pdfs:
        return 0
    now = utcnow()
    rows = [{"bill_id": bill_id, "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf),
             "pdf": pdf, "figures": json.dumps(dict(figures), sort_keys=True),
             "created_at": now}
            for bill_id, (pdf, figures) in sorted(pdfs.items())]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = 0
    for at in range(0, len(rows), 200):
        done = session.execute(insert(BillPdf).values(rows[at:at + 200])
                               .on_conflict_do_nothing(index_elements=["bill_id"])
                               .returning(BillPdf.bill_id))
        added += len(done.all())
    return added


def bills_of_period(session: Session, period: str) -> list[int]:
    """The ids of every bill of ``period`` (YYYY-MM), ascending."""
    from ebs_desktop.persistence.models import Bill

    return [int(i) for i in session.scalars(
        select(Bill.id).where(Bill.period == period).order_by(Bill.id))]
