"""The ledger writer: the only code that writes journals, ledger entries and cached balances.

Every posting in the product (a billing batch, a credit note, a counter payment or its
reversal, a bank credit, the demo's payments, and the coming online payments) goes through
here, so one place guarantees the two invariants the books check proves afterwards:

- each call's entries sum to zero per journal (double entry), refused before anything is
  sent to the database (:class:`UnbalancedJournal`);
- the cached ``accounts.balance_minor`` moves by exactly the AR entries written, in the
  same transaction.

Two forms, one rule:

- :func:`post_journal` for one journal of a few entries (counter, corrections, bank);
- :func:`open_journals` + :func:`post_entries` for bulk work: journal headers first, then
  entries as tuples in groups (``EntryGroup``: the columns each row has, the columns fixed
  for the whole group), COPY on PostgreSQL and multi-row INSERTs on SQLite through
  :mod:`ebs_desktop.persistence.bulk`. A bulk caller may spread one journal over several
  transactions (the demo writes a day's journal batch by batch); each call must still
  balance per journal on its own.

Locking order in a posting is account row(s), then number series, then audit head; use
:func:`lock_account` before reading what a posting depends on (open bills).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, bindparam, text
from sqlalchemy.orm import Session

from ebs_desktop.persistence import bulk

AR = "AR"
ENTRY_COLUMNS = bulk.ENTRY_COLUMNS
JOURNAL_COLUMNS = bulk.JOURNAL_COLUMNS


class UnbalancedJournal(RuntimeError):
    """A programming error: entries that do not sum to zero per journal were refused."""


@dataclass(frozen=True)
class EntryGroup:
    """Ledger entry rows sharing a shape: ``columns`` per row, ``fixed`` for every row.

    Between them they must name ``journal_id``, ``gl_code``, ``amount_minor`` and
    ``entry_date``; the other entry columns default to NULL.
    """

    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    fixed: Mapping[str, Any] = field(default_factory=dict)

    def values(self, column: str) -> list[Any]:
        if column in self.fixed:
            return [self.fixed[column]] * len(self.rows)
        if column in self.columns:
            i = self.columns.index(column)
            return [row[i] for row in self.rows]
        return [None] * len(self.rows)


@dataclass(frozen=True)
class JournalPosted:
    journal_id: int
    balances: Mapping[int, int]
    """Account id -> cached balance after the posting, for the accounts it moved."""


_ACCOUNT = "SELECT id, balance_minor FROM accounts WHERE "
# PostgreSQL: the row's lock, without writing a new row version. SQLite: a write
# transaction starts with BEGIN IMMEDIATE (persistence.engine), which already holds the
# database's one write lock, so a plain read is the lock (and writes no page).
_LOCK = {"postgresql": text(_ACCOUNT + "account_number = :n FOR UPDATE"),
         "sqlite": text(_ACCOUNT + "account_number = :n")}
_LOCK_ID = {"postgresql": text(_ACCOUNT + "id = :i FOR UPDATE"),
            "sqlite": text(_ACCOUNT + "id = :i")}
_BUMP_ID = text("UPDATE accounts SET balance_minor = balance_minor + :d "
                "WHERE id = :i RETURNING balance_minor")
_INSERT_JOURNAL = text(
    "INSERT INTO journals (kind, entry_date, description, user_id, created_at)"
    " VALUES (:k, :d, :t, :u, :at) RETURNING id").bindparams(
    bindparam("d", type_=Date()), bindparam("at", type_=DateTime(timezone=True)))
_INSERT_ENTRY = text(
    "INSERT INTO ledger_entries (journal_id, gl_code, account_id, amount_minor, entry_date,"
    " bill_id, payment_id, credit_note_id) VALUES (:j, :gl_code, :account_id, :amount_minor,"
    " :d, :bill_id, :payment_id, :credit_note_id)").bindparams(bindparam("d", type_=Date()))


def lock_account(session: Session, account_number: str) -> tuple[int, int] | None:
    """Take the account row's write lock; (id, cached balance), None when there is none.

    Two counters serving the same family are put one after the other *before* either
    reads the open bills, so each allocation sees the other's."""
    conn = session.connection()
    row = conn.execute(_LOCK[conn.dialect.name], {"n": account_number}).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]))


