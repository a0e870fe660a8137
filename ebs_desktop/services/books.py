"""The books check: proof that the stored money adds up, on a live database.

What it proves, each with set-based SQL (one statement per check, whatever the size):

- **Journals balance**: the ledger entries of every journal sum to zero.
- **Cached totals equal what they cache**: each account's ``balance_minor`` is the sum of
  its AR entries; a billing run's ``bills_created``/``total_minor`` are its bills' count and
  sum; a bill's total is the sum of its lines and what its journal put on the account; a
  payment's amount is what its AR entries took off (and gave back when reversed) and, at
  the counter, the sum of its tenders; a credit note cancels its bill's total, in the
  ledger too; a counted cash row is denomination x pieces.
- **Document numbers are gapless** per series (bills and credit notes per year, receipts
  per counter and year): numbers 1..n, each once, and the series' counter in
  ``number_series`` at n + 1 (so deleting the last document shows too). A broken series
  names the missing numbers.
- **The audit chain verifies** (:func:`ebs_desktop.services.audit.verify`).

Why a service and not only a test: an auditor asks the same question of a live database
(``ebs books check``), and the test suite asks it after every test that uses a database.
All checks read one snapshot (SQLite's read transaction; REPEATABLE READ on PostgreSQL),
so postings made meanwhile cannot make a sound database look broken. A check that cannot
run (a value beyond 64 bits makes SQLite's SUM fail) is itself reported as a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ebs_desktop.domain.money import MAX_TOTAL_MINOR
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

LIMIT = 20
"""Problems named per check; the rest are counted."""


@dataclass(frozen=True)
class BooksProblem:
    check: str
    """``journal``, ``balance``, ``series``, ``audit`` or ``check`` (a check that failed)."""
    subject: str
    """What is wrong: ``journal 12``, ``account 10000017``, ``series C01-2026``..."""
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass(frozen=True)
class SeriesSummary:
    code: str
    documents: int
    last: int


@dataclass(frozen=True)
class BooksReport:
    journals: int
    entries: int
    accounts: int
    series: tuple[SeriesSummary, ...]
    audit_entries: int
    audit_head: str
    problems: tuple[BooksProblem, ...]
    more: int = 0
    """Problems beyond the ones named (``LIMIT`` per check)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return (f"BOOKS DO NOT ADD UP: {len(self.problems) + self.more} problem(s) "
                    f"({', '.join(sorted({p.check for p in self.problems}))})")
        series = ", ".join(f"{s.code} 1-{s.last}" for s in self.series) or "none yet"
        return (f"books balanced: {self.journals:,} journals ({self.entries:,} entries) sum "
                f"to zero; {self.accounts:,} account balances and every cached total equal "
                f"their ledger; numbers gapless ({series}); audit chain intact "
                f"({self.audit_entries:,} entries, head {self.audit_head})")

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "summary": self.summary(), "journals": self.journals,
                "entries": self.entries, "accounts": self.accounts,
                "series": [{"code": s.code, "documents": s.documents, "last": s.last}
                           for s in self.series],
                "audit_entries": self.audit_entries, "audit_head": self.audit_head,
                "problems": [{"check": p.check, "subject": p.subject, "message": p.message}
                             for p in self.problems], "more_problems": self.more}


@dataclass
class _Found:
    problems: list[BooksProblem] = field(default_factory=list)
    more: int = 0

    def add(self, check: str, rows: Sequence[Any],
            describe: Callable[[Any], tuple[str, str]]) -> None:
        for row in rows[:LIMIT]:
            subject, message = describe(row)
            self.problems.append(BooksProblem(check, subject, message))
        self.more += max(0, len(rows) - LIMIT)


# -- the checks: each one statement, returning only what is wrong ---------------------------

_UNBALANCED = text(
    "SELECT journal_id, SUM(amount_minor), COUNT(*) FROM ledger_entries"
    " GROUP BY journal_id HAVING SUM(amount_minor) <> 0 ORDER BY journal_id")
_KIND = text("SELECT kind FROM journals WHERE id = :j")
_OUT_OF_RANGE = text(
    "SELECT id, journal_id, amount_minor FROM ledger_entries"
    " WHERE amount_minor > :top OR amount_minor < -:top ORDER BY id")
