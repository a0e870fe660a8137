"""Many processes posting at once: each key one payment, books balanced, receipts gapless.

8 processes x 1,000 payments on PostgreSQL (4 on SQLite), on a handful of accounts so
that counters constantly serve the same families; about one attempt in ten repeats an
earlier key (a retry), every 25th key is submitted by every process at once (a double
submission from two PCs), and one in twenty is rolled back on purpose after posting
(a crash before commit). The same run with receipt numbers from MAX()+1 must fail: its
worker processes replace the posting's numbering function with the deliberately broken
one from ``tests/support/broken_numbering.py`` (no parameter of the product carries it).
"""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text

from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.persistence.models import Base, Payment, User
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.counter.posting import PaymentRequest, post_payment_in
from tests.books_check import books_problems
from tests.support import broken_numbering
from tests.support.counter_scratch import seed_counter_scratch

ROLES = frozenset({"clerk"})


class RolledBack(Exception):
    """Raised after posting to make the transaction roll back (a crash before commit)."""


def worker(url: str, index: int, count: int, accounts: tuple[str, ...],
           clerks: dict[str, int], broken: bool, out: Any) -> None:
    if broken:  # this is a forked worker process: the swap ends with it
        broken_numbering.install()
    db = open_database(url)
    rng = random.Random(index)
    counter = "C01" if index % 2 == 0 else "C02"
    # each counter's shift is its own clerk's: only they post into it
    name = "clerk" if counter == "C01" else "clerk2"
    actor = Actor(clerks[name], name, ROLES)
    posted: dict[str, tuple[int, str]] = {}
    rolled: list[str] = []
    errors: list[str] = []
    for j in range(count):
        shared = j % 25 == 0
        key = f"shared-{j}" if shared else f"w{index}-{j}"
        account = accounts[j % len(accounts)] if shared else rng.choice(accounts)
        amount = Money(100 + (j % 7) * 5 if shared else rng.randint(1, 9000), "USD")
        tenders = [CashTender(amount)]
        try:
            if not shared and rng.random() < 0.05:
                try:
                    with db.write() as session:
                        post_payment_in(session, actor, PaymentRequest(
                            account, tuple(tenders), key, counter_code=counter,
                            allow_credit=True))
                        raise RolledBack
                except RolledBack:
                    rolled.append(key)
                continue
            result = post_payment(db, actor, counter, account, tenders, key,
                                  allow_credit=True)
            posted[key] = (result.payment_id, result.receipt_number)
            if posted and rng.random() < 0.1:
                again = rng.choice(list(posted))
                prev = posted[again]
                replay = _replay(db, actor, counter, again)
                if (replay.payment_id, replay.receipt_number) != prev:
                    errors.append(f"retry of {again} gave another payment")
        except Exception as exc:  # collected: the parent asserts on them
            errors.append(f"{key}: {type(exc).__name__}: {str(exc)[:200]}")
    db.dispose()
    out.put((index, posted, rolled, errors))


def _replay(db: Any, actor: Actor, counter: str, key: str) -> Any:
    from ebs_desktop.services.counter.posting import payment_by_key

    with db.read() as session:
        first = payment_by_key(session, key)
    assert first is not None
    return post_payment(db, actor, counter, first.account_number,
                        [CashTender(first.amount)], key, allow_credit=True)


def run(url: str, processes: int, per_process: int, broken: bool) -> tuple[
        dict[str, tuple[int, str]], set[str], list[str]]:
    db = open_database(url)
    scratch = seed_counter_scratch(db, 12, bills_per_account=4)
    with db.read() as s:
        clerks = {u: i for u, i in s.execute(select(User.username, User.id))}
    actor = Actor(clerks["clerk"], "clerk", frozenset({"clerk"}))
    open_shift(db, actor, "C01", Money(0, "USD"))
    open_shift(db, Actor(clerks["clerk2"], "clerk2", ROLES), "C02", Money(0, "USD"))
    db.dispose()
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(url, i, per_process, scratch.account_numbers,
                                              clerks, broken, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(30)
    posted: dict[str, tuple[int, str]] = {}
    rolled: set[str] = set()
    errors: list[str] = []
    for _index, p_posted, p_rolled, p_errors in results:
        for key, value in p_posted.items():
            if key in posted and posted[key] != value:
                errors.append(f"key {key} returned two payments: {posted[key]} {value}")
            posted[key] = value
        rolled.update(p_rolled)
        errors.extend(p_errors)
    return posted, rolled, errors


def check(url: str, posted: dict[str, tuple[int, str]], rolled: set[str],
          errors: list[str]) -> None:
    assert errors == []
    db = open_database(url)
    try:
        with db.read() as s:
            stored = {k: (i, None) for k, i in s.execute(
                select(Payment.idempotency_key, Payment.id))}
        assert set(stored) == set(posted)
        assert all(stored[k][0] == posted[k][0] for k in posted)
        assert not rolled & set(stored)
        assert books_problems(db) == []
    finally:
        db.dispose()


SIZES: dict[str, tuple[int, int]] = {"sqlite": (4, 1000), "postgresql": (8, 1000)}


def _backend(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


@pytest.mark.slow
def test_parallel_postings_are_exactly_once_balanced_and_gapless(db_url: str) -> None:
    processes, per_process = SIZES[_backend(db_url)]
    started = time.monotonic()
    posted, rolled, errors = run(db_url, processes, per_process, broken=False)
    check(db_url, posted, rolled, errors)
    shared = [k for k in posted if k.startswith("shared-")]
    assert len(shared) == per_process // 25
    assert len(posted) > processes * per_process * 0.8
    assert time.monotonic() - started < 180


@pytest.fixture
def pg_url(pg_migrated_url: str) -> str:
    """An emptied PostgreSQL database: SQLite runs one writer at a time (BEGIN IMMEDIATE),
    so MAX()+1 cannot race there and the broken variant is shown on PostgreSQL only."""
    db = open_database(pg_migrated_url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.dispose()
    return pg_migrated_url


@pytest.mark.slow
@pytest.mark.pg
def test_receipt_numbers_from_max_plus_one_are_caught(pg_url: str) -> None:
    db_url = pg_url
    posted, rolled, errors = run(db_url, 4, 100, broken=True)
    failing: Callable[[], None] = lambda: check(db_url, posted, rolled, errors)  # noqa: E731
    with pytest.raises(AssertionError):
        failing()
    assert any("IntegrityError" in e for e in errors)
