"""Counters and receipt printers: what exists, setting them up, and a shift's payments.

Reads are one short transaction returning frozen records. ``save_printer`` and
``save_counter`` are the administrator's set-up (permission ``counter.manage``), audited
with the before and after of what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models.codes import PRINTER_KINDS
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency


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
        return [CounterRow(*row) for row in store.counter_rows(s)]


def printers(db: Database, actor: Actor) -> list[PrinterRow]:
    require(actor, "counter.manage")
    with db.read() as s:
        return [PrinterRow(p.id, p.name, p.kind, p.target, p.paper_mm, p.logo, p.drawer_kick)
                for p in store.all_printers(s)]


def default_counter(db: Database, preferred: str = "") -> str | None:
    """This PC's counter if it exists, else the first active one (the one answer for the
    desktop and the ``ebs`` command)."""
    with db.read() as s:
        if preferred and store.counter_id(s, preferred) is not None:
            return preferred
        return store.first_active_counter(s)


def shift_payments(db: Database, actor: Actor, shift_id: int) -> list[ShiftPayment]:
    """Payments taken in a shift, newest first, with their original receipt."""
    require(actor, "report.shift")
    with db.read() as s:
        currency = utility_currency(s)
        return [ShiftPayment(n, a, Money(m, currency), at, r)
                for n, a, m, at, r in store.shift_payment_rows(s, shift_id, 500)]


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
        printer = store.printer_by_name(s, name)
        before = None
        if printer is None:
            printer = store.add_printer(s, name, values)
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
            named = store.printer_by_name(s, printer_name)
            if named is None:
                raise NotFound(f"no printer {printer_name!r}")
            printer_id = named.id
        counter = store.counter_by_code(s, code)
        before = None
        if counter is None:
            counter = store.add_counter(s, code, name, printer_id, active)
        else:
            if not active and store.open_shift_count(s, counter.id):
                raise ConflictError(f"counter {code} has an open shift; close it first")
            before = {"name": counter.name, "printer_id": counter.printer_id,
                      "active": counter.is_active}
            counter.name, counter.printer_id, counter.is_active = name, printer_id, active
        s.flush()
        audit.record(s, actor, "counter.save", "counter", counter.id, before=before,
                     after={"code": code, "name": name, "printer_id": printer_id,
                            "active": active})
