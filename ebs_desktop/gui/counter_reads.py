"""Read-only look-ups the counter and administration screens need and the services do not
offer (yet): which counters and printers exist, what an account owes, what this shift took.

Each is one short read transaction returning frozen records or plain tuples, run inside a
task on the worker thread. Writes never happen here: they go through the services, which
check permissions and audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Counter,
    Payment,
    PaymentReversal,
    Printer,
    Receipt,
)
from ebs_desktop.services.account_view import account_view
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.records import AccountPosition, OpenBillInfo, PaymentInfo
from ebs_desktop.services.settings import get_settings


@dataclass(frozen=True)
class CounterRow:
    code: str
    name: str
    printer: str
    active: bool


@dataclass(frozen=True)
class PrinterRow:
    id: int
    name: str
    kind: str
    target: str
    paper_mm: int
    logo: bool
    drawer_kick: bool


@dataclass(frozen=True)
class ShiftPayment:
    receipt_number: str
    account_number: str
    amount: Money
    received_at: datetime
    reversed: bool


def counters(db: Database) -> list[CounterRow]:
    with db.read() as s:
        rows = s.execute(select(Counter.code, Counter.name, Printer.name, Counter.is_active)
                         .outerjoin(Printer, Printer.id == Counter.printer_id)
                         .order_by(Counter.code))
        return [CounterRow(str(c), str(n), str(p or ""), bool(a)) for c, n, p, a in rows]


def printers(db: Database) -> list[PrinterRow]:
    with db.read() as s:
        return [PrinterRow(p.id, p.name, p.kind, p.target, p.paper_mm, p.logo, p.drawer_kick)
                for p in s.scalars(select(Printer).order_by(Printer.name))]


def default_counter(db: Database, preferred: str = "") -> str | None:
    """This PC's counter if it exists, else the first active one."""
    with db.read() as s:
        if preferred and s.scalar(select(Counter.id).where(Counter.code == preferred)):
            return preferred
        first = s.scalar(select(Counter.code).where(Counter.is_active.is_(True))
                         .order_by(Counter.id).limit(1))
    return None if first is None else str(first)


def account_position(db: Database, actor: Actor, account_number: str) -> AccountPosition:
    """Balance, open bills (oldest first) and the last payments of one account."""
    view = account_view(db, actor, account_number)
    summary = view.details.summary
    bills = tuple(
        OpenBillInfo(b.id, b.bill_number, b.period, b.due_date, b.total - b.paid)
        for b in sorted(view.bills, key=lambda b: (b.due_date, b.id))
        if not b.cancelled and (b.total - b.paid).minor > 0)
    payments = tuple(
        PaymentInfo(p.id, p.receipt_number, p.received_at, p.amount,
                    tuple(p.tenders.split("+")), p.reversed)
        for p in view.payments[:5])
    return AccountPosition(summary.account_number, summary.name, summary.balance, bills,
                           payments)


def shift_payments(db: Database, shift_id: int) -> list[ShiftPayment]:
    """Payments taken in a shift, newest first, with their original receipt."""
    with db.read() as s:
        currency = get_settings(s).currency
        reversed_ids = select(PaymentReversal.payment_id)
        first_receipt = (select(Receipt.payment_id, func.min(Receipt.id).label("rid"))
                         .where(Receipt.reversal_id.is_(None))
                         .group_by(Receipt.payment_id).subquery())
        rows = s.execute(
            select(Receipt.number, Account.account_number, Payment.amount_minor,
                   Payment.received_at, Payment.id.in_(reversed_ids))
            .join(first_receipt, first_receipt.c.payment_id == Payment.id)
            .join(Receipt, Receipt.id == first_receipt.c.rid)
            .join(Account, Account.id == Payment.account_id)
            .where(Payment.shift_id == shift_id)
            .order_by(Payment.id.desc()).limit(500))
        return [ShiftPayment(str(n), str(a), Money(int(m), currency), at, bool(r))
                for n, a, m, at, r in rows]
