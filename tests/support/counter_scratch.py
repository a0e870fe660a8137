"""Seeding for the counter's tests and benchmarks: accounts with open bills (test support,
not part of the product).

Why not the demo: ``build_demo`` bills through readings and the billing run, which takes
seconds even for a handful of customers; the counter only needs accounts that owe, with
bills whose ledger entries make the balance, two counters, a clerk and a supervisor.
Rows are written with the same shapes the billing run writes (bill, journal ``bill``
with an AR entry per bill and one SALES entry), so the ledger adds up from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.domain.tariffs.toml_io import read_tariff_file
from ebs_desktop.persistence.bulk import bulk_insert
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    BillingCycle,
    Counter,
    Customer,
    Journal,
    LedgerEntry,
    Printer,
    Route,
    Tariff,
)
from ebs_desktop.persistence.stores.accounts import insert_customer_words
from ebs_desktop.services import tariffs, users
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo.build import TARIFF_DIR

CLERK = ("clerk", "clerk-password")
CLERK2 = ("clerk2", "clerk-password")
SUPERVISOR = ("super", "super-password")
BATCH = 50_000
LOOKUP_BASE = 30_000_000
"""Lookup accounts are numbered from here (account ids added to it)."""


@dataclass(frozen=True)
class Scratch:
    account_numbers: tuple[str, ...]
    bill_minor: int
    bills_per_account: int
    counters: tuple[str, ...]


def seed_counter_scratch(db: Database, accounts: int = 10, *, bills_per_account: int = 2,
                         bill_minor: int = 4550, printer_target: str | None = None,
                         with_users: bool = True) -> Scratch:
    """Fill an empty, migrated database; bills are due a month apart, oldest first."""
    actor = system_actor("scratch")
    now = datetime.now(UTC)
    with db.write() as s:
        if with_users:
            users.add_user_in(s, actor, CLERK[0], "Carl Clerk", CLERK[1], ["clerk"])
            users.add_user_in(s, actor, CLERK2[0], "Clara Clerk", CLERK2[1], ["clerk"])
            users.add_user_in(s, actor, SUPERVISOR[0], "Sam Supervisor", SUPERVISOR[1],
                              ["manager"])
        tariffs.save_tariff_in(s, actor, read_tariff_file(TARIFF_DIR / "res-1.toml"))
        tariff_id = s.scalar(select(Tariff.id).limit(1))
        s.add(BillingCycle(code="C1", name="Month-end", read_day=31))
        s.flush()
        cycle_id = s.scalar(select(BillingCycle.id).where(BillingCycle.code == "C1"))
        s.add(Route(code="R0001", name="Route 1", cycle_id=cycle_id))
        printer_id = None
        if printer_target is not None:
            printer = Printer(name="Counter 1 printer", kind="file", target=printer_target,
                              paper_mm=80, logo=False, drawer_kick=True)
            s.add(printer)
            s.flush()
            printer_id = printer.id
        s.add_all([Counter(code="C01", name="Counter 1", printer_id=printer_id),
                   Counter(code="C02", name="Counter 2")])
        s.flush()
        route_id = s.scalar(select(Route.id))
        numbers = tuple(make_account_number(20_000_000 + i) for i in range(1, accounts + 1))
        for i, number in enumerate(numbers, start=1):
            name = f"Customer {i:05d}"
            cid = s.execute(insert(Customer).values(
                name=name, name_key=name.lower(), phone=f"+1555{i:07d}", address=f"{i} Main St",
                created_at=now).returning(Customer.id)).scalar_one()
            s.execute(insert(Account).values(
                account_number=number, customer_id=cid, category="residential",
                tariff_id=tariff_id, cycle_id=cycle_id, route_id=route_id, walk_order=i,
                status="active", opened_on=date(2024, 1, 1),
                balance_minor=bill_minor * bills_per_account, created_at=now))
        journal_id = s.execute(insert(Journal).values(
            kind="bill", entry_date=date(2025, 1, 1), description="scratch bills",
            created_at=now).returning(Journal.id)).scalar_one()
        account_ids = {n: i for n, i in s.execute(select(Account.account_number, Account.id))}
        for number in numbers:
            for k in range(bills_per_account):
                month = k + 1
                bill_id = s.execute(insert(Bill).values(
                    bill_number=f"B{number}-{month:02d}", account_id=account_ids[number],
                    period=f"2025-{month:02d}", tariff_id=tariff_id,
                    period_start=date(2025, month, 1), period_end=date(2025, month, 28),
                    issue_date=date(2025, month, 28), due_date=date(2025, month + 1, 12),
                    consumption_kwh=Decimal("300"), total_minor=bill_minor,
                    after_due_minor=bill_minor, created_at=now).returning(Bill.id)).scalar_one()
                s.execute(insert(LedgerEntry).values(
                    journal_id=journal_id, gl_code="AR", account_id=account_ids[number],
                    amount_minor=bill_minor, entry_date=date(2025, month, 28), bill_id=bill_id))
        s.execute(insert(LedgerEntry).values(
            journal_id=journal_id, gl_code="SALES",
            amount_minor=-bill_minor * bills_per_account * accounts, entry_date=date(2025, 1, 1)))
    return Scratch(numbers, bill_minor, bills_per_account, ("C01", "C02"))


def fill_lookup_accounts(db: Database, customers: int,
                         progress: Callable[[int], None] | None = None) -> None:
    """Customers with an account, premise and meter each (lookup's tables only)."""
    seed_counter_scratch(db, 1, with_users=False)
    with db.read() as s:
        tariff_id = s.scalar(select(Tariff.id).limit(1))
        first = int(s.scalar(select(func.max(Account.id))) or 0) + 1
    now = datetime.now(UTC)
    opened = date(2024, 1, 1)
    for start in range(first, first + customers, BATCH):
        stop = min(start + BATCH, first + customers)
        ids = range(start, stop)
        with db.write_connection() as conn:
            bulk_insert(conn, "customers", ("id", "name", "name_key", "phone", "address",
                                            "created_at"),
                        [(i, f"Lookup Customer {i:07d}", f"lookup customer {i:07d}",
                          f"+1666{i:07d}", f"{i} Long Road", now) for i in ids])
            insert_customer_words(conn, [(i, f"Lookup Customer {i:07d}", f"{i} Long Road")
                                         for i in ids])
            bulk_insert(conn, "accounts", ("id", "account_number", "customer_id", "category",
                                           "tariff_id", "cycle_id", "route_id", "walk_order",
                                           "status", "opened_on", "balance_minor",
                                           "created_at"),
                        [(i, make_account_number(LOOKUP_BASE + i), i, "residential", tariff_id,
                          1, 1, i, "active", opened, 0, now) for i in ids])
            bulk_insert(conn, "premises", ("id", "account_id", "address", "sanctioned_load_kw",
                                           "phases", "connected_on"),
                        [(i, i, f"{i} Long Road", 5000, 1, opened) for i in ids])
            bulk_insert(conn, "meters", ("id", "serial", "make", "model", "dials",
                                         "multiplier", "is_tou", "has_demand"),
                        [(i, f"LKP{i:08d}", "Landis+Gyr", "E350", 6, 1000, False, False)
                         for i in ids])
            bulk_insert(conn, "meter_installations", ("id", "meter_id", "premise_id",
                                                      "installed_on", "removed_on"),
                        [(i, i, i, opened, None) for i in ids])
        if progress is not None:
            progress(stop - first)
