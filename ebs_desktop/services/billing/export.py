"""A period's bills as CSV, for print shops and accounting.

One row per bill (rebills and cancelled bills included, each with its status), in bill
number order. Totals are decimal strings in the utility's currency (``1234.50``), never
floats, so a spreadsheet or an accounting import reads exactly what was billed; text
cells go through :mod:`ebs_desktop.reports.spreadsheet_cells` (never a live formula). Rows
are streamed from the driver's cursor: a million-bill period never sits in memory.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ebs_desktop.domain.money import currency_exponent
from ebs_desktop.domain.periods import parse_period, period_text
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import exports as store
from ebs_desktop.reports.output_file import whole_file
from ebs_desktop.reports.spreadsheet_cells import SafeCsvWriter
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import currency as utility_currency

COLUMNS = ("bill_number", "account_number", "period", "total", "currency", "issue_date",
           "due_date", "period_start", "period_end", "kwh", "estimated", "kind", "revision",
           "status", "credit_note")
CHUNK = 10_000  # rows read from the cursor at a time; progress and cancel between chunks


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    total: str


def _decimal_text(minor: int, exp: int) -> str:
    if exp == 0:
        return str(minor)
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{'-' if minor < 0 else ''}{whole}.{frac:0{exp}d}"


def _status(total: int, paid: int, cancelled: bool) -> str:
    if cancelled:
        return "cancelled"
    if paid >= total:
        return "paid"
    return "part-paid" if paid else "open"


def export_bills(db: Database, actor: Actor, period: str, out: Path, *,
                 task: TaskState | None = None) -> ExportResult:
    """Write the bills of ``period`` to ``out`` (CSV). With ``task``: progress after every
    chunk of rows read, and a cancel between chunks leaves no file (``out`` is written
    under a temporary name and renamed when complete) and raises TaskCancelled."""
    require(actor, "report.view")
    year, month = parse_period(period)
    period = period_text(year, month)
    count = total = 0
    with db.read() as session:
        currency = utility_currency(session)
        exp = currency_exponent(currency)
        expected = store.count_period_bills(session, period) if task is not None else 0
        with whole_file(out) as tmp, \
                closing(store.period_bill_chunks(session, period, CHUNK)) as rows, \
                tmp.open("w", newline="", encoding="utf-8") as fh:
            w = SafeCsvWriter(fh)
            w.writerow(COLUMNS)
            for chunk in rows:
                for (number, account, per, minor, issue, due, start, end, kwh, estimated,
                     kind, revision, note, paid) in chunk:
                    w.writerow((number, account, per, Decimal(minor).scaleb(-exp),
                                currency, str(issue)[:10], str(due)[:10], str(start)[:10],
                                str(end)[:10], Decimal(kwh).scaleb(-3),
                                int(bool(estimated)), kind, revision,
                                _status(minor, int(paid), note is not None), note or ""))
                    count += 1
                    if note is None:
                        total += minor
                if task is not None:
                    task.report(count, expected, "Exporting bills")
                    task.check_cancelled()
    return ExportResult(out, count, _decimal_text(total, exp))
