"""Reconciliation checks for the counter's books: what must hold after any mix of work.

Why a function and not only a test: the same checks answer an auditor's question ("do
the books add up, are receipt numbers gapless?") on a live database, and they are what
the concurrency test asserts after thousands of parallel postings. Each problem is a
sentence naming the journal, account or series, so the first one found can be traced.
"""

from __future__ import annotations

from sqlalchemy import text

from ebs_desktop.persistence.engine import Database

_UNBALANCED = text("SELECT journal_id, SUM(amount_minor) FROM ledger_entries"
                   " GROUP BY journal_id HAVING SUM(amount_minor) <> 0")
_BALANCES = text(
    "SELECT a.account_number, a.balance_minor, COALESCE(l.total, 0) FROM accounts a"
    " LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total FROM ledger_entries"
    " WHERE gl_code = 'AR' GROUP BY account_id) l ON l.account_id = a.id"
    " WHERE a.balance_minor <> COALESCE(l.total, 0)")
_SERIES = text("SELECT series, COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq)"
               " FROM receipts GROUP BY series")
_KEYS = text("SELECT idempotency_key, COUNT(*) FROM payments GROUP BY idempotency_key"
             " HAVING COUNT(*) > 1")
_ALLOCATED = text(
    "SELECT p.id, p.amount_minor, COALESCE(SUM(pa.amount_minor), 0) FROM payments p"
    " LEFT JOIN payment_allocations pa ON pa.payment_id = p.id AND pa.reversal_id IS NULL"
    " GROUP BY p.id, p.amount_minor HAVING COALESCE(SUM(pa.amount_minor), 0) > p.amount_minor")
_OVERPAID = text(
    "SELECT b.id, b.total_minor, SUM(pa.amount_minor) FROM bills b"
    " JOIN payment_allocations pa ON pa.bill_id = b.id"
    " GROUP BY b.id, b.total_minor HAVING SUM(pa.amount_minor) > b.total_minor"
    " OR SUM(pa.amount_minor) < 0")


def books_problems(db: Database, limit: int = 20) -> list[str]:
    """Everything that does not add up (empty when the books are sound)."""
    problems: list[str] = []
    with db.read() as s:
        for journal, total in s.execute(_UNBALANCED).fetchmany(limit):
            problems.append(f"journal {journal} does not balance: entries sum to {total}")
        for number, cached, ledger in s.execute(_BALANCES).fetchmany(limit):
            problems.append(f"account {number}: cached balance {cached} but ledger says "
                            f"{ledger}")
        for series, n, low, high, distinct in s.execute(_SERIES):
            if low != 1 or high != n or distinct != n:
                problems.append(f"receipt series {series}: {n} receipts numbered {low}..{high}"
                                f" ({distinct} distinct): not gapless")
        for key, n in s.execute(_KEYS).fetchmany(limit):
            problems.append(f"idempotency key {key} has {n} payments")
        for pid, amount, allocated in s.execute(_ALLOCATED).fetchmany(limit):
            problems.append(f"payment {pid} of {amount} allocated {allocated}")
        for bill, total, paid in s.execute(_OVERPAID).fetchmany(limit):
            problems.append(f"bill {bill} of {total} has allocations summing to {paid}")
    return problems
