"""What a portal customer may read, always scoped to the accounts they have proven.

Every function takes ``numbers``, the principal's proven account numbers, and every query
carries ``Account.account_number IN numbers``: a bill number, account number or payment
id of somebody else finds nothing here, exactly like one that does not exist, so the
service cannot tell them apart and neither can a caller probing ids. Rows come back as
plain tuples; the service makes frozen records of them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillLine,
    CreditNote,
    Customer,
    Meter,
    MeterInstallation,
    MeterRegister,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    Premise,
    Reading,
    Receipt,
)

# account number, customer name, category, status, balance (minor units)
AccountRow = tuple[str, str, str, str, int]
# id, bill number, account number, period, revision, kind, issue date, due date, kWh,
# estimated, total, after due, period start, period end, paid, credit note number
BillRow = tuple[int, str, str, str, int, str, date, date, Decimal, bool, int, int, date, date,
                int, str | None]
# id, account number, received at, amount, channel, receipt number, reversed
PaymentRow = tuple[int, str, datetime, int, str, str | None, bool]


def _mine() -> Any:
    """The scope of every query: the principal's account numbers, bound at execution
    (``numbers``), so that each statement is built once and its compiled form cached
    (building a statement cost more than running it on every page of the portal)."""
    return Account.account_number.in_(bindparam("numbers", expanding=True))


def _scope(numbers: Collection[str], **more: Any) -> dict[str, Any]:
    return {"numbers": sorted(numbers), **more}


@cache
def _accounts_stmt() -> Any:
    return (select(Account.account_number, Customer.name, Account.category, Account.status,
                   Account.balance_minor)
            .join(Customer, Customer.id == Account.customer_id)
            .where(_mine()).order_by(Account.account_number))


def accounts(s: Session, numbers: Collection[str]) -> list[AccountRow]:
    rows = s.execute(_accounts_stmt(), _scope(numbers))
    return [(a, n, c, st, int(b)) for a, n, c, st, b in rows]


def account(s: Session, numbers: Collection[str], number: str) -> AccountRow | None:
    found = [r for r in accounts(s, set(numbers) & {number})]
    return found[0] if found else None


@cache
def _bills_query() -> Any:
    paid = (select(PaymentAllocation.bill_id,
                   func.sum(PaymentAllocation.amount_minor).label("paid"))
            .join(Bill, Bill.id == PaymentAllocation.bill_id)
            .join(Account, Account.id == Bill.account_id)
            .where(_mine())
            .group_by(PaymentAllocation.bill_id).subquery())
    return (select(Bill.id, Bill.bill_number, Account.account_number, Bill.period,
                   Bill.revision, Bill.kind, Bill.issue_date, Bill.due_date,
                   Bill.consumption_kwh, Bill.estimated, Bill.total_minor,
                   Bill.after_due_minor, Bill.period_start, Bill.period_end, paid.c.paid,
                   CreditNote.number)
            .join(Account, Account.id == Bill.account_id)
            .outerjoin(paid, paid.c.bill_id == Bill.id)
            .outerjoin(CreditNote, CreditNote.bill_id == Bill.id)
            .where(_mine()))


@cache
def _bills_of_account() -> Any:
    return (_bills_query().where(Account.account_number == bindparam("number"))
            .order_by(Bill.period.desc(), Bill.revision.desc()))


@cache
def _bill_by_number() -> Any:
    return _bills_query().where(Bill.bill_number == bindparam("bill_number"))


def _bill_row(r: Any) -> BillRow:
    return (int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6], r[7], r[8], bool(r[9]),
            int(r[10]), int(r[11]), r[12], r[13], int(r[14] or 0), r[15])


def bills(s: Session, numbers: Collection[str], number: str) -> list[BillRow]:
    """The bills of one of the principal's accounts, newest period and revision first."""
    return [_bill_row(r) for r in s.execute(_bills_of_account(), _scope(numbers, number=number))]


def bill(s: Session, numbers: Collection[str], bill_number: str) -> BillRow | None:
    row = s.execute(_bill_by_number(), _scope(numbers, bill_number=bill_number)).first()
    return None if row is None else _bill_row(row)


def bill_lines(s: Session, bill_id: int) -> list[tuple[int, str, str, Decimal, Decimal, int]]:
    """Lines of a bill already found through :func:`bill` (so already the principal's)."""
    return [(int(q), c, d, qty, rate, int(a)) for q, c, d, qty, rate, a in s.execute(
        select(BillLine.seq, BillLine.code, BillLine.description, BillLine.quantity,
               BillLine.rate, BillLine.amount_minor)
        .where(BillLine.bill_id == bill_id).order_by(BillLine.seq))]


