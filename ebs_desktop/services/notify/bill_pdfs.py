"""Bill PDFs rendered once and kept: what the bill email attaches.

Drawing a bill's PDF costs about 10 ms of CPU (the QR code alone 3 ms); a sender that drew
it for every message spent most of its time there (21% of a bare smtplib loop's rate). A
bill's PDF is now drawn once, kept in ``bill_pdfs`` with its SHA-256, and every later
reader gets those very bytes: the sender (:func:`kept_for`, which draws and keeps the
ones not drawn yet; with the PDF the figures a message quotes, so a bill notice needs
neither the bill's document nor a drawing), and whoever renders a period's bills ahead of sending
(:func:`render_bill_pdfs`, on several cores), so the sending itself is only templates,
MIME and SMTP. Rendering is deterministic, so a PDF drawn again later by the print run is
byte for byte the kept one, as long as the layout has not changed since; the kept one is
the bill as issued.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import bill_pdfs as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

CHUNK = 200  # bills per read/draw/keep round


def draw(docs: Mapping[int, Any]) -> dict[int, tuple[bytes, dict[str, Any]]]:
    """The PDFs of bill documents, exactly as the print run draws them, with the figures
    a message quotes, by bill id."""
    from ebs_desktop.reports.bill_pdf import bill_pdf_bytes
    from ebs_desktop.services.notify.sender import bill_figures

    return {bill_id: (bill_pdf_bytes(doc), bill_figures(doc)) for bill_id, doc in docs.items()}


def kept_for(db: Database, bill_ids: Iterable[int], with_pdf: Iterable[int]
             ) -> tuple[dict[int, dict[str, Any]], dict[int, bytes]]:
    """The kept figures of ``bill_ids`` and the kept PDFs of ``with_pdf`` (one read);
    bills not drawn yet are drawn from their documents and kept first (one write), then
    read back, so two senders drawing one bill at once both send the first's."""
    from ebs_desktop.services.notify.sender import bill_documents

    wanted, pdf_wanted = set(bill_ids), set(with_pdf)
    with db.read() as s:
        figures = store.stored_figures(s, wanted)
        pdfs = store.stored(s, pdf_wanted)
        absent = sorted(wanted - set(figures))
        docs = bill_documents(s, absent) if absent else {}
    if docs:
        drawn = draw(docs)
        with db.write() as s:
            store.keep(s, drawn)
            figures.update(store.stored_figures(s, drawn))
            pdfs.update(store.stored(s, set(drawn) & pdf_wanted))
    return figures, pdfs


def _render_chunk(db: Database, bill_ids: Sequence[int]) -> int:
    from ebs_desktop.services.notify.sender import bill_documents

    with db.read() as s:
        ids = store.missing(s, bill_ids)
        docs = bill_documents(s, ids) if ids else {}
    if not docs:
        return 0
    drawn = draw(docs)
    with db.write() as s:
        return store.keep(s, drawn)


_PROCESS_DB: Database | None = None


def _process_chunk(url: str, bill_ids: Sequence[int]) -> int:
    global _PROCESS_DB
    if _PROCESS_DB is None:
        from ebs_desktop.persistence.engine import open_database

        _PROCESS_DB = open_database(url)
    return _render_chunk(_PROCESS_DB, bill_ids)


def render_bill_pdfs(db: Database, actor: Actor, bill_ids: Sequence[int] | None = None,
                     period: str | None = None, workers: int = 1) -> int:
    """Draw and keep the PDFs of ``bill_ids`` (or of every bill of ``period``) that have
    none yet, ``workers`` processes at once; returns how many were drawn. Run after a
    billing run (or let the print run's or the sender's first need draw them)."""
    require(actor, "bill.print")
    if workers < 1 or workers > 64:
        raise ValidationError(f"workers must be 1 to 64, not {workers}", location="workers")
    if (bill_ids is None) == (period is None):
        raise ValidationError("give the bills or the period", location="bills")
    with db.read() as s:
        ids = store.missing(s, bill_ids if bill_ids is not None
                            else store.bills_of_period(s, str(period)))
    chunks = [ids[at:at + CHUNK] for at in range(0, len(ids), CHUNK)]
    from ebs_desktop.services.notify.sender import _own_process_possible

    if workers == 1 or len(chunks) < 2 or not _own_process_possible(db):
        return sum(_render_chunk(db, chunk) for chunk in chunks)
    with multiprocessing.get_context("spawn").Pool(min(workers, len(chunks))) as pool:
        return sum(pool.starmap(_process_chunk, [(db.url_text, c) for c in chunks]))
