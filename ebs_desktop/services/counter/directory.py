"""Counters and receipt printers: what exists, setting them up, and a shift's payments.

Reads are one short transaction returning frozen records. ``save_printer`` and
``save_counter`` are the administrator's set-up (permission ``counter.manage``), audited
with the before and after of what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Counter,
    Payment,
    PaymentReversal,
    Printer,
    Receipt,
    Shift,
)
from ebs_desktop.persistence.models.codes import PRINTER_KINDS
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
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


def counters(db: Database, actor: Actor) -> list[CounterRow]:
    require(actor, "counter.manage")
    with db.read() as s:
        rows = s.execute(select(Counter.code, Counter.name, Printer.name, Counter.is_active)
                         .outerjoin(Printer, Printer.id == Counter.printer_id)
                         .order_by(Counter.code))
        return [CounterRow(str(c), str(n), str(p or ""), bool(a)) for c, n, p, a in rows]


def printers(db: Database, actor: Actor) -> list[PrinterRow]:
    require(actor, "counter.manage")
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


def shift_payments(db: Database, actor: Actor, shift_id: int) -> list[ShiftPayment]:
    """Payments taken in a shift, newest first, with their original receipt."""
    require(actor, "report.shift")
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


def save_printer(db: Database, actor: Actor, name: str, kind: str, target: str,
                 paper_mm: int = 80, logo: bool = False, drawer_kick: bool = False) -> int:
    """Add a receipt printer, or change the one with this name; returns its id."""
    require(actor, "counter.manage")
    name, target = name.strip(), target.strip()
    if not name:
        raise ValidationError("a printer needs a name", location="printer name")
    if kind not in PRINTER_KINDS:
        raise ValidationError(f"{kind!r} is not one of {', '.join(PRINTER_KINDS)}",
                              location="printer kind")
    if not target:
        raise ValidationError("where is the printer? (host:port, device path or file)",
                              location="printer target")
    if paper_mm not in (58, 80):
        raise ValidationError(f"paper width {paper_mm} mm: use 58 or 80",
                              location="printer paper")
    values = {"kind": kind, "target": target, "paper_mm": paper_mm, "logo": logo,
              "drawer_kick": drawer_kick}
    with db.write() as s:
        printer = s.scalar(select(Printer).where(Printer.name == name))
        before = None
        if printer is None:
            printer = Printer(name=name, **values)
            s.add(printer)
        else:
            before = {k: getattr(printer, k) for k in values}
            for key, value in values.items():
                setattr(printer, key, value)
        s.flush()
        audit.record(s, actor, "printer.save", "printer", printer.id, before=before,
                     after={"name": name, **values})
        return int(printer.id)


def save_counter(db: Database, actor: Actor, code: str, name: str,
                 printer_name: str | None = None, active: bool = True) -> None:
    """Add a counter, or change the one with this code (its name, printer, active flag)."""
    require(actor, "counter.manage")
    code, name = code.strip().upper(), name.strip()
    if not code or len(code) > 16 or not code.isalnum():
        raise ValidationError(f"counter code {code!r}: letters and digits, at most 16",
                              location="counter code")
    if not name:
        raise ValidationError("a counter needs a name", location="counter name")
    with db.write() as s:
        printer_id = None
        if printer_name:
            printer_id = s.scalar(select(Printer.id).where(Printer.name == printer_name))
            if printer_id is None:
                raise NotFound(f"no printer {printer_name!r}")
        counter = s.scalar(select(Counter).where(Counter.code == code))
        before = None
        if counter is None:
            counter = Counter(code=code, name=name, printer_id=printer_id, is_active=active)
            s.add(counter)
        else:
            if not active and s.scalar(select(func.count()).select_from(Shift).where(
                    Shift.counter_id == counter.id, Shift.status == "open")):
                raise ConflictError(f"counter {code} has an open shift; close it first")
            before = {"name": counter.name, "printer_id": counter.printer_id,
                      "active": counter.is_active}
            counter.name, counter.printer_id, counter.is_active = name, printer_id, active
        s.flush()
        audit.record(s, actor, "counter.save", "counter", counter.id, before=before,
                     after={"code": code, "name": name, "printer_id": printer_id,
                            "active": active})