def newer_revision(s: Session, bill_id: int) -> str | None:
    """The number of a later revision of the same account and period, if any."""
    this, newer = aliased(Bill), aliased(Bill)
    return s.scalar(select(newer.bill_number)
                    .join(this, (this.account_id == newer.account_id)
                          & (this.period == newer.period) & (newer.revision > this.revision))
                    .where(this.id == bill_id).order_by(newer.revision.desc()).limit(1))


@cache
def _payments_query() -> Any:
    return (select(Payment.id, Account.account_number, Payment.received_at,
                   Payment.amount_minor, Payment.channel, Receipt.number, PaymentReversal.id)
            .join(Account, Account.id == Payment.account_id)
            .outerjoin(Receipt, (Receipt.payment_id == Payment.id) & (Receipt.kind == "payment"))
            .outerjoin(PaymentReversal, PaymentReversal.payment_id == Payment.id)
            .where(_mine()))


@cache
def _payments_of_account() -> Any:
    return (_payments_query().where(Account.account_number == bindparam("number"))
            .order_by(Payment.received_at.desc(), Payment.id.desc()))


@cache
def _payment_by_id() -> Any:
    return _payments_query().where(Payment.id == bindparam("payment_id"))


def _payment_row(r: Any) -> PaymentRow:
    return (int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], r[6] is not None)


def payments(s: Session, numbers: Collection[str], number: str) -> list[PaymentRow]:
    return [_payment_row(r)
            for r in s.execute(_payments_of_account(), _scope(numbers, number=number))]


def payment(s: Session, numbers: Collection[str], payment_id: int) -> PaymentRow | None:
    row = s.execute(_payment_by_id(), _scope(numbers, payment_id=payment_id)).first()
    return None if row is None else _payment_row(row)


def usage(s: Session, numbers: Collection[str], number: str,
          periods: int) -> Sequence[tuple[str, Decimal, bool]]:
    """Per period (oldest first, the last ``periods``): kWh and whether it was estimated,
    from the latest revision of each period's bill not cancelled by a credit note."""
    rows = s.execute(
        select(Bill.period, Bill.revision, Bill.consumption_kwh, Bill.estimated)
        .join(Account, Account.id == Bill.account_id)
        .where(_mine(), Account.account_number == number,
               ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists())
        .order_by(Bill.period, Bill.revision), _scope(numbers))
    latest: dict[str, tuple[str, Decimal, bool]] = {}
    for period, _revision, kwh, estimated in rows:
        latest[period] = (period, kwh, bool(estimated))
    return [latest[p] for p in sorted(latest)][-periods:]


# account number, meter serial, register code, read on, value, consumption, source, status
ReadingRow = tuple[str, str, str, date, Decimal, Decimal | None, str, str]


def readings(s: Session, numbers: Collection[str], limit: int = 5000) -> list[ReadingRow]:
    """The meter readings of the principal's accounts (of the meters while they were
    installed on the account's premise), newest first; superseded and rejected ones left
    out (they are not what was billed)."""
    stmt = (select(Account.account_number, Meter.serial, MeterRegister.code, Reading.read_on,
                   Reading.value, Reading.consumption, Reading.source, Reading.status)
            .join(Premise, Premise.account_id == Account.id)
            .join(MeterInstallation, MeterInstallation.premise_id == Premise.id)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .join(MeterRegister, MeterRegister.meter_id == Meter.id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(_mine(), Reading.read_on >= MeterInstallation.installed_on,
                   (MeterInstallation.removed_on.is_(None))
                   | (Reading.read_on <= MeterInstallation.removed_on),
                   Reading.status.not_in(("superseded", "rejected")))
            .order_by(Account.account_number, Reading.read_on.desc(), Meter.serial,
                      MeterRegister.code)
            .limit(limit))
    return [(a, m, c, d, v, q, src, st)
            for a, m, c, d, v, q, src, st in s.execute(stmt, _scope(numbers))]


def payment_allocations(s: Session, payment_id: int) -> list[tuple[str, str, int]]:
    """What a payment already found through :func:`payment` paid when it was taken: (bill
    number, period, amount) in bill order (a reversal's negative rows left out)."""
    return [(n, p, int(a)) for n, p, a in s.execute(
        select(Bill.bill_number, Bill.period, PaymentAllocation.amount_minor)
        .join(Bill, Bill.id == PaymentAllocation.bill_id)
        .where(PaymentAllocation.payment_id == payment_id,
               PaymentAllocation.reversal_id.is_(None))
        .order_by(Bill.period, Bill.bill_number))]
