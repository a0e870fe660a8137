"""The books check: proof that the stored money adds up, on a live database.

What it proves, each with set-based SQL (one statement per check, whatever the size):

- **Journals balance**: the ledger entries of every journal sum to zero.
- **Cached totals equal what they cache**: each account's ``balance_minor`` is the sum of
  its AR entries; a billing run's ``bills_created``/``total_minor`` are its bills' count and
  sum; a bill's total is the sum of its lines and what its journal put on the account; a
  payment's amount is what its AR entries took off (and gave back when reversed) and, at
  the counter, the sum of its tenders; a credit note cancels its bill's total, in the
  ledger too; a counted cash row is denomination x pieces.
- **Payments are taken once and allocated within bounds**: no idempotency key holds two
  payments; no payment allocated more than its amount to bills (its reversal's negative
  twins aside); no bill has allocations beyond its total or below nothing.
- **Document numbers are gapless** per series (bills and credit notes per year, receipts
  per counter and year): numbers 1..n, each once, and the series' counter in
  ``number_series`` at n + 1 (so deleting the last document shows too). A broken series
  names the missing numbers.
- **The audit chain verifies** (:func:`ebs_desktop.services.audit.verify_in`, in the same
  snapshot).

Why a service and not only a test: an auditor asks the same question of a live database
(``ebs books check``), and the test suite asks it after every test that uses a database.
All checks read one snapshot (SQLite's read transaction; REPEATABLE READ on PostgreSQL),
so postings made meanwhile cannot make a sound database look broken. A check that cannot
run (a value beyond 64 bits makes SQLite's SUM fail) is itself reported as a problem.
The checks live in ``ledger`` (journals, cached totals, allocations) and ``series``
(numbers), their statements in :mod:`ebs_desktop.persistence.stores.books`; the report in
``records``. Measured on a 100,000-customer demo with 12 months (1.1 million
bills, 2.1 million ledger entries, 7.3 million bill lines, SQLite): 7 s of CPU, 8-10 s
on a shared 2-core machine.
"""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import books as store
from ebs_desktop.persistence.tx import DBAPIError
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.books import ledger, series
from ebs_desktop.services.books.records import (
    LIMIT,
    BooksProblem,
    BooksReport,
    Found,
    SeriesSummary,
    why,
)
from ebs_desktop.services.books.series import ranges
from ebs_desktop.services.guard import require

__all__ = ["LIMIT", "BooksProblem", "BooksReport", "SeriesSummary", "check_books", "ranges"]

def check_books(db: Database, actor: Actor) -> BooksReport:
    """Run every check (see the module docstring); the report names each problem."""
    require(actor, "books.check")
    found = Found()
    with db.read() as s:
        store.snapshot(s)
        journals, entries, accounts = store.sizes(s)
        ledger.journals(s, found)
        ledger.cached(s, found)
        ledger.allocations(s, found)
        try:
            with s.begin_nested():
                summaries = series.series(s, found)
        except DBAPIError as exc:
            summaries = []
            found.problems.append(BooksProblem(
                "check", "number series", f"could not be read ({why(exc)})"))
        chain = audit.verify_in(s)  # books.check covers reading the chain
    if not chain.ok:
        where = (f"audit entry {chain.bad_entry_id}" if chain.bad_entry_id is not None
                 else "audit chain")
        found.problems.append(BooksProblem("audit", where, chain.problem or "broken"))
    return BooksReport(journals, entries, accounts, tuple(summaries), chain.entries,
                       chain.head_hash, tuple(found.problems), found.more)
