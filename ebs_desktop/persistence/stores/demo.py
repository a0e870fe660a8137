"""The demo builder's queries: its reference rows, sequences after explicit ids, planner
statistics after the load, and what its payments read back (open bills, receipt series).

The rows themselves go in through :mod:`ebs_desktop.persistence.bulk` and the ledger
through :mod:`ebs_desktop.persistence.ledger`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, BillingCycle, Counter, Printer, User
from ebs_desktop.persistence.models import Tariff as TariffRow
from ebs_desktop.persistence.raw import fetch_rows


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Account)))


def add_cycles(session: Session, cycles: Sequence[tuple[str, str, int]]) -> None:
    """Billing cycles as (code, name, read day)."""
    session.add_all([BillingCycle(code=code, name=name, read_day=day)
                     for code, name, day in cycles])


def add_printer(session: Session, **fields: Any) -> int:
    printer = Printer(**fields)
    session.add(printer)
    session.flush()
    return int(printer.id)


def add_counters(session: Session, counters: Sequence[tuple[str, str, int | None]]) -> None:
    """Counters as (code, name, printer id)."""
    session.add_all([Counter(code=code, name=name, printer_id=printer)
                     for code, name, printer in counters])
    session.flush()


def reference_ids(session: Session, usernames: Sequence[str]) -> dict[str, int]:
    """``tariff:CODE``, ``cycle:CODE``, ``counter:CODE`` and ``user:NAME`` -> id."""
    ids = {f"tariff:{code}": tid for code, tid in session.execute(
        select(TariffRow.code, TariffRow.id))}
    ids.update({f"cycle:{c}": i for c, i in session.execute(
        select(BillingCycle.code, BillingCycle.id))})
    ids.update({f"counter:{c}": i for c, i in session.execute(
        select(Counter.code, Counter.id))})
    for name in usernames:
        ids[f"user:{name}"] = int(session.scalar(select(User.id).where(User.username == name))
                                  or 0)
    return ids


def fix_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """After inserts with explicit ids, move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def analyze(db: Database) -> None:
    """PostgreSQL plans from statistics; after bulk COPY they describe empty tables until
    autovacuum catches up, and a billing run's batch queries would scan whole tables."""
    if db.backend == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def owed_bills(conn: Connection, period: str) -> list[tuple[Any, ...]]:
    """(account, bill id, total) of the period's bills with something to pay, by id."""
    return fetch_rows(conn, "SELECT account_id, id, total_minor FROM bills"
                            " WHERE period = ? AND total_minor > 0 ORDER BY id", (period,))


def last_taken(conn: Connection, series: str) -> int:
    """The last number taken of a receipt series (0 for a new one)."""
    value = conn.execute(text("SELECT next_value FROM number_series WHERE code = :c"),
                         {"c": series}).scalar()
    return int(value) - 1 if value else 0


def set_series_next(conn: Connection, series: str, prefix: str, next_value: int) -> None:
    """Create or move a number series so that its next number is ``next_value``."""
    conn.execute(text(
        "INSERT INTO number_series (code, prefix, next_value) VALUES (:c, :p, :n) "
        "ON CONFLICT (code) DO UPDATE SET next_value = :n"),
        {"c": series, "p": prefix, "n": next_value})


def settle_told_history(db: Database, last_period: str) -> int:
    """The demo's history was told at the time: the bill notices of every period before
    ``last_period`` are marked sent on their bill's issue day (the Outbox page and
    ``ebs notify run`` then have the last period's notices to show, not two years of
    stale ones a sender would text to every customer)."""
    at = ("b.issue_date || ' 08:00:00.000000'" if db.backend == "sqlite"
          else "b.issue_date + time '08:00'")
    with db.engine.begin() as conn:
        done = conn.execute(text(
            "UPDATE notification_outbox SET status = 'sent', attempts = 1,"
            f" sent_at = (SELECT {at} FROM bills b"
            "            WHERE b.id = notification_outbox.bill_id),"
            " provider_id = 'demo-history'"
            " WHERE status = 'pending' AND kind = 'bill_issued' AND bill_id IN"
            " (SELECT id FROM bills WHERE period < :last)"), {"last": last_period})
        return int(done.rowcount or 0)


def portal_demo_account(session: Session) -> int | None:
    """The demo's portal account: the first account with both bills and payments."""
    from ebs_desktop.persistence.models import Bill, Payment

    found = session.scalar(select(Payment.account_id)
                           .where(Payment.account_id.in_(select(Bill.account_id)))
                           .order_by(Payment.account_id).limit(1))
    return None if found is None else int(found)
