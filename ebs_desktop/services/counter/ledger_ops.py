"""The ledger side of the counter: locking an account, its open bills, balanced journals.

Why the account row is updated first in every posting: ``UPDATE accounts SET balance_minor
= balance_minor + d ... RETURNING`` takes that row's lock, so two counters serving the
same family are put one after the other *before* either reads the open bills, and each
allocation sees the other's. Locks are always taken in the same order (account, receipt
series, audit head), so postings never deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, bindparam, func, select, text
from sqlalchemy.orm import Session

from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.domain.payment_allocation import OpenBill
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.models import LedgerEntry

GL_FOR_TENDER = {"cash": "CASH", "card": "CARD", "cheque": "CHEQUE", "transfer": "BANK"}

_BUMP = text("UPDATE accounts SET balance_minor = balance_minor + :d "
             "WHERE account_number = :n RETURNING id, balance_minor")
_BUMP_ID = text("UPDATE accounts SET balance_minor = balance_minor + :d "
                "WHERE id = :i RETURNING id, balance_minor")
_OPEN_BILLS = text(
    "SELECT b.id, b.due_date, b.total_minor - COALESCE("
    " (SELECT SUM(pa.amount_minor) FROM payment_allocations pa WHERE pa.bill_id = b.id), 0)"
    " FROM bills b WHERE b.account_id = :a"
    " AND NOT EXISTS (SELECT 1 FROM credit_notes cn WHERE cn.bill_id = b.id)"
    " ORDER BY b.due_date, b.id")

_INSERT_JOURNAL = text(
    "INSERT INTO journals (kind, entry_date, description, user_id, created_at)"
    " VALUES (:k, :d, :t, :u, :at) RETURNING id").bindparams(
    bindparam("d", type_=Date()), bindparam("at", type_=DateTime(timezone=True)))
_INSERT_ENTRY = text(
    "INSERT INTO ledger_entries (journal_id, gl_code, account_id, amount_minor, entry_date,"
    " bill_id, payment_id, credit_note_id) VALUES (:j, :gl_code, :account_id, :amount_minor,"
    " :d, :bill_id, :payment_id, :credit_note_id)").bindparams(bindparam("d", type_=Date()))


def bump_account(session: Session, account_number: str, delta_minor: int) -> tuple[int, int]:
    """Lock the account and move its cached balance; returns (account id, new balance)."""
    row = session.execute(_BUMP, {"d": delta_minor, "n": account_number}).one_or_none()
    if row is None:
        raise NotFound(no_account_message(account_number))
    return int(row[0]), int(row[1])


def bump_account_id(session: Session, account_id: int, delta_minor: int) -> int:
    row = session.execute(_BUMP_ID, {"d": delta_minor, "i": account_id}).one()
    return int(row[1])


def open_bills(session: Session, account_id: int) -> list[OpenBill]:
    """Bills minus what payments (and reversals) allocated, without credit-noted bills."""
    out: list[OpenBill] = []
    for bill_id, due, open_minor in session.execute(_OPEN_BILLS, {"a": account_id}):
        if int(open_minor) > 0:
            due_date = due if isinstance(due, date) else date.fromisoformat(str(due))
            out.append((int(bill_id), due_date, int(open_minor)))
    return out


def write_journal(session: Session, kind: str, day: date, description: str,
                  user_id: int | None, entries: Sequence[dict[str, object]]) -> int:
    """One journal whose entries must sum to zero (checked here, before anything is sent)."""
    total = sum(int(str(e["amount_minor"])) for e in entries)
    if total != 0:
        raise AssertionError(f"journal {kind} does not balance: entries sum to {total}")
    conn = session.connection()
    journal_id = int(conn.execute(_INSERT_JOURNAL, {
        "k": kind, "d": day, "t": description[:400], "u": user_id,
        "at": datetime.now(UTC)}).scalar_one())
    conn.execute(_INSERT_ENTRY, [
        {"j": journal_id, "d": day, "account_id": None, "bill_id": None, "payment_id": None,
         "credit_note_id": None, **e} for e in entries])
    return journal_id


def ledger_balance(session: Session, account_id: int, upto_journal: int | None = None) -> int:
    """Sum of the account's AR entries (optionally up to one journal): the true balance."""
    stmt = select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(
        LedgerEntry.account_id == account_id, LedgerEntry.gl_code == "AR")
    if upto_journal is not None:
        stmt = stmt.where(LedgerEntry.journal_id <= upto_journal)
    return int(session.scalar(stmt) or 0)
