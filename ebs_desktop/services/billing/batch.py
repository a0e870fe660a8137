"""Writing one priced batch: numbers, bills, lines, one ledger journal, balances, estimated
readings and exceptions, as tuples, in the caller's transaction.

Everything the rows need is plain (ints and text, dates as ISO text, booleans as 0/1):
SQLite's default adapters for ``date``/``datetime``/``bool`` are Python callbacks per
value and cost more than the insert itself; PostgreSQL's COPY takes the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ebs_desktop.persistence import bulk as writer
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.billing.pricing import PricedBill
from ebs_desktop.services.numbering import take_numbers


@dataclass(frozen=True)
class BatchWritten:
    bills: int
    total_minor: int
    first_number: str | None
    last_number: str | None
    bill_ids: tuple[int, ...]


def bill_series(period: str) -> tuple[str, str]:
    """(series code, prefix) of the bill numbers of a period's year."""
    year = period[:4]
    return f"BILL-{year}", f"B{year}-"


def format_bill_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:07d}"


def write_batch(session: Session, run_id: int | None, user_id: int | None, period: str,
                priced: list[PricedBill], issue: date, due: date, now: datetime,
                kind: str = "regular", revision: int = 0,
                replaces: dict[int, int] | None = None) -> BatchWritten:
    """Write the bills of ``priced`` (those with a total) and the exceptions of all."""
    conn = session.connection()
    stamp = writer.timestamp_text(conn, now)
    if run_id is not None:
        writer.bulk_insert(conn, "billing_exceptions", writer.EXCEPTION_COLUMNS,
                           [(run_id, p.account_id, code, detail)
                            for p in priced for code, detail in p.exceptions])
    billable = [p for p in priced if p.total_minor is not None]
    if not billable:
        return BatchWritten(0, 0, None, None, ())
    series, prefix = bill_series(period)
    prefix, seq = take_numbers(session, series, prefix, len(billable))
    bill_ids = writer.reserve_ids(conn, "bills", len(billable))
    issue_text, due_text = issue.isoformat(), due.isoformat()
    bills: list[tuple[object, ...]] = []
    lines: list[tuple[object, ...]] = []
    entries: list[tuple[object, ...]] = []
    est: list[tuple[object, ...]] = []
    total = 0
    for i, (p, bill_id) in enumerate(zip(billable, bill_ids, strict=True)):
        amount = p.total_minor
        assert amount is not None
        total += amount
        account_id = p.account_id
        bills.append((bill_id, f"{prefix}{seq + i:07d}", account_id,
                      replaces.get(account_id) if replaces else None, p.tariff_id,
                      p.start, p.end, p.kwh_milli, p.demand_milli, 1 if p.estimated else 0,
                      amount, p.after_due_minor))
        lines.extend([(bill_id, n, *line) for n, line in enumerate(p.lines, 1)])
        entries.append((account_id, amount, bill_id))
        est.extend(p.estimated_readings)
    first = format_bill_number(prefix, seq)
    last = format_bill_number(prefix, seq + len(billable) - 1)
    what = "Bills" if kind == "regular" else "Rebills"
    writer.bulk_insert(conn, "bills", writer.BILL_OWN_COLUMNS, bills,
                       {"period": period, "revision": revision, "kind": kind,
                        "run_id": run_id, "issue_date": issue_text, "due_date": due_text,
                        "created_at": stamp})
    writer.bulk_insert(conn, "bill_lines", writer.LINE_COLUMNS, lines)
    (journal_id,) = ledger.open_journals(
        conn, [("bill", issue_text, f"{what} {first} to {last}", user_id, stamp)])
    ledger.post_entries(conn, [
        ledger.EntryGroup(("account_id", "amount_minor", "bill_id"), entries,
                          {"journal_id": journal_id, "gl_code": ledger.AR,
                           "entry_date": issue_text, "payment_id": None,
                           "credit_note_id": None}),
        ledger.EntryGroup(ledger.ENTRY_COLUMNS,
                          [(journal_id, "SALES", None, -total, issue_text, None, None, None)]),
    ])
    writer.bulk_insert(conn, "readings", writer.READING_OWN_COLUMNS, est,
                       writer.reading_fixed("estimated", stamp))
    return BatchWritten(len(billable), total, first, last, tuple(bill_ids))