_BALANCES = text(
    "SELECT a.account_number, a.balance_minor, COALESCE(l.total, 0) FROM accounts a"
    " LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total FROM ledger_entries"
    " WHERE gl_code = 'AR' GROUP BY account_id) l ON l.account_id = a.id"
    " WHERE a.balance_minor <> COALESCE(l.total, 0) OR a.balance_minor > :top"
    " OR a.balance_minor < -:top ORDER BY a.account_number")
_RUNS = text(
    "SELECT r.id, r.period, r.bills_created, r.total_minor, COALESCE(b.n, 0),"
    " COALESCE(b.total, 0) FROM billing_runs r LEFT JOIN (SELECT run_id, COUNT(*) AS n,"
    " SUM(total_minor) AS total FROM bills WHERE run_id IS NOT NULL GROUP BY run_id) b"
    " ON b.run_id = r.id WHERE r.bills_created <> COALESCE(b.n, 0)"
    " OR r.total_minor <> COALESCE(b.total, 0) ORDER BY r.id")
_BILL_LINES = text(
    "SELECT b.bill_number, b.total_minor, l.total FROM bills b JOIN (SELECT bill_id,"
    " SUM(amount_minor) AS total FROM bill_lines GROUP BY bill_id) l ON l.bill_id = b.id"
    " WHERE b.total_minor <> l.total ORDER BY b.bill_number")
_BILL_LEDGER = text(
    "SELECT b.bill_number, b.total_minor, COALESCE(x.total, 0) FROM bills b"
    " LEFT JOIN (SELECT bill_id, SUM(amount_minor) AS total FROM ledger_entries"
    " WHERE gl_code = 'AR' AND bill_id IS NOT NULL AND credit_note_id IS NULL"
    " GROUP BY bill_id) x ON x.bill_id = b.id WHERE b.total_minor <> COALESCE(x.total, 0)"
    " ORDER BY b.bill_number")
_CREDIT_NOTES = text(
    "SELECT c.number, c.amount_minor, b.bill_number, b.total_minor, COALESCE(x.total, 0)"
    " FROM credit_notes c JOIN bills b ON b.id = c.bill_id LEFT JOIN (SELECT credit_note_id,"
    " SUM(amount_minor) AS total FROM ledger_entries WHERE gl_code = 'AR'"
    " AND credit_note_id IS NOT NULL GROUP BY credit_note_id) x ON x.credit_note_id = c.id"
    " WHERE c.amount_minor <> b.total_minor OR COALESCE(x.total, 0) <> -c.amount_minor"
    " ORDER BY c.number")
# A payment's AR entries take its amount off the account; a reversal puts it back with
# the fee, so a reversed payment's entries sum to the fee.
_PAYMENT_LEDGER = text(
    "SELECT p.id, p.amount_minor, r.fee_minor, COALESCE(x.total, 0) FROM payments p"
    " LEFT JOIN payment_reversals r ON r.payment_id = p.id LEFT JOIN (SELECT payment_id,"
    " SUM(amount_minor) AS total FROM ledger_entries WHERE gl_code = 'AR'"
    " AND payment_id IS NOT NULL GROUP BY payment_id) x ON x.payment_id = p.id"
    " WHERE COALESCE(x.total, 0) <> CASE WHEN r.id IS NULL THEN -p.amount_minor"
    " ELSE r.fee_minor END ORDER BY p.id")
# Counter payments only: the demo's bank history is posted without tender rows.
_TENDERS = text(
    "SELECT p.id, p.amount_minor, (SELECT COALESCE(SUM(t.amount_minor), 0)"
    " FROM payment_tenders t WHERE t.payment_id = p.id) AS tendered FROM payments p"
    " WHERE p.channel = 'counter' AND p.amount_minor <> (SELECT COALESCE(SUM(t.amount_minor),"
    " 0) FROM payment_tenders t WHERE t.payment_id = p.id) ORDER BY p.id")
_COUNTS = text(
    "SELECT shift_id, tender, denomination_minor, quantity, amount_minor FROM shift_counts"
    " WHERE denomination_minor IS NOT NULL"
    " AND amount_minor <> denomination_minor * quantity ORDER BY shift_id, id")
_SIZES = text("SELECT (SELECT COUNT(*) FROM journals), (SELECT COUNT(*) FROM ledger_entries),"
              " (SELECT COUNT(*) FROM accounts)")


