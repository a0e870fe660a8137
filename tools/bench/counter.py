"""The counter's benchmarks: posting a payment, and finding an account among a million
(tooling, not the product; was ``ebs_desktop/services/counter/bench.py``).

Why these two: they are what a clerk waits for with a queue in front of the window.
Posting is measured end to end through :func:`post_payment` (allocation, ledger,
receipt number, audit entry, print job, commit with ``synchronous=FULL``); lookup through
:func:`find_accounts` for each kind of key a clerk types (number, meter, phone, a
name prefix, a word from the middle of the name, words in another order, a typo). The
lookup database is filled by :func:`fill_lookup_accounts`, which writes only what lookup
reads (customers, accounts, premises, meters, installations, customer words) in bulk, so
a million customers take a minute, not the hours a billed demo would (it is test support:
the desktop's million-account test fills its database with it too).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.models import Account
from ebs_desktop.persistence.stores.demo import analyze
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter.posting import post_payment
from ebs_desktop.services.counter.shifts import open_shift
from tests.support.counter_scratch import (
    CLERK,
    LOOKUP_BASE,
    fill_lookup_accounts,
    seed_counter_scratch,
)


@dataclass(frozen=True)
class Timing:
    name: str
    count: int
    p50_ms: float
    p99_ms: float
    backend: str

    def line(self) -> str:
        return (f"{self.name}: n={self.count} p50={self.p50_ms:.2f} ms "
                f"p99={self.p99_ms:.2f} ms ({self.backend})")


def _timing(name: str, samples: list[float], backend: str) -> Timing:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Timing(name, len(ordered), ordered[len(ordered) // 2] * 1000, p99 * 1000, backend)


def _scratch(db_url: str | None, tmp: Path) -> Database:
    db = open_database(db_url or f"sqlite:///{tmp / 'bench.sqlite3'}")
    migrate.upgrade(db)
    return db


def bench_payment_posting(count: int = 2000, db_url: str | None = None) -> Timing:
    with tempfile.TemporaryDirectory() as tmp:
        db = _scratch(db_url, Path(tmp))
        try:
            scratch = seed_counter_scratch(db, 200, bills_per_account=3)
            clerk = login(db, *CLERK)
            open_shift(db, clerk, "C01", Money.of("100", "USD"))
            samples: list[float] = []
            numbers = scratch.account_numbers
            for i in range(count):
                tender = CashTender(Money.of("20", "USD"))
                started = time.perf_counter()
                post_payment(db, clerk, "C01", numbers[i % len(numbers)], [tender],
                             f"bench-{i}", amount=Money.of("17.35", "USD"), allow_credit=True)
                samples.append(time.perf_counter() - started)
            return _timing("payment posting", samples, db.backend)
        finally:
            db.dispose()


def bench_account_lookup(customers: int = 1_000_000, db_url: str | None = None,
                         count: int = 300) -> list[Timing]:
    from ebs_desktop.services.accounts import find_accounts

    with tempfile.TemporaryDirectory() as tmp:
        db = _scratch(db_url, Path(tmp))
        try:
            with db.read() as s:
                have = int(s.scalar(select(func.count()).select_from(Account)) or 0)
            if have == 0:
                fill_lookup_accounts(db, customers)
                analyze(db)  # PostgreSQL: statistics, as autovacuum would give a real one
            with db.read() as s:
                top = int(s.scalar(select(func.max(Account.id))) or 0)
            rng = random.Random(7)
            picks = [rng.randint(2, top) for _ in range(count)]
            keys: dict[str, Callable[[int], str]] = {
                "account number": lambda i: make_account_number(LOOKUP_BASE + i),
                "meter serial": lambda i: f"LKP{i:08d}",
                "phone": lambda i: f"+1666{i:07d}",
                "name prefix": lambda i: f"Lookup Customer {i:07d}"[:20],
                "a word of the name": lambda i: f"{i:07d}",
                "name words, any order": lambda i: f"{i:07d} lookup",
                "name with a typo": lambda i: f"Lokup Custmer {i:07d}",
            }
            actor = system_actor("bench")
            out = []
            for name, key in keys.items():
                samples = []
                for i in picks:
                    started = time.perf_counter()
                    found = find_accounts(db, actor, key(i), limit=20)
                    samples.append(time.perf_counter() - started)
                    if not found:
                        raise AssertionError(f"lookup by {name} found nothing for {key(i)}")
                out.append(_timing(f"lookup by {name}", samples, db.backend))
            return out
        finally:
            db.dispose()
