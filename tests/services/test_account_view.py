"""The account view over a small demo utility: ledger running balance, bills, payments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ebs_desktop.errors import NotFound, PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill, LedgerEntry, Payment
from ebs_desktop.services.account_view import account_view, bill_view
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo

ADMIN = system_actor("test")
READER_ONLY = Actor(7, "nobody", frozenset())


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=12, months=4, until="2026-06")
    return db


def _paid_account(db: Database) -> str:
    with db.read() as s:
        account_id = s.scalar(select(Payment.account_id).order_by(Payment.id))
        number = s.scalar(select(Account.account_number).where(Account.id == account_id))
    assert number is not None
    return number


def test_ledger_running_balance_ends_at_the_account_balance(demo: Database) -> None:
    number = _paid_account(demo)
    view = account_view(demo, ADMIN, number)
    with demo.read() as s:
        entries = s.scalar(select(func.count()).select_from(LedgerEntry)
                           .where(LedgerEntry.account_id == view.details.summary.id))
    assert len(view.ledger) == entries and entries
    running = 0
    for line in view.ledger:
        running += line.amount.minor
        assert line.balance.minor == running
        assert line.document, f"ledger line {line.entry_id} names no document"
    assert view.ledger[-1].balance == view.details.summary.balance
    kinds = {line.kind for line in view.ledger}
    assert {"bill", "payment"} <= kinds
    bill_numbers = {b.bill_number for b in view.bills}
    assert {ln.document for ln in view.ledger if ln.kind == "bill"} <= bill_numbers


def test_bills_payments_and_consumption(demo: Database) -> None:
    number = _paid_account(demo)
    view = account_view(demo, ADMIN, number)
    with demo.read() as s:
        periods = sorted(s.scalars(select(Bill.period).where(
            Bill.account_id == view.details.summary.id)))
    assert [p.period for p in view.consumption] == periods
    assert [b.period for b in view.bills] == sorted(periods, reverse=True)
    assert all(p.kwh == b.consumption_kwh for p in view.consumption for b in view.bills
               if b.period == p.period)
    assert view.payments and all(p.receipt_number for p in view.payments)
    paid_total = sum(p.amount.minor for p in view.payments)
    assert sum(b.paid.minor for b in view.bills) == paid_total
    assert view.payments[0].received_at >= view.payments[-1].received_at


def test_bill_view_lines_sum_to_total(demo: Database) -> None:
    view = account_view(demo, ADMIN, _paid_account(demo))
    bill = bill_view(demo, ADMIN, view.bills[0].id)
    assert bill.account_number == view.details.summary.account_number
    assert bill.lines and sum(line.amount.minor for line in bill.lines) == bill.summary.total.minor
    assert [line.seq for line in bill.lines] == sorted(line.seq for line in bill.lines)
    assert all(line.description for line in bill.lines)
    assert bill.credit_note is None


def test_refusals(demo: Database) -> None:
    with pytest.raises(PermissionDenied):
        account_view(demo, READER_ONLY, _paid_account(demo))
    with pytest.raises(NotFound, match="999999999"):
        account_view(demo, ADMIN, "999999999")
    with pytest.raises(NotFound, match="bill"):
        bill_view(demo, ADMIN, 10**9)
