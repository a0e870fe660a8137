"""The books check's store: each check one set-based statement returning only what is
wrong, the number-series reads, and the snapshot the whole check reads from.

Dialect branches: the snapshot (REPEATABLE READ on PostgreSQL; SQLite's read transaction
already is one) and the bill/credit-note number range (SQLite lets its unique index
answer a range on the number; PostgreSQL's collation may not order punctuation bytewise,
so it filters only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

# --- the snapshot and its sizes ------------------------------------------------------------

_SIZES = text("SELECT (SELECT COUNT(*) FROM journals), (SELECT COUNT(*) FROM ledger_entries),"
              " (SELECT COUNT(*) FROM accounts)")


def snapshot(session: Session) -> None:
    """Make every later read of this read transaction see one snapshot."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def sizes(session: Session) -> tuple[int, int, int]:
    """(journals, ledger entries, accounts)."""
    journals, entries, accounts = session.execute(_SIZES).one()
    return int(journals), int(entries), int(accounts)


# --- journals ----------------------------------------------------------------------------

_UNBALANCED = text(
    "SELECT journal_id, SUM(amount_minor), COUNT(*) FROM ledger_entries"
    " GROUP BY journal_id HAVING SUM(amount_minor) <> 0 ORDER BY journal_id")
_KIND = text("SELECT kind FROM journals WHERE id = :j")
_OUT_OF_RANGE = text(
    "SELECT id, journal_id, amount_minor FROM ledger_entries"
    " WHERE amount_minor > :top OR amount_minor < -:top ORDER BY id")


def unbalanced_journals(session: Session) -> list[Any]:
    """(journal id, sum, entries) of every journal whose entries do not sum to zero."""
    return list(session.execute(_UNBALANCED).all())


def journal_kind(session: Session, journal_id: int) -> str | None:
    kind = session.scalar(_KIND, {"j": journal_id})
    return None if kind is None else str(kind)


def entries_out_of_range(session: Session, top: int) -> list[Any]:
    """(entry id, journal id, amount) of entries beyond any amount."""
    return list(session.execute(_OUT_OF_RANGE, {"top": top}).all())


# --- cached totals and documents that must agree with their ledger -----------------------

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

# --- payments and their allocations --------------------------------------------------------

# The unique key makes this impossible while the constraint exists; the check proves it.
_KEYS = text("SELECT idempotency_key, COUNT(*) FROM payments GROUP BY idempotency_key"
             " HAVING COUNT(*) > 1 ORDER BY idempotency_key")
# What a payment allocated to bills (its reversal's negative twins left out) is at most
# its amount; the rest stays on the account as credit.
_OVER_ALLOCATED_PAYMENTS = text(
    "SELECT p.id, p.amount_minor, COALESCE(SUM(pa.amount_minor), 0) FROM payments p"
    " LEFT JOIN payment_allocations pa ON pa.payment_id = p.id AND pa.reversal_id IS NULL"
    " GROUP BY p.id, p.amount_minor HAVING COALESCE(SUM(pa.amount_minor), 0) > p.amount_minor"
    " ORDER BY p.id")
# A bill is paid at most once over (reversals included: they bring it back to what was
# paid before), and never below nothing.
_OVER_ALLOCATED_BILLS = text(
    "SELECT b.bill_number, b.total_minor, SUM(pa.amount_minor) FROM bills b"
    " JOIN payment_allocations pa ON pa.bill_id = b.id"
    " GROUP BY b.id, b.bill_number, b.total_minor HAVING SUM(pa.amount_minor) > b.total_minor"
    " OR SUM(pa.amount_minor) < 0 ORDER BY b.bill_number")

CHECKS: dict[str, TextClause] = {
    "account balances": _BALANCES,
    "billing run totals": _RUNS,
    "bill lines": _BILL_LINES,
    "bills in the ledger": _BILL_LEDGER,
    "credit notes": _CREDIT_NOTES,
    "payments in the ledger": _PAYMENT_LEDGER,
    "payment tenders": _TENDERS,
    "cash counts": _COUNTS,
    "idempotency keys": _KEYS,
    "payment allocations": _OVER_ALLOCATED_PAYMENTS,
    "bill allocations": _OVER_ALLOCATED_BILLS,
}
"""Each set-based check by name; :func:`check_rows` runs one."""


def check_rows(session: Session, name: str, params: dict[str, int] | None = None
               ) -> list[Any]:
    """The rows that are wrong according to the check ``name`` of :data:`CHECKS`."""
    return list(session.execute(CHECKS[name], params or {}).all())


# --- number series -------------------------------------------------------------------------

# Bills and credit notes are numbered prefix + 7 digits (``B2026-0000001``): per series,
# the count and the lowest and highest 7-character tail (zero-padded, so text order is
# number order) of the numbers with its prefix. On SQLite a range on the number also lets
# the unique index answer (0.2 s instead of 1.2 s for a year of a 100k-customer utility);
# PostgreSQL's collation may not order punctuation bytewise, so it filters only. Receipts
# carry their series and sequence in columns.
_OWN = {"bill": ("bills", "bill_number"), "credit note": ("credit_notes", "number")}
_PREFIXED = "substr({c}, 1, :n) = :p AND length({c}) = :n + 7"
_RANGE = "{c} >= :p AND {c} < :upto AND "
_TAIL = "substr({c}, :n + 1)"
_RECEIPT_SERIES = text("SELECT series, COUNT(*), MIN(seq), MAX(seq) FROM receipts"
                       " GROUP BY series")
_RECEIPT_NUMBERS = text("SELECT seq FROM receipts WHERE series = :k")
_NUMBER_SERIES = text("SELECT code, prefix, next_value FROM number_series")


def _bounds(prefix: str) -> dict[str, object]:
    """The prefix, its length and the first text after every number with it."""
    upto = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
    return {"p": prefix, "n": len(prefix), "upto": upto}


def number_series(session: Session) -> list[tuple[str, str, int]]:
    """(code, prefix, next value) of every ``number_series`` row."""
    return [(str(c), str(p), int(n)) for c, p, n in session.execute(_NUMBER_SERIES)]


def document_range(session: Session, kind: str, prefix: str) -> tuple[int, Any, Any]:
    """(count, lowest tail, highest tail) of the ``kind`` documents numbered ``prefix``."""
    table, c = _OWN[kind]
    where = (_RANGE if session.get_bind().dialect.name == "sqlite" else "") + _PREFIXED
    n, low, high = session.execute(text(
        f"SELECT COUNT(*), MIN({_TAIL}), MAX({_TAIL}) FROM {table} WHERE {where}"
        .format(c=c)), _bounds(prefix)).one()
    return int(n or 0), low, high


def document_tails(session: Session, kind: str, prefix: str) -> list[Any]:
    """The number tails of the ``kind`` documents numbered ``prefix``."""
    table, c = _OWN[kind]
    return [x for (x,) in session.execute(text(
        f"SELECT {_TAIL} FROM {table} WHERE {_PREFIXED}".format(c=c)), _bounds(prefix))]


def receipt_series(session: Session) -> list[tuple[str, int, int, int]]:
    """(series, count, lowest seq, highest seq) of every receipt series."""
    return [(str(s), int(n), int(low), int(high))
            for s, n, low, high in session.execute(_RECEIPT_SERIES)]


def receipt_numbers(session: Session, series: str) -> list[Any]:
    return [x for (x,) in session.execute(_RECEIPT_NUMBERS, {"k": series})]
