"""The ledger checks of the books check: journals balance, cached totals equal their ledger.

Each check is one statement returning only what is wrong, run in a savepoint so that a
check the database cannot finish (SQLite's SUM refuses to overflow 64 bits) is reported
as a problem and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ebs_desktop.domain.money import MAX_TOTAL_MINOR
from ebs_desktop.services.books.records import BooksProblem, Found, why

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
def journals(s: Session, found: Found) -> None:
    try:
        with s.begin_nested():
            rows = s.execute(_UNBALANCED).all()
    except DBAPIError as exc:  # SQLite's SUM refuses to overflow 64 bits
        rows = s.execute(_OUT_OF_RANGE, {"top": MAX_TOTAL_MINOR}).all()
        found.problems.append(BooksProblem("check", "journals", f"cannot be summed ({why(exc)})"))
        found.add("journal", rows, lambda r: (
            f"journal {r[1]}", f"ledger entry {r[0]} holds {r[2]}, beyond any amount"))
        return
    found.add("journal", rows, lambda r: (
        f"journal {r[0]}", f"does not balance: its {r[2]} entries "
        f"({s.scalar(_KIND, {'j': r[0]})}) sum to {r[1]}"))


def cached(s: Session, found: Found) -> None:
    checks: list[tuple[str, Any, dict[str, int], Callable[[Any], tuple[str, str]]]] = [
        ("account balances", _BALANCES, {"top": MAX_TOTAL_MINOR}, lambda r: (
            f"account {r[0]}", f"cached balance {r[1]} but its AR ledger entries sum to "
            f"{r[2]}")),
        ("billing run totals", _RUNS, {}, lambda r: (
            f"billing run {r[0]} ({r[1]})", f"records {r[2]} bills totalling {r[3]} but "
            f"has {r[4]} bills totalling {r[5]}")),
        ("bill lines", _BILL_LINES, {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its lines sum to {r[2]}")),
        ("bills in the ledger", _BILL_LEDGER, {}, lambda r: (
            f"bill {r[0]}", f"total {r[1]} but its AR ledger entries sum to {r[2]}")),
        ("credit notes", _CREDIT_NOTES, {}, lambda r: (
            f"credit note {r[0]}", f"amount {r[1]} cancels bill {r[2]} of {r[3]}; its AR "
            f"ledger entries sum to {r[4]}")),
        ("payments in the ledger", _PAYMENT_LEDGER, {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]}{' (reversed)' if r[2] is not None else ''} "
            f"but its AR ledger entries sum to {r[3]}")),
        ("payment tenders", _TENDERS, {}, lambda r: (
            f"payment {r[0]}", f"amount {r[1]} but its tenders sum to {r[2]}")),
        ("cash counts", _COUNTS, {}, lambda r: (
            f"shift {r[0]} count", f"{r[3]} x {r[2]} {r[1]} recorded as {r[4]}")),
    ]
    for name, stmt, params, describe in checks:
        try:
            with s.begin_nested():
                rows = s.execute(stmt, params).all()
        except DBAPIError as exc:
            found.problems.append(BooksProblem(
                "check", name, f"could not be checked ({why(exc)})"))
            continue
        found.add("balance", rows, describe)

