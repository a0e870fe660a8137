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
from ebs_desktop.services.settings import get_settings

CHUNK = 200  # bills per read/draw/keep round


def bill_documents(session: Any, bill_ids: Sequence[int]) -> dict[int, Any]:
    """The bill documents (as the PDF shows them) of ``bill_ids``, by bill id."""
    from ebs_desktop.services.bill_documents import load_documents, utility_header

    settings = get_settings(session)
    docs = load_documents(session, list(bill_ids), settings, utility_header(settings))
    return dict(zip(bill_ids, docs, strict=True))


def bill_figures(doc: Any) -> dict[str, Any]:
    """What a message quotes of a bill's document (kept with its PDF, as plain JSON)."""
    return {"customer_name": doc.customer_name, "account_number": doc.account_number,
            "bill_number": doc.bill_number, "total_due_minor": doc.total_due.minor,
            "currency": doc.total_due.currency, "due_date": doc.due_date.isoformat(),
            "period_start": doc.period_start.isoformat(),
            "period_end": doc.period_end.isoformat()}


def own_process_possible(db: Database) -> bool:
    """Whether a worker process can open this database itself (a PostgreSQL password
    typed at start-up rather than kept in the keyring cannot be handed over)."""
    from ebs_desktop.persistence.secrets import lookup_password

    url = db.engine.url
    return url.password is None or lookup_password(url) is not None


def draw(docs: Mapping[int, Any]) -> dict[int, tuple[bytes, dict[str, Any]]]:
    """The PDFs of bill documents, exactly as the print run draws them, with the figures
    a message quotes, by bill id."""
    from ebs_desktop.reports.bill_pdf import bill_pdf_bytes
    return {bill_id: (bill_pdf_bytes(doc), bill_figures(doc)) for bill_id, doc in docs.items()}


def kept_for(db: Database, bill_ids: Iterable[int], with_pdf: Iterable[int]
             ) -> tuple[dict[int, dict[str, Any]], dict[int, bytes]]:
    """The kept figures of ``bill_ids`` and the kept PDFs of ``with_pdf`` (one read);
    bills not drawn yet are drawn from their documents and kept first (one write), then
    read back, so two senders drawing one bill at once both send the first's."""
    wanted, pdf_wanted = set(bill_ids), set(with_pdf)
    with db.read() as s:
        figures = store.stored_figures(s, wanted)
        pdfs = store.stored(s, pdf_wanted)
        absent = sorted(wanted - set(figures))
        docs = bill_documents(s, absent) if absent else {}
    to_draw = {i: d for i, d in docs.items() if i in pdf_wanted}
    # a bill told only by SMS: its figures from its document, nothing drawn for it here
    figures.update((i, bill_figures(d)) for i, d in docs.items() if i not in pdf_wanted)
    if to_draw:
        drawn = draw(to_draw)
        with db.write() as s:
            store.keep(s, drawn)
            figures.update(store.stored_figures(s, drawn))
            pdfs.update(store.stored(s, drawn))
    return figures, pdfs


def _render_chunk(db: Database, bill_ids: Sequence[int]) -> int:
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
    if workers == 1 or len(chunks) < 2 or not own_process_possible(db):
        return sum(_render_chunk(db, chunk) for chunk in chunks)
    with multiprocessing.get_context("spawn").Pool(min(workers, len(chunks))) as pool:
        return sum(pool.starmap(_process_chunk, [(db.url_text, c) for c in chunks]))
