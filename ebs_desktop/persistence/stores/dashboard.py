"""The reads behind the home dashboard (:mod:`ebs_desktop.services.dashboard`).

Every figure is an aggregate computed in the database (a count or a sum per group), so a
refresh a minute reads a few hundred rows whatever the size of the utility. Timestamps
against whole UTC days as in :mod:`ebs_desktop.persistence.stores.reports` (whose day
bounds and reading-completeness reads are used here too).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, and_, case, func, literal, select, text

from ebs_desktop.persistence.models import (
    AuditEntry,
    Bill,
    BillingException,
    BillingRun,
    Counter,
    CreditNote,
    OutboxMessage,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PaymentTender,
    Shift,
    User,
)
from ebs_desktop.persistence.stores import reports as report_store
from ebs_desktop.persistence.tx import Session

__all__ = ["arrears_now", "collections_by_counter", "collections_by_tender",
           "connections", "customer_actions", "database_bytes", "failed_sign_ins",
           "last_runs", "latest_completed_period", "open_shifts", "outbox_counts", "overdue_trend",
           "readings_by_route", "registers_by_route", "reversed_today", "routes",
           "shifts_to_approve"]


def _moment(session: Session, at: datetime) -> Any:
    """A timestamp bound comparable with a stored one on both dialects (SQLite keeps text
    without the zone, written like this)."""
    if session.get_bind().dialect.name == "sqlite":
        return literal(at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), String())
    return literal(at, DateTime(timezone=True))


def _day_start(session: Session, day: date) -> Any:
    return _moment(session, datetime(day.year, day.month, day.day, tzinfo=UTC))


def _today(session: Session, day: date) -> Any:
    """``received_at`` falls on ``day`` (UTC)."""
    return and_(Payment.received_at >= _day_start(session, day),
                Payment.received_at < _day_start(session, day + timedelta(days=1)))


def _not_reversed() -> Any:
    return ~select(PaymentReversal.id).where(PaymentReversal.payment_id == Payment.id).exists()


# -- collections -----------------------------------------------------------------------------
def collections_by_tender(s: Session, day: date) -> list[tuple[str, int, int]]:
    """(tender, payments, amount) of the payments received on ``day``, not reversed."""
    return [(str(t), int(n), int(a or 0)) for t, n, a in s.execute(
        select(PaymentTender.tender, func.count(func.distinct(Payment.id)),
               func.sum(PaymentTender.amount_minor))
        .join(Payment, Payment.id == PaymentTender.payment_id)
        .where(_today(s, day), _not_reversed())
        .group_by(PaymentTender.tender).order_by(PaymentTender.tender))]


def collections_by_counter(s: Session, day: date) -> list[tuple[str, int, int]]:
    """(counter name, or the channel for payments taken elsewhere; payments; amount) of
    the payments received on ``day``, not reversed."""
    place = func.coalesce(Counter.name, Payment.channel)
    return [(str(p), int(n), int(a or 0)) for p, n, a in s.execute(
        select(place, func.count(), func.sum(Payment.amount_minor))
        .outerjoin(Shift, Shift.id == Payment.shift_id)
        .outerjoin(Counter, Counter.id == Shift.counter_id)
        .where(_today(s, day), _not_reversed())
        .group_by(place).order_by(place))]


def reversed_today(s: Session, day: date) -> int:
    """How many of the payments received on ``day`` were reversed."""
    return int(s.scalar(select(func.count()).select_from(Payment)
                        .where(_today(s, day), ~_not_reversed())) or 0)


# -- shifts ----------------------------------------------------------------------------------
def open_shifts(s: Session) -> list[tuple[int, str, str, datetime, int]]:
    """(shift id, counter name, clerk name, opened at, taken so far) of every open shift."""
    taken = (select(func.coalesce(func.sum(Payment.amount_minor), 0))
             .where(Payment.shift_id == Shift.id, _not_reversed()).scalar_subquery())
    return [(int(i), str(c), str(u), at, int(t)) for i, c, u, at, t in s.execute(
        select(Shift.id, Counter.name, User.full_name, Shift.opened_at, taken)
        .join(Counter, Counter.id == Shift.counter_id)
        .join(User, User.id == Shift.clerk_id)
        .where(Shift.status == "open").order_by(Counter.name))]


def shifts_to_approve(s: Session) -> list[tuple[int, str, str, datetime | None]]:
    """(shift id, counter name, clerk name, closed at) of the closed shifts whose count
    differed beyond the threshold and that no supervisor approved yet."""
    return [(int(i), str(c), str(u), at) for i, c, u, at in s.execute(
        select(Shift.id, Counter.name, User.full_name, Shift.closed_at)
        .join(Counter, Counter.id == Shift.counter_id)
        .join(User, User.id == Shift.clerk_id)
        .where(Shift.needs_approval.is_(True), Shift.approved_by.is_(None))
        .order_by(Shift.closed_at))]


# -- arrears ---------------------------------------------------------------------------------
def arrears_now(s: Session, today: date) -> list[int]:
    """What is open today by days past due: not due, 1-30, 31-60, 61-90, over 90. A bill's
    total less every allocation to it, nothing for a bill a credit note cancelled (every
    payment and credit note there is counts: this is today's picture, not a past day's)."""
    edges = [today, today - timedelta(days=30), today - timedelta(days=60),
             today - timedelta(days=90)]
    bucket = case((Bill.due_date >= edges[0], 0), (Bill.due_date >= edges[1], 1),
                  (Bill.due_date >= edges[2], 2), (Bill.due_date >= edges[3], 3), else_=4)
    credited = select(CreditNote.bill_id).distinct().subquery()
    live = [Bill.issue_date <= today, credited.c.bill_id.is_(None)]
    out = [0] * 5
    for b, amount in s.execute(
            select(bucket, func.sum(Bill.total_minor))
            .outerjoin(credited, credited.c.bill_id == Bill.id).where(*live).group_by(bucket)):
        out[int(b)] += int(amount or 0)
    for b, amount in s.execute(
            select(bucket, func.sum(PaymentAllocation.amount_minor)).select_from(PaymentAllocation)
            .join(Bill, Bill.id == PaymentAllocation.bill_id)
            .outerjoin(credited, credited.c.bill_id == Bill.id).where(*live).group_by(bucket)):
        out[int(b)] -= int(amount or 0)
    return out


def _first_index(conditions: list[Any]) -> Any:
    """The 1-based index of the first true condition, ``len + 1`` when none is."""
    return case(*((c, i) for i, c in enumerate(conditions, start=1)),
                else_=len(conditions) + 1)


def overdue_trend(s: Session, ends: list[date]) -> list[int]:
    """What was open and past due at the end of each day in ``ends`` (ascending), in two
    grouped scans instead of one aging query per day.

    A bill counts at day E from the first E on or after its issue and after its due date
    until a credit note cancels it; a payment's allocation takes off from the first E on
    or after the payment was received (for as long as the bill counts). Each row is
    grouped by the index of those first days, so the database returns at most 13^3 sums
    and the per-day totals are added up here."""
    n = len(ends)
    nxt = [_day_start(s, e + timedelta(days=1)) for e in ends]
    due_i = _first_index([Bill.due_date < e for e in ends])
    issue_i = _first_index([Bill.issue_date <= e for e in ends])
    credits = (select(CreditNote.bill_id, func.min(CreditNote.created_at).label("at"))
               .group_by(CreditNote.bill_id).subquery())
    credit_i = _first_index([credits.c.at < b for b in nxt])
    received_i = _first_index([Payment.received_at < b for b in nxt])
    totals = [0] * n

    def add(start: int, end: int, amount: int) -> None:
        for k in range(start, min(end, n + 1)):
            totals[k - 1] += amount

    for d, i, c, amount in s.execute(
            select(due_i, issue_i, credit_i, func.sum(Bill.total_minor))
            .outerjoin(credits, credits.c.bill_id == Bill.id)
            .group_by(due_i, issue_i, credit_i)):
        add(max(int(d), int(i)), int(c), int(amount or 0))
    for d, i, c, r, amount in s.execute(
            select(due_i, issue_i, credit_i, received_i,
                   func.sum(PaymentAllocation.amount_minor))
            .select_from(PaymentAllocation)
            .join(Bill, Bill.id == PaymentAllocation.bill_id)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .outerjoin(credits, credits.c.bill_id == Bill.id)
            .group_by(due_i, issue_i, credit_i, received_i)):
        add(max(int(d), int(i), int(r)), int(c), -int(amount or 0))
    return totals


# -- billing runs ----------------------------------------------------------------------------
def last_runs(s: Session, limit: int) -> list[tuple[int, str, str, int, int, datetime, int]]:
    """(run id, period, status, bills, total, started at, exceptions) of the newest runs."""
    exceptions = (select(func.count()).where(BillingException.run_id == BillingRun.id)
                  .scalar_subquery())
    return [(int(i), str(p), str(st), int(b), int(t or 0), at, int(e)) for i, p, st, b, t, at, e
            in s.execute(select(BillingRun.id, BillingRun.period, BillingRun.status,
                                BillingRun.bills_created, BillingRun.total_minor,
                                BillingRun.started_at, exceptions)
                         .order_by(BillingRun.id.desc()).limit(limit))]


def latest_completed_period(s: Session) -> str | None:
    """The newest period a billing run completed (the one after it is still open)."""
    value = s.scalar(select(func.max(BillingRun.period)).where(BillingRun.status == "completed"))
    return None if value is None else str(value)


# -- readings of the open period (the reading-completeness report's reads) -------------------
def routes(s: Session) -> list[tuple[int, str, str, int]]:
    """(route id, code, name, read day of its cycle)."""
    return [(int(r.id), str(r.code), str(r.name), int(r.read_day))
            for r in report_store.routes_with_readers(s)]


def registers_by_route(s: Session) -> dict[int, int]:
    return report_store.energy_registers_by_route(s)


def readings_by_route(s: Session, first: date, last: date) -> list[tuple[int, str, int]]:
    return [(int(r), str(src), int(n))
            for r, src, n in report_store.readings_by_route(s, first, last)]


# -- system health ---------------------------------------------------------------------------
def database_bytes(s: Session) -> int:
    """Pages in use on SQLite; pg_database_size on PostgreSQL."""
    if s.get_bind().dialect.name == "sqlite":
        pages = s.execute(text("PRAGMA page_count")).scalar() or 0
        size = s.execute(text("PRAGMA page_size")).scalar() or 0
        return int(pages) * int(size)
    return int(s.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def connections(s: Session) -> int | None:
    """Sessions open on this PostgreSQL database (pg_stat_activity); None on SQLite, a
    file only this PC opens."""
    if s.get_bind().dialect.name == "sqlite":
        return None
    return int(s.execute(text("SELECT count(*) FROM pg_stat_activity "
                              "WHERE datname = current_database()")).scalar() or 0)


def failed_sign_ins(s: Session, since: datetime) -> int:
    """Audited failed sign-ins (``user.login_failed``) since ``since``."""
    return int(s.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "user.login_failed", AuditEntry.at >= _moment(s, since))) or 0)


def customer_actions(s: Session, since: datetime) -> tuple[bool, int]:
    """(whether any portal customer ever acted, how many audited actions since ``since``)."""
    by_customer = AuditEntry.actor.like("customer:%")
    ever = s.execute(select(AuditEntry.id).where(by_customer).limit(1)).first() is not None
    if not ever:
        return False, 0
    recent = s.scalar(select(func.count()).select_from(AuditEntry).where(
        and_(by_customer, AuditEntry.at >= _moment(s, since))))
    return True, int(recent or 0)


def outbox_counts(s: Session) -> dict[str, int]:
    """Notifications by status (empty when nothing was ever queued)."""
    return {str(st): int(n) for st, n in s.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))}
