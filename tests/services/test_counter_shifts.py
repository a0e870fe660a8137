"""Shifts: float, safe drops, blind close with over/short, approval, Z-reports; reversals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.devices.printers import FileReceiptPrinter, PrintOptions
from ebs_desktop.domain.cash import CashTender, ChequeTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import AuthenticationError, ConflictError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    LedgerEntry,
    PaymentAllocation,
    Receipt,
    Shift,
    ShiftCount,
    ZReport,
)
from ebs_desktop.persistence.stores.counter import open_bills
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import (
    approve_shift,
    close_shift,
    open_shift,
    post_payment,
    reverse_payment,
    safe_drop,
)
from ebs_desktop.services.counter.zreport import load_z_report, print_z_report, store_day_report
from tests.books_check import books_problems
from tests.support.counter_scratch import (
    CLERK,
    CLERK2,
    SUPERVISOR,
    Scratch,
    seed_counter_scratch,
)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def shift(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3)
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", usd("100.00"))
    a, b, _ = scratch.account_numbers
    post_payment(db, clerk, "C01", a, [CashTender(usd("50"))], "s1", amount=usd("45.50"))
    post_payment(db, clerk, "C01", b, [ChequeTender(usd("30"), "77", "Bank", date.today())], "s2")
    post_payment(db, clerk, "C01", b, [CashTender(usd("20"))], "s3")
    safe_drop(db, clerk, "C01", usd("50.00"))
    return scratch, clerk


# Expected cash = 100 float + 45.50 + 20 - 50 drop = 115.50.

def test_blind_close_reveals_over_short_per_tender(db: Database,
                                                   shift: tuple[Scratch, Actor]) -> None:
    _, clerk = shift
    result = close_shift(db, clerk, "C01", {"100": 1, "10": 1, "5": 1, "0.50": 1},
                         {"cheque": usd("30.00")})
    diffs = {d.kind: (d.expected, d.counted, d.difference) for d in result.differences}
    assert diffs["cash"] == (usd("115.50"), usd("115.50"), usd("0.00"))
    assert diffs["cheque"] == (usd("30.00"), usd("30.00"), usd("0.00"))
    assert not result.needs_approval
    with db.read() as s:
        counts = s.execute(select(ShiftCount.denomination_minor, ShiftCount.quantity)
                           .where(ShiftCount.tender == "cash")
                           .order_by(ShiftCount.denomination_minor.desc())).all()
        assert [tuple(r) for r in counts] == [(10000, 1), (1000, 1), (500, 1), (50, 1)]
        assert s.scalar(select(Shift.status)) == "closed"
        stored = json.loads(s.scalar(select(ZReport.content)) or "{}")
    assert stored["total_over_short"] == "0.00" and stored["payments"] == 3
    assert stored["safe_drops"] == ["50.00"]
    with pytest.raises(ConflictError, match="no open shift"):
        close_shift(db, clerk, "C01", {"1": 1})


def test_short_above_threshold_needs_a_supervisor(db: Database,
                                                  shift: tuple[Scratch, Actor]) -> None:
    _, clerk = shift
    result = close_shift(db, clerk, "C01", {"100": 1, "5": 1}, {"cheque": usd("30.00")})
    cash = next(d for d in result.differences if d.kind == "cash")
    assert cash.difference == usd("-10.50")
    assert result.needs_approval and result.approved_by is None
    with pytest.raises(AuthenticationError):
        approve_shift(db, clerk, result.shift_id, SUPERVISOR[0], "wrong-password")
    with pytest.raises(PermissionDenied):
        approve_shift(db, clerk, result.shift_id, CLERK2[0], CLERK2[1])
    approve_shift(db, clerk, result.shift_id, *SUPERVISOR)
    doc = load_z_report(db, clerk, result.z_report_id)
    assert doc.approved_by == SUPERVISOR[0]
    assert doc.total_over_short == usd("-10.50")
    with pytest.raises(ConflictError, match="already approved"):
        approve_shift(db, clerk, result.shift_id, *SUPERVISOR)


def test_supervisor_signs_at_close_and_small_difference_needs_nobody(
        db: Database, shift: tuple[Scratch, Actor]) -> None:
    _, clerk = shift
    over = close_shift(db, clerk, "C01", {"100": 1, "20": 1, "0.50": 1},
                       {"cheque": usd("30.00")}, supervisor=SUPERVISOR)
    assert next(d for d in over.differences if d.kind == "cash").difference == usd("5.00")
    assert not over.needs_approval  # 5.00 is not above the 5.00 threshold
    open_shift(db, clerk, "C01", usd("20"))
    short = close_shift(db, clerk, "C01", {}, supervisor=SUPERVISOR)  # the float is missing
    assert short.needs_approval and short.approved_by == SUPERVISOR[0]


def test_day_z_report_is_stored_and_prints(db: Database, shift: tuple[Scratch, Actor],
                                           tmp_path: Path) -> None:
    _, clerk = shift
    close_shift(db, clerk, "C01", {"100": 1, "10": 1, "5": 1, "0.50": 1}, {"cheque": usd("30")})
    z_id = store_day_report(db, clerk, datetime.now(UTC).date())
    assert store_day_report(db, clerk, datetime.now(UTC).date()) == z_id  # replaced, not added
    doc = load_z_report(db, clerk, z_id)
    takings = {t.kind: t.takings for t in doc.tenders}
    assert takings == {"cash": usd("65.50"), "cheque": usd("30.00")}
    out = tmp_path / "z.bin"
    sent = print_z_report(db, clerk, z_id, FileReceiptPrinter(out, create=True),
                          PrintOptions(paper_mm=58))
    assert out.read_bytes() == sent
    assert b"Z-REPORT" in sent and b"65.50" in sent and sent.endswith(b"\x1dV\x00")


def test_safe_drop_and_float_refusals(db: Database, shift: tuple[Scratch, Actor]) -> None:
    _, clerk = shift
    with pytest.raises(ValidationError, match="more than zero"):
        safe_drop(db, clerk, "C01", usd("0"))
    with pytest.raises(ConflictError, match="already has an open shift"):
        open_shift(db, clerk, "C01", usd("10"))
    with pytest.raises(ValidationError, match="clerk"):
        open_shift(db, Actor(None, "cli:x", clerk.roles), "C02", usd("10"))


def test_reversal_reopens_bills_restores_balance_and_charges_bounced_cheque_fee(
        db: Database, shift: tuple[Scratch, Actor]) -> None:
    scratch, clerk = shift
    b = scratch.account_numbers[1]
    with db.read() as s:
        aid = s.scalar(select(Account.id).where(Account.account_number == b)) or 0
        before = open_bills(s, aid)
        receipt = s.scalar(select(Receipt.number).where(Receipt.seq == 2))
    assert receipt is not None
    with pytest.raises(ValidationError, match="reason"):
        reverse_payment(db, clerk, receipt, " ", *SUPERVISOR)
    with pytest.raises(PermissionDenied):
        reverse_payment(db, clerk, receipt, "bounced", *CLERK2)
    result = reverse_payment(db, clerk, receipt, "cheque bounced", *SUPERVISOR,
                             bounced_cheque=True)
    assert result.fee == usd("10.00") and result.reverses == receipt
    assert result.receipt_number.endswith("000004")
    with db.read() as s:
        after = open_bills(s, aid)
        negative = s.scalar(select(func.sum(PaymentAllocation.amount_minor)).where(
            PaymentAllocation.reversal_id == result.reversal_id))
        fees = s.scalar(select(func.sum(LedgerEntry.amount_minor))
                        .where(LedgerEntry.gl_code == "FEES"))
        kind = s.scalar(select(Receipt.kind).where(Receipt.number == result.receipt_number))
    assert negative == -3000 and fees == -1000 and kind == "reversal"
    assert sum(x[2] for x in after) == sum(x[2] for x in before) + 3000
    # 91.00 billed - 30 cheque - 20 cash + 30 reversed + 10 fee
    assert result.balance == usd("81.00")
    with pytest.raises(ConflictError, match="already reversed"):
        reverse_payment(db, clerk, receipt, "again", *SUPERVISOR)
    with pytest.raises(ValidationError, match="no cheque"):
        reverse_payment(db, clerk, receipt.replace("000002", "000003"), "x", *SUPERVISOR,
                        bounced_cheque=True)
    assert books_problems(db) == []
