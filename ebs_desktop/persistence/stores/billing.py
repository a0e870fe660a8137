"""Billing's queries: cycles and due accounts, billing runs, the inputs of a batch of
accounts, and what corrections look up.

Bulk reads (a batch's accounts, bills and readings) go through the driver's cursor
(:func:`~ebs_desktop.persistence.raw.fetch_rows`): for thousands of rows, building
SQLAlchemy row objects costs more than the query. Single objects and small lookups use
the ORM. Dates come back as ISO text from SQLite and as ``date`` from PostgreSQL:
:func:`date_reader` gives the caller the converter for its connection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillingCycle,
    BillingRun,
    CreditNote,
    Customer,
)
from ebs_desktop.persistence.models import Tariff as TariffRow
from ebs_desktop.persistence.raw import fetch_rows

# -- backend differences ------------------------------------------------------------------


def date_reader(conn: Connection) -> Callable[[Any], date]:
    """SQLite returns dates as ISO text through the driver; PostgreSQL as ``date``."""
    if conn.dialect.name == "sqlite":
        return date.fromisoformat
    return as_date


def as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def integrity_errors(db: Database) -> tuple[type[BaseException], ...]:
    """What a refused duplicate raises: SQLAlchemy's error, and the driver's own (raw
    cursors, as the bulk writer uses, raise that one)."""
    dbapi = db.engine.dialect.dbapi
    return (IntegrityError,) if dbapi is None else (IntegrityError, dbapi.IntegrityError)


def in_list(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids)  # ints only: safe to inline


def id_filter(column: str, ids: list[int]) -> str:
    """``column IN (...)`` plus the range it spans: a batch is a run of consecutive ids, and
    with the range PostgreSQL walks the index instead of scanning the table for a long
    IN list (SQLite probes the index either way)."""
    return (f"{column} BETWEEN {int(min(ids))} AND {int(max(ids))}"
            f" AND {column} IN ({in_list(ids)})")


# -- cycles, due accounts and runs ----------------------------------------------------------


def billing_cycles(session: Session, code: str | None = None) -> list[tuple[int, int, str]]:
    """(id, read day, code) of every cycle, or of the one with ``code``."""
    q = select(BillingCycle.id, BillingCycle.read_day, BillingCycle.code)
    if code is not None:
        q = q.where(BillingCycle.code == code)
    return [(int(i), int(d), str(c)) for i, d, c in session.execute(q)]


def due_account_ids(conn: Connection, period: str, cycle_ids: list[int]) -> list[int]:
    """Active accounts of the cycles without a regular bill for the period, by id."""
    cycles = ",".join(str(int(c)) for c in cycle_ids)
    return [int(r[0]) for r in fetch_rows(conn,
        "SELECT a.id FROM accounts a WHERE a.status = 'active'"
        f" AND a.cycle_id IN ({cycles}) AND NOT EXISTS (SELECT 1 FROM bills b"
        " WHERE b.account_id = a.id AND b.period = ? AND b.revision = 0) ORDER BY a.id",
        (period,))]


def unfinished_run(session: Session, period: str, cycle_id: int | None
                   ) -> tuple[int, str, str | None] | None:
    """(id, status, failure reason) of the period's oldest run not completed, for all
    cycles (``cycle_id`` None) or for one."""
    row = session.execute(select(BillingRun.id, BillingRun.status,
                                 BillingRun.failure_reason).where(
        BillingRun.period == period, BillingRun.status != "completed",
        BillingRun.cycle_id.is_(None) if cycle_id is None
        else BillingRun.cycle_id == cycle_id).order_by(BillingRun.id)).first()
    return None if row is None else (int(row[0]), str(row[1]), row[2])


def reopen_run(session: Session, run_id: int) -> None:
    session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
        status="running", failure_reason=None, finished_at=None))


def add_run(session: Session, period: str, cycle_id: int | None, user_id: int | None) -> int:
    run = BillingRun(period=period, cycle_id=cycle_id, status="running", user_id=user_id,
                     bills_created=0, total_minor=0)
    session.add(run)
    session.flush()
    return int(run.id)


def open_runs(session: Session, period: str) -> list[int]:
    """The period's runs still ``running`` or ``failed``."""
    return [int(i) for i in session.scalars(select(BillingRun.id).where(
        BillingRun.period == period, BillingRun.status.in_(("running", "failed"))))]


