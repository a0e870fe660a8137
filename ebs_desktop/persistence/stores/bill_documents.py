"""The reads behind printed bills (:mod:`ebs_desktop.services.bill_documents`).

Which bills print (the latest revision of each account's bill, not cancelled) and, per
chunk of bill ids, the seven bulk reads a chunk of documents costs: bills with account,
customer, premise and tariff; lines; tariff versions (for their tax codes); meters;
readings; AR ledger entries; consumption history. Core statements throughout: these are
bulk reads, a chunk of a thousand bills at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeAlias

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillLine,
    CreditNote,
    Customer,
    LedgerEntry,
    Meter,
    MeterInstallation,
    MeterRegister,
    Premise,
    Reading,
    Receipt,
    Tariff,
    TariffVersion,
)

AnyRow: TypeAlias = Row[*tuple[Any, ...]]

Installed = tuple[int, str, date, date | None]  # meter id, serial, installed, removed
ReadingRow = tuple[str, str, Decimal, date, Decimal, bool]  # code, kind, multiplier, on, v, est
LedgerRow = tuple[int, date, int, bool, str]  # entry id, date, amount, is bill, receipt


def _printable(period: str, account: str | None) -> Select[int]:
    """The bills to print: the latest revision of each account's bill, not cancelled."""
    newer = aliased(Bill)
    stmt = (select(Bill.id).where(Bill.period == period)
            .where(~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists())
            .where(~select(newer.id).where(newer.account_id == Bill.account_id,
                                           newer.period == Bill.period,
                                           newer.revision > Bill.revision).exists()))
    if account is not None:
        stmt = stmt.join(Account, Account.id == Bill.account_id).where(
            Account.account_number == account)
    return stmt


def count_printable(s: Session, period: str, account: str | None) -> int:
    return int(s.scalar(select(func.count()).select_from(
        _printable(period, account).subquery())) or 0)


def printable_ids(s: Session, period: str, account: str | None) -> list[int]:
    """The printable bills' ids in bill-number order."""
    return [int(i) for i in s.scalars(_printable(period, account).order_by(Bill.bill_number))]


def latest_bill_period(s: Session) -> str | None:
    return s.scalar(select(func.max(Bill.period)))


def cancelling_note(s: Session, bill_id: int) -> str | None:
    """The number of the credit note that cancelled the bill, if any."""
    return s.scalar(select(CreditNote.number).where(CreditNote.bill_id == bill_id))


def newer_revision(s: Session, account_id: int, period: str, revision: int) -> str | None:
    """The number of the latest revision that replaced this one, if any."""
    return s.scalar(select(Bill.bill_number).where(
        Bill.account_id == account_id, Bill.period == period,
        Bill.revision > revision).order_by(Bill.revision.desc()).limit(1))


def bill_heads(s: Session, bill_ids: Sequence[int]) -> dict[int, AnyRow]:
    """Per bill id: the bill with its account, customer, premise and tariff."""
    return {r.id: r for r in s.execute(
        select(Bill.id, Bill.bill_number, Bill.account_id, Bill.period, Bill.period_start,
               Bill.period_end, Bill.issue_date, Bill.due_date, Bill.consumption_kwh,
               Bill.total_minor, Bill.after_due_minor, Account.account_number,
               Account.category, Customer.name, Premise.id.label("premise_id"),
               Premise.address, Tariff.name.label("tariff_name"))
        .join(Account, Account.id == Bill.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Tariff, Tariff.id == Bill.tariff_id)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .where(Bill.id.in_(bill_ids)))}


def line_rows(s: Session, bill_ids: Sequence[int]) -> Sequence[AnyRow]:
    """(bill id, code, description, amount, tariff version id) in bill and line order."""
    return s.execute(select(BillLine.bill_id, BillLine.code, BillLine.description,
                            BillLine.amount_minor, BillLine.tariff_version_id)
                     .where(BillLine.bill_id.in_(bill_ids))
                     .order_by(BillLine.bill_id, BillLine.seq)).all()


def version_specs(s: Session, version_ids: Iterable[int]) -> Iterable[AnyRow]:
    """(tariff version id, spec) of the versions given."""
    return s.execute(select(TariffVersion.id, TariffVersion.spec)
                     .where(TariffVersion.id.in_(version_ids)))


