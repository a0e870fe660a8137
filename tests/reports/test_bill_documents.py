"""Bills built from the database print exactly the stored figures (issue 7's first criterion).

The demo utility (40 accounts, five months) is billed by the real billing run; every bill
of the last run is turned into a document, printed, read back with pypdf, and compared with
the rows in the database: bill number, account, each line's amount, this bill's total and
the total due (the account's AR balance through the bill, summed here independently).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill, BillLine, LedgerEntry
from ebs_desktop.reports.bill_pdf import render_bills
from ebs_desktop.reports.formatting import format_amount, format_money
from ebs_desktop.reports.payment_code import parse_payment_code
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.bill_documents import bill_documents, count_bill_documents
from ebs_desktop.services.demo import build_demo

ACTOR = system_actor("test")


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=40, months=5, until="2026-06")
    return db


def _last_period(db: Database) -> str:
    with db.read() as s:
        period = s.scalar(select(func.max(Bill.period)))
    assert period is not None
    return str(period)


def test_every_bill_of_a_run_prints_its_stored_figures(demo: Database) -> None:
    period = _last_period(demo)
    docs = bill_documents(demo, ACTOR, period)
    with demo.read() as s:
        stored = {r.bill_number: r for r in s.execute(
            select(Bill.id, Bill.bill_number, Bill.total_minor, Bill.issue_date,
                   Bill.account_id, Account.account_number)
            .join(Account, Account.id == Bill.account_id).where(Bill.period == period))}
        lines = {}
        for bill_id, minor in s.execute(select(BillLine.bill_id, BillLine.amount_minor)
                                        .order_by(BillLine.bill_id, BillLine.seq)):
            lines.setdefault(bill_id, []).append(int(minor))
        # AR balance before the issue day (payments come after it in the demo) + this bill
        before = {a: int(t) for a, t in s.execute(
            select(LedgerEntry.account_id, func.sum(LedgerEntry.amount_minor))
            .where(LedgerEntry.gl_code == "AR",
                   LedgerEntry.entry_date < next(iter(stored.values())).issue_date)
            .group_by(LedgerEntry.account_id))}
    assert len(docs) == len(stored) == count_bill_documents(demo, ACTOR, period) > 30
    buffer = io.BytesIO()
    pages = render_bills(docs, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert pages == len(reader.pages) == len(docs)  # one page each in the demo
    currency = docs[0].currency
    for doc, page in zip(docs, reader.pages, strict=True):
        text = page.extract_text()
        row = stored[doc.bill_number]
        assert doc.account_number == row.account_number
        assert doc.bill_number in text and doc.account_number in text
        amounts = [line.amount.minor for line in doc.charges]
        assert amounts == lines[row.id]
        for minor in amounts:
            assert format_amount(type(doc.total_due)(minor, currency)) in text
        assert doc.bill_amount.minor == row.total_minor
        assert format_money(doc.bill_amount) in text
        expected_due = before.get(row.account_id, 0) + row.total_minor
        assert doc.total_due.minor == expected_due
        assert format_money(doc.total_due) in text
        assert doc.due_date.isoformat() in text
        for code in (parse_payment_code(doc.qr_payload), parse_payment_code(doc.barcode_value)):
            assert (code.account_number, code.bill_number) == (doc.account_number,
                                                                doc.bill_number)
            assert code.amount_minor == expected_due
        assert doc.readings, f"bill {doc.bill_number} shows no readings"
        # a time-of-use meter shows its total register too; its rate registers are billed
        billed = [r for r in doc.readings if r.register != "kwh"] or list(doc.readings)
        consumption = sum((r.consumption for r in billed), doc.consumption_kwh * 0)
        assert consumption == doc.consumption_kwh
        assert 1 <= len(doc.history) <= 12 and doc.history[-1].kwh == doc.consumption_kwh


def test_payments_since_last_bill_and_estimates_are_shown(demo: Database) -> None:
    period = _last_period(demo)
    docs = bill_documents(demo, ACTOR, period)
    with demo.read() as s:
        estimated = {n: bool(e) for n, e in s.execute(
            select(Bill.bill_number, Bill.estimated).where(Bill.period == period))}
        previous_issue = s.scalar(select(func.max(Bill.issue_date)).where(Bill.period < period))
    assert any(doc.payments for doc in docs)
    for doc in docs:
        assert any(r.current_estimated for r in doc.readings) == estimated[doc.bill_number]
        for p in doc.payments:
            assert previous_issue is not None
            assert previous_issue <= p.paid_on <= doc.issue_date
        # the document's own rule: previous - payments + this bill = total due
        assert doc.previous_balance - doc.payments_total + doc.bill_amount == doc.total_due


def test_one_account_and_split_files(demo: Database, tmp_path: Path) -> None:
    period = _last_period(demo)
    first = bill_documents(demo, ACTOR, period)[0]
    only = bill_documents(demo, ACTOR, period, first.account_number)
    assert [d.bill_number for d in only] == [first.bill_number]
    assert only[0] == first


def test_printing_needs_permission(demo: Database) -> None:
    reader = Actor(user_id=None, username="rita", roles=frozenset({"reader"}))
    with pytest.raises(PermissionDenied):
        bill_documents(demo, reader, _last_period(demo))


def test_workers_read_their_own_chunks(demo: Database, tmp_path: Path) -> None:
    """The batch path where each worker process opens the database and reads its chunk
    prints the same bills, in the same order, as reading them here."""
    from ebs_desktop.reports.bill_batch import render_batch
    from ebs_desktop.services.bill_documents import document_chunks

    period = _last_period(demo)
    expected = [d.bill_number for d in bill_documents(demo, ACTOR, period)]
    chunks = document_chunks(demo, ACTOR, period, chunk=7)
    assert chunks is not None and len(chunks) == -(-len(expected) // 7)
    result = render_batch((), tmp_path / "run.pdf", workers=2, total=len(expected),
                          chunks=chunks)
    assert (result.bills, result.pages) == (len(expected), len(expected))
    text = [page.extract_text() for page in PdfReader(tmp_path / "run.pdf").pages]
    printed = [next(n for n in expected if n in page) for page in text]
    assert printed == expected