def close_run(session: Session, run_id: int, status: str) -> None:
    """End a run as ``completed`` or ``cancelled``, now, without a failure reason."""
    session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
        status=status, finished_at=datetime.now(UTC), failure_reason=None))


def fail_run(session: Session, run_id: int, reason: str) -> None:
    """Store a running run as ``failed`` with its reason (a run no longer running is left)."""
    session.execute(update(BillingRun).where(
        BillingRun.id == run_id, BillingRun.status == "running").values(
        status="failed", failure_reason=reason, finished_at=datetime.now(UTC)))


def latest_failed_run(session: Session, period: str) -> tuple[int, str | None] | None:
    """(id, failure reason) of the period's latest failed run."""
    row = session.execute(select(BillingRun.id, BillingRun.failure_reason).where(
        BillingRun.period == period, BillingRun.status == "failed")
        .order_by(BillingRun.id.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])


def add_to_run(session: Session, run_id: int, bills: int, total_minor: int) -> None:
    session.execute(update(BillingRun).where(BillingRun.id == run_id).values(
        bills_created=BillingRun.bills_created + bills,
        total_minor=BillingRun.total_minor + total_minor))


def run_issue_date(session: Session, run_id: int) -> date | None:
    """The issue date of a bill the run already wrote (one is enough: they share it)."""
    return session.scalar(select(Bill.issue_date).where(Bill.run_id == run_id).limit(1))


