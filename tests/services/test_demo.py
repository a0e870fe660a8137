"""The demo utility: deterministic, and its books add up, on both backends.

Its payments are planned a month at a time and written a batch of accounts at a time,
interleaved with the next month's billing run (and with the pricing helper when one is
used); none of that may change what is written, nor leave a journal or a balance wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.books import check_books
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.progress import Progress, TaskCancelled, TaskState

CUSTOMERS, MONTHS, UNTIL = 240, 5, "2026-06"


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        "bills": _rows(db, "SELECT bill_number, account_id, period, total_minor FROM bills"
                           " ORDER BY id"),
        "lines": _rows(db, "SELECT bill_id, seq, description, amount_minor FROM bill_lines"
                           " ORDER BY bill_id, seq"),
        "payments": _rows(db, "SELECT id, account_id, amount_minor, channel, shift_id,"
                              " received_at FROM payments ORDER BY id"),
        "tenders": _rows(db, "SELECT payment_id, tender, amount_minor, tendered_minor"
                             " FROM payment_tenders ORDER BY payment_id"),
        "receipts": _rows(db, "SELECT number, payment_id FROM receipts ORDER BY number"),
        "balances": _rows(db, "SELECT id, balance_minor FROM accounts ORDER BY id"),
    }


def test_books_add_up(db: Database) -> None:
    result = build_demo(db, CUSTOMERS, MONTHS, UNTIL, seed=5, counter_months=2)
    assert result.bills == len(_rows(db, "SELECT id FROM bills")) > CUSTOMERS
    assert result.payments == len(_rows(db, "SELECT id FROM payments"))
    assert {r[0] for r in _rows(db, "SELECT DISTINCT channel FROM payments")} == {
        "bank", "counter"}
    # every journal balances; every account's balance is the sum of its AR entries
    assert _rows(db, "SELECT journal_id FROM ledger_entries GROUP BY journal_id"
                     " HAVING SUM(amount_minor) <> 0") == []
    assert _rows(db, "SELECT a.id FROM accounts a LEFT JOIN ledger_entries e"
                     " ON e.account_id = a.id AND e.gl_code = 'AR' GROUP BY a.id,"
                     " a.balance_minor HAVING a.balance_minor <> COALESCE(SUM("
                     "e.amount_minor), 0)") == []
    # each payment is allocated in full, and each has its one AR entry
    assert _rows(db, "SELECT p.id FROM payments p JOIN payment_allocations a"
                     " ON a.payment_id = p.id GROUP BY p.id, p.amount_minor"
                     " HAVING SUM(a.amount_minor) <> p.amount_minor") == []
    assert _rows(db, "SELECT p.id FROM payments p LEFT JOIN ledger_entries e"
                     " ON e.payment_id = p.id GROUP BY p.id HAVING COUNT(e.id) <> 1") == []
    # receipts: gapless per counter series, in the order the payments were taken
    by_series: dict[str, list[tuple[int, str]]] = {}
    for number, received in _rows(db, "SELECT r.number, p.received_at FROM receipts r"
                                      " JOIN payments p ON p.id = r.payment_id"):
        series, seq = str(number).rsplit("-", 1)
        by_series.setdefault(series, []).append((int(seq), str(received)[:10]))
    assert by_series
    for items in by_series.values():
        items.sort()
        assert [s for s, _ in items] == list(range(1, len(items) + 1))
        days = [d for _, d in items]
        assert days == sorted(days)
    # the series' next number follows the last receipt
    for series, items in by_series.items():
        nxt = _rows(db, f"SELECT next_value FROM number_series WHERE code = '{series}'")
        assert nxt == [(len(items) + 1,)]


def test_same_seed_same_utility_with_or_without_the_helper(tmp_path: Path,
                                                           sqlite_template: Path) -> None:
    snaps = []
    for name, workers in (("a", 0), ("b", 0), ("c", 1)):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copy(sqlite_template, path)
        db = open_database(f"sqlite:///{path}")
        build_demo(db, CUSTOMERS, MONTHS, UNTIL, seed=9, counter_months=2, workers=workers)
        snaps.append(_snapshot(db))
        db.dispose()
    assert snaps[0] == snaps[1] == snaps[2]
    assert len(snaps[0]["payments"]) > CUSTOMERS


def test_a_demo_cancelled_between_months_stops_with_balanced_books(db: Database) -> None:
    """The demo reports each stage through its TaskState; a cancel asked for after the
    first month is billed is seen before the next month: the months written stay and the
    books check passes."""
    heard: list[Progress] = []

    def hear(progress: Progress) -> None:
        heard.append(progress)
        if progress.message == "billing":
            state.cancel()

    state = TaskState(hear)
    with pytest.raises(TaskCancelled):
        build_demo(db, 60, 4, UNTIL, seed=2, task=state)
    assert [p.message for p in heard] == ["accounts", "readings", "billing"]
    assert (heard[0].done, heard[2].done, heard[2].total) == (60, 1, 3)
    assert {r[0] for r in _rows(db, "SELECT DISTINCT period FROM bills")} == {"2026-03"}
    report = check_books(db, system_actor("test"))
    assert report.ok, report.problems


def test_only_the_last_periods_bill_notices_wait_to_be_sent(db: Database) -> None:
    """The history was told at the time: a sender started on the demo sends the last
    period's bill notices, not every bill of two years again."""
    build_demo(db, CUSTOMERS, MONTHS, UNTIL, seed=5)
    waiting = _rows(db, "SELECT DISTINCT b.period FROM notification_outbox o JOIN bills b"
                        " ON b.id = o.bill_id WHERE o.status = 'pending'")
    told = _rows(db, "SELECT COUNT(*), MAX(b.period) FROM notification_outbox o JOIN bills b"
                     " ON b.id = o.bill_id WHERE o.status = 'sent' AND o.sent_at IS NOT NULL")
    last = _rows(db, "SELECT MAX(period) FROM bills")[0][0]
    assert waiting == [(last,)]
    assert told[0][0] > 0 and str(told[0][1]) < str(last)