def _journals(s: Session, found: _Found) -> None:
    try:
        with s.begin_nested():
            rows = s.execute(_UNBALANCED).all()
    except DBAPIError as exc:  # SQLite's SUM refuses to overflow 64 bits
        rows = s.execute(_OUT_OF_RANGE, {"top": MAX_TOTAL_MINOR}).all()
        found.problems.append(BooksProblem("check", "journals", f"cannot be summed ({_why(exc)})"))
        found.add("journal", rows, lambda r: (
            f"journal {r[1]}", f"ledger entry {r[0]} holds {r[2]}, beyond any amount"))
        return
    found.add("journal", rows, lambda r: (
        f"journal {r[0]}", f"does not balance: its {r[2]} entries "
        f"({s.scalar(_KIND, {'j': r[0]})}) sum to {r[1]}"))


def _cached(s: Session, found: _Found) -> None:
    checks: list[tuple[Any, dict[str, int], Callable[[Any], tuple[str, str]]]] = [
        (_BALANCES, {"top": MAX_TOTAL_MINOR}, lambda r: (
            f"account {r[0]}", f"cached balance {r[1]} but its AR ledger entries sum to "
            f"{r[2]}")),
        (_RUNS, {}, lambda r: (
            f"billing run {r[0]} ({r[1]})", f"records {r[2]} bills totalling {r[3]} but "
            f"has {r[4]} bills totalling {r[5]}")),
        (_BILL_LINES, {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its lines sum to {r[2]}")),
        (_BILL_LEDGER, {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its AR ledger entries sum to {r[2]}")),
        (_CREDIT_NOTES, {}, lambda r: (
            f"credit note {r[0]}", f"amount {r[1]} cancels bill {r[2]} of {r[3]}; its AR "
            f"ledger entries sum to {r[4]}")),
        (_PAYMENT_LEDGER, {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]}{' (reversed)' if r[2] is not None else ''} "
            f"but its AR ledger entries sum to {r[3]}")),
        (_TENDERS, {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]} but its tenders sum to {r[2]}")),
        (_COUNTS, {}, lambda r: (
            f"shift {r[0]} count", f"{r[3]} x {r[2]} {r[1]} recorded as {r[4]}")),
    ]
    for stmt, params, describe in checks:
        try:
            with s.begin_nested():
                rows = s.execute(stmt, params).all()
        except DBAPIError as exc:
            found.problems.append(BooksProblem(
                "check", "cached totals", f"a check could not run ({_why(exc)})"))
            continue
        found.add("balance", rows, describe)


# -- gapless series ---------------------------------------------------------------------------

# Bills and credit notes are numbered prefix + 7 digits (``B2026-0000001``): per series,
# the count and the lowest and highest 7-character tail (zero-padded, so text order is
# number order) of the numbers with its prefix. On SQLite a range on the number also lets
# the unique index answer (0.2 s instead of 1.2 s for a year of a 100k-customer utility);
# PostgreSQL's collation may not order punctuation bytewise, so it filters only. Receipts
# carry their series and sequence in columns. Each number is unique by a database
# constraint, so count = highest = n means 1..n, each once.
_OWN = {"bill": ("bills", "bill_number"), "credit note": ("credit_notes", "number")}
_PREFIXED = "substr({c}, 1, :n) = :p AND length({c}) = :n + 7"
_RANGE = "{c} >= :p AND {c} < :upto AND "
_TAIL = "substr({c}, :n + 1)"


def _doc_range(kind: str, backend: str) -> Any:
    table, c = _OWN[kind]
    where = (_RANGE if backend == "sqlite" else "") + _PREFIXED
    return text(f"SELECT COUNT(*), MIN({_TAIL}), MAX({_TAIL}) FROM {table} WHERE {where}"
                .format(c=c))


def _doc_numbers(kind: str) -> Any:
    table, c = _OWN[kind]
    return text(f"SELECT {_TAIL} FROM {table} WHERE {_PREFIXED}".format(c=c))


_RECEIPT_SERIES = text("SELECT series, COUNT(*), MIN(seq), MAX(seq) FROM receipts"
                       " GROUP BY series")
_RECEIPT_NUMBERS = text("SELECT seq FROM receipts WHERE series = :k")
_NUMBER_SERIES = text("SELECT code, prefix, next_value FROM number_series")
_KIND_OF_CODE = (("BILL-", "bill"), ("CN-", "credit note"))


def _series_kind(code: str, prefix: str) -> str | None:
    """Which documents a ``number_series`` row numbers (None: not a document series)."""
    for start, kind in _KIND_OF_CODE:
        if code.startswith(start):
            return kind
    return "receipt" if prefix == f"{code}-" else None


def ranges(numbers: Iterable[int]) -> str:
    """``1, 2, 3, 7, 9, 10`` -> ``1-3, 7, 9-10``."""
    out: list[str] = []
    run: list[int] = []
    for n in [*sorted(numbers), None]:
        if n is not None and run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [] if n is None else [n]
    return ", ".join(out)


def _bounds(prefix: str) -> dict[str, object]:
    """The prefix, its length and the first text after every number with it."""
    upto = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
    return {"p": prefix, "n": len(prefix), "upto": upto}


def _number(tail: object) -> int | None:
    text_ = str(tail)
    return int(text_) if text_.isascii() and text_.isdigit() else None


def _series(s: Session, found: _Found) -> list[SeriesSummary]:
    """Each document series of ``number_series`` (and each receipt series) checked."""
    counters: dict[tuple[str, str], tuple[str, int]] = {}
    for code, prefix, next_value in s.execute(_NUMBER_SERIES):
        kind = _series_kind(str(code), str(prefix))
        if kind is not None:
            key = str(code) if kind == "receipt" else str(prefix)
            counters[(kind, key)] = (str(code), int(next_value))
    docs: dict[tuple[str, str], tuple[int, int | None, int | None]] = {}
    backend = s.get_bind().dialect.name
    for kind, key in counters:  # bills outside any series are not numbered documents
        if kind != "receipt":
            n, low, high = s.execute(_doc_range(kind, backend), _bounds(key)).one()
            if n:
                docs[(kind, key)] = (int(n), _number(low), _number(high))
    for series, n, low, high in s.execute(_RECEIPT_SERIES):
        docs[("receipt", str(series))] = (int(n), int(low), int(high))
    summaries: list[SeriesSummary] = []
    for kind, key in sorted(set(docs) | set(counters)):
        n, low, high = docs.get((kind, key), (0, 1, 0))
        code, next_value = counters.get((kind, key), (f"{kind}s {key}", (high or 0) + 1))
        if low == 1 and high == n and next_value == n + 1:
            if n:
                summaries.append(SeriesSummary(code, n, n))
            continue
        found_numbers = (s.execute(_RECEIPT_NUMBERS, {"k": key}) if kind == "receipt"
                         else s.execute(_doc_numbers(kind), _bounds(key)))
        raw = [str(x) for (x,) in found_numbers]
        present = {x for x in map(_number, raw) if x is not None}
        odd = sorted({x for x in raw if (_number(x) or 0) < 1})
        top = max([next_value - 1, *present])
        missing = sorted(set(range(1, top + 1)).difference(present))
        what = [f"{n} {kind}s numbered {min(present, default=0)}-{max(present, default=0)}"
                if n else f"no {kind}s"]
        if missing:
            shown = ranges(missing[:200]) + (" ..." if len(missing) > 200 else "")
            what.append(f"{len(missing)} number(s) missing: {shown}")
        if next_value - 1 != max(present, default=0):
            what.append(f"the series counter has given out {next_value - 1}")
        if odd:
            what.append(f"numbers that are not 1, 2, 3...: {', '.join(odd[:20])}")
        found.problems.append(BooksProblem("series", f"series {code}", "; ".join(what)))
    return summaries


def _why(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)


def check_books(db: Database, actor: Actor) -> BooksReport:
    """Run every check (see the module docstring); the report names each problem."""
    require(actor, "books.check")
    found = _Found()
    with db.read() as s:
        if db.backend == "postgresql":
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        journals, entries, accounts = (int(x) for x in s.execute(_SIZES).one())
        _journals(s, found)
        _cached(s, found)
        try:
            with s.begin_nested():
                series = _series(s, found)
        except DBAPIError as exc:
            series = []
            found.problems.append(BooksProblem(
                "check", "number series", f"could not be read ({_why(exc)})"))
    chain = audit.verify(db)
    if not chain.ok:
        where = (f"audit entry {chain.bad_entry_id}" if chain.bad_entry_id is not None
                 else "audit chain")
        found.problems.append(BooksProblem("audit", where, chain.problem or "broken"))
    return BooksReport(journals, entries, accounts, tuple(series), chain.entries,
                       chain.head_hash, tuple(found.problems), found.more)