def account_numbers(conn: Connection, ids: list[int]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    for i in range(0, len(ids), 5000):
        numbers.update(fetch_rows(conn, "SELECT id, account_number FROM accounts"
                                         f" WHERE id IN ({in_list(ids[i:i + 5000])})"))
    return numbers


def account_labels(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Account id -> (account number, customer name) for the given ids (unknown ids left
    out), 5,000 ids a query."""
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 5000):
        out.update({int(a): (str(n), str(c)) for a, n, c in session.execute(
            select(Account.id, Account.account_number, Customer.name)
            .join(Customer, Customer.id == Account.customer_id)
            .where(Account.id.in_(ids[i:i + 5000])))})
    return out


def tariff_ids(session: Session) -> list[int]:
    return [int(i) for i in session.scalars(select(TariffRow.id))]


# -- the inputs of a batch --------------------------------------------------------------


def batch_accounts(conn: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """(id, tariff, category, balance, opened on, sanctioned load milli) per account."""
    return fetch_rows(conn,
        "SELECT a.id, a.tariff_id, a.category, a.balance_minor, a.opened_on, "
        "p.sanctioned_load_kw FROM accounts a LEFT JOIN premises p ON p.account_id = a.id "
        f"WHERE {id_filter('a.id', ids)}")


def recent_bills(conn: Connection, ids: list[int], since: str | None, before: str | None
                 ) -> list[tuple[Any, ...]]:
    """(account, start, end, due, kWh milli, estimated, id) of bills not cancelled, in no
    particular order; ``since`` limits them to periods from that ``YYYY-MM`` on,
    ``before`` to periods before that one."""
    window = "" if since is None else " AND b.period >= ?"
    if before is not None:
        window += " AND b.period < ?"
    params = tuple(p for p in (since, before) if p is not None)
    found = fetch_rows(conn,
        "SELECT b.account_id, b.period_start, b.period_end, b.due_date, b.consumption_kwh,"
        " b.estimated, b.id FROM bills b"
        f" WHERE {id_filter('b.account_id', ids)}{window}", params)
    if not found or not fetch_rows(conn,  # a credit note on any bill this recent?
            "SELECT 1 FROM credit_notes WHERE bill_id >= ? LIMIT 1",
            (min(r[6] for r in found),)):
        return found  # (most batches: checking each bill cost ~15 us per account)
    cancelled = {r[0] for r in fetch_rows(conn,
        "SELECT c.bill_id FROM credit_notes c JOIN bills b ON b.id = c.bill_id"
        f" WHERE {id_filter('b.account_id', ids)}{window}", params)}
    if cancelled:
        found = [r for r in found if r[6] not in cancelled]
    return found


def period_readings(conn: Connection, ids: list[int], after: date, until: date
                    ) -> list[tuple[Any, ...]]:
    """(account, register, code, kind, read on, value milli, consumption milli) of the
    valid readings of the accounts' installed meters, ``after`` < day <= ``until``."""
    return fetch_rows(conn,
        "SELECT p.account_id, mr.id, mr.code, mr.kind, rd.read_on, rd.value, rd.consumption"
        " FROM readings rd"
        " JOIN meter_registers mr ON mr.id = rd.register_id"
        " JOIN meter_installations mi ON mi.meter_id = mr.meter_id"
        " JOIN premises p ON p.id = mi.premise_id"
        f" WHERE {id_filter('p.account_id', ids)} AND rd.read_on > ? AND rd.read_on <= ?"
        " AND rd.read_on >= mi.installed_on"
        " AND (mi.removed_on IS NULL OR rd.read_on <= mi.removed_on)"
        " AND rd.status IN ('valid', 'confirmed')",
        (after.isoformat(), until.isoformat()))


def current_register_readings(conn: Connection, ids: list[int], after: date, until: date
                              ) -> list[tuple[Any, ...]]:
    """(account, register, code, kind, read on, value, consumption, source) of the valid
    readings of the accounts' current registers, ``after`` < day <= ``until``, by day."""
    return fetch_rows(conn,
        "SELECT p.account_id, mr.id, mr.code, mr.kind, rd.read_on, rd.value, rd.consumption,"
        " rd.source FROM meter_registers mr"
        " JOIN meter_installations mi ON mi.meter_id = mr.meter_id AND mi.removed_on IS NULL"
        " JOIN premises p ON p.id = mi.premise_id"
        " JOIN readings rd ON rd.register_id = mr.id AND rd.status IN ('valid', 'confirmed')"
        f" WHERE {id_filter('p.account_id', ids)} AND rd.read_on <= ?"
        " AND rd.read_on > ? ORDER BY rd.read_on",
        (until.isoformat(), after.isoformat()))


# -- corrections ------------------------------------------------------------------------


def find_bill(session: Session, ref: str) -> Bill | None:
    """A bill by number (``B2026-0000001``) or by id."""
    bill = session.scalar(select(Bill).where(Bill.bill_number == ref))
    if bill is None and ref.isascii() and ref.isdigit() and int(ref) < 2**63:
        bill = session.get(Bill, int(ref))
    return bill


def credit_note_of(session: Session, bill_id: int) -> str | None:
    """The number of the credit note cancelling the bill."""
    return session.scalar(select(CreditNote.number).where(CreditNote.bill_id == bill_id))


def add_credit_note(session: Session, number: str, bill_id: int, amount_minor: int,
                    reason: str, user_id: int | None) -> int:
    note = CreditNote(number=number, bill_id=bill_id, amount_minor=amount_minor,
                      reason=reason, user_id=user_id)
    session.add(note)
    session.flush()
    return int(note.id)


def account_number(session: Session, account_id: int) -> str:
    return session.scalar(select(Account.account_number)
                          .where(Account.id == account_id)) or ""


def live_bill_number(session: Session, account_id: int, period: str) -> str | None:
    """The account's bill for the period that no credit note cancels."""
    return session.scalar(select(Bill.bill_number).where(
        Bill.account_id == account_id, Bill.period == period,
        ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists()))


def last_revision(session: Session, account_id: int, period: str) -> int:
    return int(session.scalar(select(func.max(Bill.revision)).where(
        Bill.account_id == account_id, Bill.period == period)) or 0)


def read_day_of_account(session: Session, account_id: int) -> int | None:
    """The read day of the account's billing cycle."""
    account = session.get(Account, account_id)
    assert account is not None
    return session.scalar(select(BillingCycle.read_day)
                          .where(BillingCycle.id == account.cycle_id))


def registers_read_on(conn: Connection, day: date) -> set[tuple[int, str]]:
    """(register, ISO day) of the readings not superseded on ``day``."""
    return {(int(r), as_date(d).isoformat()) for r, d in fetch_rows(conn,
        "SELECT register_id, read_on FROM readings WHERE status <> 'superseded'"
        " AND read_on = ?", (day.isoformat(),))}
