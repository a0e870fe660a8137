"""Receipts as CSV, for the accountant and the auditor: one row per receipt, in number order.

Amounts are plain decimal text with the currency in its own column (never floats), so a
spreadsheet sums them exactly and a script can compare them with the ledger. Text cells
go through :mod:`ebs_desktop.reports.spreadsheet_cells`, so none becomes a live formula.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import exports as store
from ebs_desktop.reports.output_file import whole_file
from ebs_desktop.reports.spreadsheet_cells import SafeCsvWriter
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = ("receipt_number", "kind", "issued_at", "series", "seq", "account_number", "amount",
           "currency", "tenders", "channel", "payment_id", "reverses_payment_id", "fee")
PROGRESS_EVERY = 1000  # receipts between progress reports and cancel checks


def export_receipts(db: Database, actor: Actor, date_from: date, date_to: date,
                    out: Path, *, task: TaskState | None = None) -> int:
    """Write receipts issued from ``date_from`` to ``date_to`` (inclusive, UTC); returns rows.

    ``out`` is written under a temporary name and renamed when complete, so a failure or a
    cancel (``task``, checked every :data:`PROGRESS_EVERY` receipts; raises TaskCancelled)
    leaves no partial file."""
    require(actor, "report.shift")
    start = datetime.combine(date_from, time(0), tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=UTC)
    count = 0
    with db.read() as s, whole_file(out) as tmp, \
            tmp.open("w", newline="", encoding="utf-8") as fh:
        currency = utility_currency(s)
        writer = SafeCsvWriter(fh)
        writer.writerow(COLUMNS)
        rows = store.receipts_issued(s, start, end)
        for number, kind, at, series, seq, acct, minor, channel, pid, fee in rows:
            tenders = ";".join(f"{t}:{Money(int(m), currency)}"
                               for t, m in store.payment_tenders(s, pid))
            sign = -1 if kind == "reversal" else 1
            writer.writerow((number, kind, at.isoformat(), series, seq, acct,
                             Money(sign * int(minor), currency), currency, tenders, channel,
                             pid, pid if kind == "reversal" else "",
                             Money(int(fee or 0), currency)))
            count += 1
            if task is not None and count % PROGRESS_EVERY == 0:
                task.report(count, 0, "Exporting receipts")
                task.check_cancelled()
        if task is not None:
            task.report(count, count, "Exporting receipts")
            task.check_cancelled()  # a cancel up to the end leaves no file
    return count
