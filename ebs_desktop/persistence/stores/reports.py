"""The reads behind the management reports (:mod:`ebs_desktop.services.reports`).

One function per query a report makes, returning rows; the reports do the arithmetic.
Days are whole UTC days: ``first`` and ``last`` are both included.

Why a helper for timestamp bounds: ``received_at`` and ``opened_at`` are timestamps, the
report range is whole days. PostgreSQL compares a timestamp with an aware datetime; SQLite
stores text (``2025-10-02 08:00:00+00:00``), where comparing with the bare day string
``2025-10-02`` is exact (a longer string with the same prefix sorts after it), whereas a
bound datetime would be written with microseconds and mis-sort a payment at midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, DateTime, Result, Row, String, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillingCycle,
    BillingException,
    BillingRun,
    Counter,
    CreditNote,
    Customer,
    Journal,
    LedgerEntry,
    MeterInstallation,
    MeterRegister,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PaymentTender,
    Premise,
    Reading,
    Route,
    SafeDrop,
    Shift,
    ShiftCount,
    Tariff,
    User,
)

AnyRow: TypeAlias = Row[*tuple[Any, ...]]
AnyResult: TypeAlias = Result[*tuple[Any, ...]]


# -- timestamps against whole days (the dialect branch) -----------------------------------
def _bound(session: Session, day: date) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return literal(day.isoformat(), String())
    return literal(datetime(day.year, day.month, day.day, tzinfo=UTC), DateTime(timezone=True))


def _within_days(session: Session, column: Any, first: date, last: date) -> ColumnElement[bool]:
    """``column`` (a timestamp) falls on one of the days ``first`` to ``last``."""
    after_last = last + timedelta(days=1)
    result: ColumnElement[bool] = (column >= _bound(session, first)) & (
        column < _bound(session, after_last))
    return result


def _before_day(session: Session, column: Any, day: date) -> ColumnElement[bool]:
    """``column`` (a timestamp) falls before ``day`` begins."""
    result: ColumnElement[bool] = column < _bound(session, day)
    return result


# -- arrears aging -------------------------------------------------------------------------
def open_bills(s: Session, as_of: date) -> list[tuple[int, date, int]]:
    """(account id, due date, open minor units) of every bill open on ``as_of``: its total
    less what payments received by then allocated to it, unless credited by then."""
    day_after = as_of + timedelta(days=1)
    paid = (select(PaymentAllocation.bill_id, func.sum(PaymentAllocation.amount_minor)
                   .label("paid"))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(_before_day(s, Payment.received_at, day_after))
            .group_by(PaymentAllocation.bill_id).subquery())
    rows = s.execute(
        select(Bill.account_id, Bill.due_date,
               Bill.total_minor - func.coalesce(paid.c.paid, 0))
        .outerjoin(paid, paid.c.bill_id == Bill.id)
        .where(Bill.issue_date <= as_of,
               ~select(CreditNote.id).where(
                   CreditNote.bill_id == Bill.id,
                   _before_day(s, CreditNote.created_at, day_after)).exists()))
    return [(int(a), d, int(o)) for a, d, o in rows if int(o) != 0]


def account_labels(s: Session,
                   account_ids: Sequence[int]) -> dict[int, tuple[str, str, str, str]]:
    """Per account id: (account number, category, customer name, route code)."""
    return {a: (no, cat, name, route) for a, no, cat, name, route in s.execute(
        select(Account.id, Account.account_number, Account.category, Customer.name,
               Route.code)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Route, Route.id == Account.route_id)
        .where(Account.id.in_(list(account_ids))))}


# -- billing exceptions --------------------------------------------------------------------
def billing_runs(s: Session, run_id: int | None, first_period: str,
                 last_period: str) -> Sequence[AnyRow]:
    """(id, period, status, bills created) of run ``run_id``, or of the runs billing the
    periods ``first_period`` to ``last_period``, in period order."""
    stmt = select(BillingRun.id, BillingRun.period, BillingRun.status,
                  BillingRun.bills_created).order_by(BillingRun.period, BillingRun.id)
    if run_id is not None:
        stmt = stmt.where(BillingRun.id == run_id)
    else:
        stmt = stmt.where(BillingRun.period >= first_period,
                          BillingRun.period <= last_period)
    return s.execute(stmt).all()


def run_exceptions(s: Session, run_ids: Sequence[int]) -> Sequence[AnyRow]:
    """(run id, account number, customer, code, detail) of the runs' exceptions."""
    return s.execute(
        select(BillingException.run_id, Account.account_number, Customer.name,
               BillingException.code, BillingException.detail)
        .join(Account, Account.id == BillingException.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .where(BillingException.run_id.in_(list(run_ids)))
        .order_by(BillingException.run_id, BillingException.code,
                  Account.account_number)).all()


# -- consumption trends --------------------------------------------------------------------
def _current_bills(first_period: str, last_period: str) -> list[ColumnElement[bool]]:
    """Bills of the periods, neither cancelled nor superseded by a later revision."""
    newer = aliased(Bill)
    return [Bill.period >= first_period, Bill.period <= last_period,
            ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists(),
            ~select(newer.id).where(newer.account_id == Bill.account_id,
                                    newer.period == Bill.period,
                                    newer.revision > Bill.revision).exists()]


def consumption_grid(s: Session, first_period: str,
                     last_period: str) -> Sequence[AnyRow]:
    """(period, category, bills, kWh sum) of the current bills, in period order."""
    return s.execute(
        select(Bill.period, Account.category, func.count(), func.sum(Bill.consumption_kwh))
        .join(Account, Account.id == Bill.account_id)
        .where(*_current_bills(first_period, last_period))
        .group_by(Bill.period, Account.category)
        .order_by(Bill.period, Account.category)).all()


def top_consumers(s: Session, first_period: str, last_period: str,
                  limit: int) -> Sequence[AnyRow]:
    """(account number, customer, category, bills, kWh) of the ``limit`` accounts billed
    the most kWh."""
    return s.execute(
        select(Account.account_number, Customer.name, Account.category, func.count(),
               func.sum(Bill.consumption_kwh).label("kwh"))
        .join(Account, Account.id == Bill.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .where(*_current_bills(first_period, last_period))
        .group_by(Account.account_number, Customer.name, Account.category)
        .order_by(func.sum(Bill.consumption_kwh).desc(), Account.account_number)
        .limit(limit)).all()


# -- daily collections ---------------------------------------------------------------------
def collection_tenders(s: Session, first: date, last: date) -> AnyResult:
    """One row per tender of each payment received on the days: (payment id, received at,
    channel, counter code, counter name, clerk name, tender, amount, reversal id)."""
    clerk = select(User.full_name).where(User.id == Payment.clerk_id).scalar_subquery()
    return s.execute(
        select(Payment.id, Payment.received_at, Payment.channel, Counter.code, Counter.name,
               clerk, PaymentTender.tender, PaymentTender.amount_minor, PaymentReversal.id)
        .join(PaymentTender, PaymentTender.payment_id == Payment.id)
        .outerjoin(Shift, Shift.id == Payment.shift_id)
        .outerjoin(Counter, Counter.id == Shift.counter_id)
        .outerjoin(PaymentReversal, PaymentReversal.payment_id == Payment.id)
        .where(_within_days(s, Payment.received_at, first, last)))


# -- ledger reconciliation -----------------------------------------------------------------
def _debit_credit() -> tuple[Any, Any]:
    debit = func.sum(case((LedgerEntry.amount_minor > 0, LedgerEntry.amount_minor), else_=0))
    credit = func.sum(case((LedgerEntry.amount_minor < 0, -LedgerEntry.amount_minor),
                           else_=0))
    return debit, credit


def journal_kind_totals(s: Session, first: date, last: date) -> Sequence[AnyRow]:
    """(kind, journals, debits, credits) of the journals dated ``first`` to ``last``."""
    debit, credit = _debit_credit()
    return s.execute(
        select(Journal.kind, func.count(func.distinct(Journal.id)), debit, credit)
        .join(LedgerEntry, LedgerEntry.journal_id == Journal.id)
        .where(Journal.entry_date >= first, Journal.entry_date <= last)
        .group_by(Journal.kind).order_by(Journal.kind)).all()


def unbalanced_journals(s: Session) -> Sequence[AnyRow]:
    """(id, kind, date, debits, credits) of every journal whose entries do not sum to 0."""
    debit, credit = _debit_credit()
    return s.execute(
        select(Journal.id, Journal.kind, Journal.entry_date, debit, credit)
        .join(LedgerEntry, LedgerEntry.journal_id == Journal.id)
        .group_by(Journal.id, Journal.kind, Journal.entry_date)
        .having(func.sum(LedgerEntry.amount_minor) != 0).order_by(Journal.id)).all()


def _ar_by_account() -> Any:
    return (select(LedgerEntry.account_id, func.sum(LedgerEntry.amount_minor).label("ar"))
            .where(LedgerEntry.gl_code == "AR").group_by(LedgerEntry.account_id).subquery())


def balance_totals(s: Session) -> AnyRow:
    """(accounts, sum of cached balances, sum of AR entries) over every account."""
    ar = _ar_by_account()
    recomputed = func.coalesce(ar.c.ar, 0)
    return s.execute(
        select(func.count(), func.sum(Account.balance_minor), func.sum(recomputed))
        .outerjoin(ar, ar.c.account_id == Account.id)).one()


def balances_off_ledger(s: Session) -> Sequence[AnyRow]:
    """(account number, cached balance, sum of its AR entries) where the two differ."""
    ar = _ar_by_account()
    recomputed = func.coalesce(ar.c.ar, 0)
    return s.execute(
        select(Account.account_number, Account.balance_minor, recomputed)
        .outerjoin(ar, ar.c.account_id == Account.id)
        .where(Account.balance_minor != recomputed)
        .order_by(Account.account_number)).all()


# -- reading completeness ------------------------------------------------------------------
def routes_with_readers(s: Session) -> Sequence[AnyRow]:
    """(route id, code, name, read day of its cycle, reader's name or None) by code."""
    return s.execute(select(Route.id, Route.code, Route.name, BillingCycle.read_day,
                            User.full_name)
                     .join(BillingCycle, BillingCycle.id == Route.cycle_id)
                     .outerjoin(User, User.id == Route.reader_id)
                     .order_by(Route.code)).all()


def energy_registers_by_route(s: Session) -> dict[int, int]:
    """Per route: the energy registers of the meters installed now on its active accounts."""
    return {int(r): int(n) for r, n in s.execute(
        select(Account.route_id, func.count(MeterRegister.id))
        .join(Premise, Premise.account_id == Account.id)
        .join(MeterInstallation, (MeterInstallation.premise_id == Premise.id)
              & MeterInstallation.removed_on.is_(None))
        .join(MeterRegister, (MeterRegister.meter_id == MeterInstallation.meter_id)
              & (MeterRegister.kind == "energy"))
        .where(Account.status == "active").group_by(Account.route_id)).all()}


def readings_by_route(s: Session, first: date, last: date) -> AnyResult:
    """(route id, reading source, count) of the current energy readings of the days."""
    return s.execute(
        select(Account.route_id, Reading.source, func.count())
        .join(Premise, Premise.account_id == Account.id)
        .join(MeterInstallation, MeterInstallation.premise_id == Premise.id)
        .join(MeterRegister, (MeterRegister.meter_id == MeterInstallation.meter_id)
              & (MeterRegister.kind == "energy"))
        .join(Reading, Reading.register_id == MeterRegister.id)
        .where(Reading.read_on >= first, Reading.read_on <= last,
               Reading.read_on >= MeterInstallation.installed_on,
               Reading.status.not_in(("superseded", "rejected")))
        .group_by(Account.route_id, Reading.source))


# -- revenue -------------------------------------------------------------------------------
def billed_by_key(s: Session, first_period: str, last_period: str) -> AnyResult:
    """(period, tariff code, category, bills, kWh, total, credited) of the bills of the
    periods ``first_period`` to ``last_period`` (every revision, cancelled ones too)."""
    credited = (select(CreditNote.bill_id, func.sum(CreditNote.amount_minor).label("amount"))
                .group_by(CreditNote.bill_id).subquery())
    return s.execute(
        select(Bill.period, Tariff.code, Account.category, func.count(),
               func.sum(Bill.consumption_kwh), func.sum(Bill.total_minor),
               func.sum(credited.c.amount))
        .join(Tariff, Tariff.id == Bill.tariff_id)
        .join(Account, Account.id == Bill.account_id)
        .outerjoin(credited, credited.c.bill_id == Bill.id)
        .where(Bill.period >= first_period, Bill.period <= last_period)
        .group_by(Bill.period, Tariff.code, Account.category))


def collected_by_key(s: Session, first_period: str, last_period: str) -> AnyResult:
    """(bill period, tariff code, category, allocated) of what payments, whenever received,
    settled of the bills of the periods ``first_period`` to ``last_period``."""
    return s.execute(
        select(Bill.period, Tariff.code, Account.category,
               func.sum(PaymentAllocation.amount_minor))
        .join(Bill, Bill.id == PaymentAllocation.bill_id)
        .join(Tariff, Tariff.id == Bill.tariff_id)
        .join(Account, Account.id == Bill.account_id)
        .where(Bill.period >= first_period, Bill.period <= last_period)
        .group_by(Bill.period, Tariff.code, Account.category))


# -- shift Z-report ------------------------------------------------------------------------
def shifts_with_counter(s: Session, shift_id: int | None, first: date,
                        last: date) -> Sequence[AnyRow]:
    """(Shift, counter code, counter name, clerk name) of shift ``shift_id``, or of the
    shifts opened on the days, in opening order."""
    stmt = (select(Shift, Counter.code, Counter.name, User.full_name)
            .join(Counter, Counter.id == Shift.counter_id)
            .join(User, User.id == Shift.clerk_id).order_by(Shift.opened_at, Shift.id))
    if shift_id is not None:
        stmt = stmt.where(Shift.id == shift_id)
    else:
        stmt = stmt.where(_within_days(s, Shift.opened_at, first, last))
    return s.execute(stmt).all()


def shift_tenders(s: Session, shift_id: int) -> AnyResult:
    """(tender, payments, amount) taken in the shift."""
    return s.execute(
        select(PaymentTender.tender, func.count(), func.sum(PaymentTender.amount_minor))
        .join(Payment, Payment.id == PaymentTender.payment_id)
        .where(Payment.shift_id == shift_id).group_by(PaymentTender.tender))


def shift_counted(s: Session, shift_id: int) -> AnyResult:
    """(tender, amount) of the shift's count at close."""
    return s.execute(
        select(ShiftCount.tender, func.sum(ShiftCount.amount_minor))
        .where(ShiftCount.shift_id == shift_id).group_by(ShiftCount.tender))


def shift_drops(s: Session, shift_id: int) -> AnyRow:
    """(count, sum) of the shift's safe drops."""
    return s.execute(select(func.count(), func.sum(SafeDrop.amount_minor))
                     .where(SafeDrop.shift_id == shift_id)).one()


def shift_reversed(s: Session, shift_id: int) -> AnyRow:
    """(count, sum) of the shift's payments reversed since."""
    return s.execute(
        select(func.count(), func.sum(Payment.amount_minor))
        .join(PaymentReversal, PaymentReversal.payment_id == Payment.id)
        .where(Payment.shift_id == shift_id)).one()
