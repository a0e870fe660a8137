"""The bill printing benchmark from a database: the figure ``ebs bench pdf`` reports.

Why apart from :mod:`tools.bench.pdf` (sample bills, no database): what the
print shop waits for is reading the run *and* rendering it. Three figures: documents read
per second (one process), rendering only (documents already in memory, every core) and
end to end (read as a generator feeding the workers, as ``ebs bill pdf`` does).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from ebs_desktop.config import resolve_database_url
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.stores.bill_documents import latest_bill_period
from ebs_desktop.reports.bill_batch import render_batch
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.bill_documents import (
    count_bill_documents,
    document_chunks,
    iter_bill_documents,
)


def _scratch_demo(folder: Path, customers: int) -> Database:
    from ebs_desktop.services.demo.build import build_demo

    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    migrate.upgrade(db)
    build_demo(db, customers=customers, months=3)
    return db


def bench_bill_pdf_from_db(db_url: str | None, period: str | None, customers: int,
                           folder: Path) -> dict[str, Any]:
    db = open_database(resolve_database_url(db_url)) if db_url else _scratch_demo(folder, customers)
    actor = system_actor("bench")
    try:
        if period is None:
            with db.read() as s:
                period = latest_bill_period(s)
        if period is None:
            return {"bills": 0, "note": "no bills in the database"}
        total = count_bill_documents(db, actor, period)
        started = time.perf_counter()
        docs = list(iter_bill_documents(db, actor, period))
        read_s = time.perf_counter() - started
        rendered = render_batch(docs, folder / "render.pdf")
        del docs
        started = time.perf_counter()
        chunks = document_chunks(db, actor, period)
        end_to_end = render_batch((), folder / "run.pdf", total=total, chunks=chunks) \
            if chunks is not None else render_batch(iter_bill_documents(db, actor, period),
                                                    folder / "run.pdf", total=total)
        e2e_s = time.perf_counter() - started
        return {
            "period": period, "bills": total, "cpus": os.cpu_count(),
            "read_documents_per_s": round(total / read_s, 1),
            "render_bills_per_s": round(rendered.bills_per_second, 1),
            # what the workers' CPU time allows on idle cores (the machine may be shared)
            "render_cpu_ms_per_bill": round(1000 * rendered.cpu_seconds / max(total, 1), 3),
            "render_idle_cores_bills_per_s": round(
                total / rendered.cpu_seconds * (os.cpu_count() or 1), 1)
            if rendered.cpu_seconds > 0 else None,
            "end_to_end_bills_per_s": round(total / e2e_s, 1),
            "end_to_end_seconds": round(e2e_s, 2),
            "pages": end_to_end.pages,
            "bytes_per_bill": (folder / "run.pdf").stat().st_size // max(total, 1),
        }
    finally:
        db.dispose()