def lock_account_id(session: Session, account_id: int) -> tuple[int, int] | None:
    conn = session.connection()
    row = conn.execute(_LOCK_ID[conn.dialect.name], {"i": account_id}).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]))


def _check_balanced(sums: Mapping[Any, int], what: str) -> None:
    bad = {j: s for j, s in sums.items() if s != 0}
    if bad:
        raise UnbalancedJournal(f"{what} does not balance: entries sum to {bad}")


def post_journal(session: Session, kind: str, day: date, description: str,
                 user_id: int | None, entries: Sequence[Mapping[str, object]]
                 ) -> JournalPosted:
    """Write one journal whose entries sum to zero, and move the cached balance of every
    account with an AR entry by that entry, in the caller's transaction.

    Each entry is a mapping with ``gl_code`` and ``amount_minor`` and optionally
    ``account_id``, ``bill_id``, ``payment_id``, ``credit_note_id``."""
    total = sum(int(str(e["amount_minor"])) for e in entries)
    _check_balanced({kind: total}, f"journal {kind}")
    conn = session.connection()
    journal_id = int(conn.execute(_INSERT_JOURNAL, {
        "k": kind, "d": day, "t": description[:400], "u": user_id,
        "at": datetime.now(UTC)}).scalar_one())
    conn.execute(_INSERT_ENTRY, [
        {"j": journal_id, "d": day, "account_id": None, "bill_id": None, "payment_id": None,
         "credit_note_id": None, **e} for e in entries])
    deltas: dict[int, int] = {}
    for e in entries:
        if e["gl_code"] == AR and e.get("account_id") is not None:
            account = int(str(e["account_id"]))
            deltas[account] = deltas.get(account, 0) + int(str(e["amount_minor"]))
    balances = {account: int(conn.execute(_BUMP_ID, {"d": d, "i": account}).scalar_one())
                for account, d in deltas.items()}
    return JournalPosted(journal_id, balances)


def open_journals(conn: Connection, headers: Sequence[tuple[str, str, str, int | None, str]]
                  ) -> list[int]:
    """Bulk: write journal headers (kind, entry date ISO, description, user id, created-at
    text) and return their ids, in order. Their entries follow through :func:`post_entries`."""
    ids = bulk.reserve_ids(conn, "journals", len(headers))
    bulk.bulk_insert(conn, "journals", JOURNAL_COLUMNS,
                     [(j, kind, day, desc[:400], user, stamp)
                      for j, (kind, day, desc, user, stamp) in zip(ids, headers, strict=True)])
    return ids


def post_entries(conn: Connection, groups: Sequence[EntryGroup]) -> None:
    """Bulk: write entry groups whose amounts sum to zero per journal (checked first, for
    all groups together), then move the cached balances by the AR entries."""
    sums: dict[Any, int] = {}
    deltas: list[tuple[int, int]] = []
    for group in groups:
        if not group.rows:
            continue
        journals = group.values("journal_id")
        amounts = group.values("amount_minor")
        for j, amount in zip(journals, amounts, strict=True):
            sums[j] = sums.get(j, 0) + int(amount)
        if group.fixed.get("gl_code", None) == AR or "gl_code" in group.columns:
            codes = group.values("gl_code")
            accounts = group.values("account_id")
            deltas.extend((int(amount), int(account)) for code, account, amount
                          in zip(codes, accounts, amounts, strict=True)
                          if code == AR and account is not None)
    _check_balanced(sums, "ledger entries per journal")
    for group in groups:
        bulk.bulk_insert(conn, "ledger_entries", group.columns, group.rows, group.fixed)
    bulk.bump_balances(conn, deltas)