def installed_meters(s: Session, premise_ids: Sequence[int]) -> dict[int, list[Installed]]:
    """Per premise: the meters ever installed there, in installation order."""
    out: dict[int, list[Installed]] = defaultdict(list)
    for pid, mid, serial, on, off in s.execute(
            select(MeterInstallation.premise_id, Meter.id, Meter.serial,
                   MeterInstallation.installed_on, MeterInstallation.removed_on)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .where(MeterInstallation.premise_id.in_(premise_ids))
            .order_by(MeterInstallation.installed_on)):
        out[pid].append((mid, serial, on, off))
    return out


def meter_readings(s: Session, meter_ids: Iterable[int], since: date,
                   last: date) -> dict[int, list[ReadingRow]]:
    """Per meter: current readings from ``since`` to ``last``, in date order."""
    out: dict[int, list[ReadingRow]] = defaultdict(list)
    for mid, code, kind, mult, on, value, source in s.execute(
            select(MeterRegister.meter_id, MeterRegister.code, MeterRegister.kind,
                   Meter.multiplier, Reading.read_on, Reading.value, Reading.source)
            .join(Meter, Meter.id == MeterRegister.meter_id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(MeterRegister.meter_id.in_(set(meter_ids)),
                   Reading.read_on >= since, Reading.read_on <= last,
                   Reading.status.not_in(("superseded", "rejected")))
            .order_by(Reading.read_on)):
        out[mid].append((code, kind, mult, on, value, source == "estimated"))
    return out


def ar_through_bills(s: Session, bill_ids: Sequence[int],
                     account_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per bill: its AR entry id and the account's AR balance through that entry.
    ``account_ids``, the bills' accounts, only narrow the search: the ledger has no index
    on ``bill_id``, so without them the bill's own entry is found by scanning the whole
    ledger (47 ms for one bill of the 100,000-customer demo; the portal's PDF download)."""
    this = aliased(LedgerEntry)
    ar = aliased(LedgerEntry)
    return {int(b or 0): (int(e), int(t)) for b, e, t in s.execute(
        select(this.bill_id, this.id, func.sum(ar.amount_minor))
        .join(ar, (ar.account_id == this.account_id) & (ar.gl_code == "AR")
              & (ar.id <= this.id))
        .where(this.account_id.in_(account_ids), this.bill_id.in_(bill_ids),
               this.gl_code == "AR",
               this.payment_id.is_(None), this.credit_note_id.is_(None))
        .group_by(this.bill_id, this.id))}


def recent_ar_entries(s: Session, account_ids: Sequence[int],
                      since: date) -> dict[int, list[LedgerRow]]:
    """Per account: its AR entries of bills and payments since ``since``, in posting order,
    each payment with its receipt number."""
    entries: dict[int, list[LedgerRow]] = defaultdict(list)
    for eid, acc, day, amount, bill_id, pay_id, receipt in s.execute(
            select(LedgerEntry.id, LedgerEntry.account_id, LedgerEntry.entry_date,
                   LedgerEntry.amount_minor, LedgerEntry.bill_id, LedgerEntry.payment_id,
                   Receipt.number)
            .outerjoin(Receipt, (Receipt.payment_id == LedgerEntry.payment_id)
                       & (Receipt.kind == "payment"))
            .where(LedgerEntry.account_id.in_(account_ids), LedgerEntry.gl_code == "AR",
                   LedgerEntry.entry_date >= since)
            .order_by(LedgerEntry.id)):
        if acc is None or (pay_id is None and bill_id is None):
            continue
        is_bill = pay_id is None
        entries[acc].append((eid, day, amount, is_bill, receipt or f"payment {pay_id}"))
    return entries


def usage_history(s: Session, account_ids: Sequence[int], first: str,
                  last: str) -> dict[int, dict[str, tuple[Decimal, bool]]]:
    """Per account and period from ``first`` to ``last``: the kWh of its latest bill not
    cancelled, and whether that bill was estimated."""
    out: dict[int, dict[str, tuple[Decimal, bool]]] = defaultdict(dict)
    for acc, period, kwh, estimated in s.execute(
            select(Bill.account_id, Bill.period, Bill.consumption_kwh, Bill.estimated)
            .where(Bill.account_id.in_(account_ids),
                   Bill.period >= first,
                   Bill.period <= last,
                   ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists())
            .order_by(Bill.revision)):
        out[acc][period] = (kwh, bool(estimated))
    return out
