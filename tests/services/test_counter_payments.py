"""Payments at the counter: every tender, change, allocation, credit, exactly-once keys."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ebs_desktop.domain.cash import CardTender, CashTender, ChequeTender, TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AuditEntry,
    LedgerEntry,
    Payment,
    PaymentTender,
    PrintJob,
    Receipt,
)
from ebs_desktop.persistence.stores.counter import open_bills
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import CreditNotConfirmed, open_shift, post_payment
from tests.books_check import books_problems
from tests.support.counter_scratch import CLERK, Scratch, seed_counter_scratch


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def counter(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3)  # each account owes 2 bills of 45.50
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", usd("100"))
    return scratch, clerk


def balance(db: Database, number: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(Account.balance_minor)
                            .where(Account.account_number == number)) or 0)


def test_cash_with_change_pays_oldest_bill_and_change_is_not_takings(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[0]
    result = post_payment(db, clerk, "C01", acct, [CashTender(usd("50"))], "k-cash",
                          amount=usd("45.50"))
    assert result.change == usd("4.50")
    assert result.balance == usd("45.50")
    assert result.receipt_number == f"C01-{date.today().year}-000001"
    with db.read() as s:
        bills = open_bills(s, s.scalar(select(Account.id).where(Account.account_number == acct))
                           or 0)
        assert [b[2] for b in bills] == [4550]  # the older bill is paid, the newer is open
        assert result.allocations[0][0] < bills[0][0]
        tender = s.scalars(select(PaymentTender)).one()
        assert (tender.tender, tender.amount_minor, tender.tendered_minor,
                tender.change_minor) == ("cash", 4550, 5000, 450)
        cash = s.scalar(select(func.sum(LedgerEntry.amount_minor))
                        .where(LedgerEntry.gl_code == "CASH"))
        assert cash == 4550
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 1
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())
                        .limit(1)) == "payment.post"
    assert books_problems(db) == []


def test_card_cheque_and_transfer_in_one_payment(db: Database,
                                                  counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[1]
    tenders = [CardTender(usd("20.00"), "visa", "4242", "a1b2c3"),
               ChequeTender(usd("30.00"), "123456", "First Bank", date.today()),
               TransferTender(usd("41.00"), "MPESA QX12"),
               CashTender(usd("0.50"))]
    result = post_payment(db, clerk, "C01", acct, tenders, "k-mixed", allow_credit=True)
    assert result.amount == usd("91.50") and result.change == usd("0.00")
    assert result.balance == usd("-0.50") and result.credit == usd("0.50")
    with db.read() as s:
        rows = {t.tender: t for t in s.scalars(select(PaymentTender))}
        assert rows["card"].card_scheme == "VISA" and rows["card"].card_last4 == "4242"
        assert rows["card"].approval_code == "A1B2C3"
        assert rows["cheque"].cheque_number == "123456"
        assert rows["transfer"].reference == "MPESA QX12"
        gl = {code: int(total) for code, total in s.execute(
            select(LedgerEntry.gl_code, func.sum(LedgerEntry.amount_minor))
            .where(LedgerEntry.payment_id == result.payment_id)
            .group_by(LedgerEntry.gl_code))}
        assert gl == {"AR": -9150, "CARD": 2000, "CHEQUE": 3000, "BANK": 4100, "CASH": 50}
    assert books_problems(db) == []


def test_full_card_number_and_cvv_are_refused_before_anything_is_written(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    with pytest.raises(ValidationError, match=r"tender\[1\]\.last4"):
        post_payment(db, clerk, "C01", scratch.account_numbers[0],
                     [CardTender(usd("10"), "VISA", "4111 1111 1111 1111", "A1B2C3")], "k-pan")
    with pytest.raises(ValidationError, match="approval_code"):
        post_payment(db, clerk, "C01", scratch.account_numbers[0],
                     [CardTender(usd("10"), "VISA", "1111", "123")], "k-cvv")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
    assert balance(db, scratch.account_numbers[0]) == 9100


def test_overpayment_stays_as_credit_and_override_pays_named_bill_first(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[2]
    with db.read() as s:
        aid = s.scalar(select(Account.id).where(Account.account_number == acct)) or 0
        older, newer = (b[0] for b in open_bills(s, aid))
    part = post_payment(db, clerk, "C01", acct, [CashTender(usd("10"))], "k-part", [newer])
    assert part.allocations == ((newer, 1000),)
    with pytest.raises(CreditNotConfirmed, match=r"owes 81\.00; taking 200\.00 would leave "
                       r"119\.00 on it as credit"):
        post_payment(db, clerk, "C01", acct, [CashTender(usd("200"))], "k-advance")
    rest = post_payment(db, clerk, "C01", acct, [CashTender(usd("200"))], "k-advance",
                        allow_credit=True)
    assert rest.allocations == ((older, 4550), (newer, 3550))
    assert rest.credit == usd("119.00") and rest.balance == usd("-119.00")
    with db.read() as s:
        assert open_bills(s, aid) == []
    with pytest.raises(ValidationError, match="override"):
        post_payment(db, clerk, "C01", acct, [CashTender(usd("1"))], "k-bad", [older],
                     allow_credit=True)
    assert books_problems(db) == []


def test_same_key_returns_the_same_payment_and_receipt(db: Database,
                                                        counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    acct = scratch.account_numbers[0]
    first = post_payment(db, clerk, "C01", acct, [CashTender(usd("50"))], "double-click",
                         amount=usd("45.50"))
    again = post_payment(db, clerk, "C01", acct, [CashTender(usd("50"))], "double-click",
                         amount=usd("45.50"))
    assert again.replayed and not first.replayed
    assert (again.payment_id, again.receipt_number, again.balance, again.change,
            again.allocations) == (first.payment_id, first.receipt_number, first.balance,
                                   first.change, first.allocations)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
        assert s.scalar(select(func.count()).select_from(Receipt)) == 1
    assert balance(db, acct) == 4550
    with pytest.raises(ConflictError, match="already used"):
        post_payment(db, clerk, "C01", scratch.account_numbers[1], [CashTender(usd("5"))],
                     "double-click")


def test_refusals_name_what_is_wrong(db: Database, counter: tuple[Scratch, Actor]) -> None:
    scratch, clerk = counter
    with pytest.raises(ConflictError, match="no open shift at counter C02"):
        post_payment(db, clerk, "C02", scratch.account_numbers[0], [CashTender(usd("5"))], "a")
    with pytest.raises(NotFound, match="999999999"):
        post_payment(db, clerk, "C01", "999999999", [CashTender(usd("5"))], "b")
    with pytest.raises(ValidationError, match="short"):
        post_payment(db, clerk, "C01", scratch.account_numbers[0], [CashTender(usd("5"))], "c",
                     amount=usd("6"))
    reader = Actor(None, "rita", frozenset({"reader"}))
    with pytest.raises(PermissionDenied):
        post_payment(db, reader, "C01", scratch.account_numbers[0], [CashTender(usd("5"))], "d")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
    assert books_problems(db) == []


def test_account_position_shows_balance_open_bills_and_last_payments(
        db: Database, counter: tuple[Scratch, Actor]) -> None:
    from ebs_desktop.services.counter.position import account_position

    scratch, clerk = counter
    acct = scratch.account_numbers[0]
    post_payment(db, clerk, "C01", acct, [CashTender(usd("10"))], "pos-1")
    paid = post_payment(db, clerk, "C01", acct, [TransferTender(usd("5"), "R1")], "pos-2")
    pos = account_position(db, clerk, acct)
    assert pos.balance == usd("76.00")
    assert [b.open_amount for b in pos.open_bills] == [usd("30.50"), usd("45.50")]
    assert [(p.receipt_number, p.tenders) for p in pos.last_payments] == [
        (paid.receipt_number, ("transfer",)), (f"C01-{date.today().year}-000001", ("cash",))]
    with pytest.raises(NotFound):
        account_position(db, clerk, "123")
