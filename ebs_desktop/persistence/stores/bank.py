"""Bank statements, their lines and the accounts a bank credit is paid to.

Used by ``services.bank`` (import and review) inside the service's transaction. Lists of
keys and account numbers are sent in chunks of ``CHUNK`` values per ``IN (...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Account, BankLine, BankStatement

CHUNK = 500  # values per IN (...) list


def account_ids(s: Session, numbers: Sequence[str]) -> list[tuple[int, str]]:
    """(id, account number) of those of ``numbers`` that exist."""
    found: list[tuple[int, str]] = []
    for i in range(0, len(numbers), CHUNK):
        found += [(int(r[0]), str(r[1])) for r in s.execute(
            select(Account.id, Account.account_number)
            .where(Account.account_number.in_(numbers[i:i + CHUNK])))]
    return found


def lock_accounts(s: Session, ids: Sequence[int]) -> None:
    """Take the row locks of the accounts ``ids`` (sorted by the caller), in that order."""
    for i in range(0, len(ids), CHUNK):
        s.execute(select(Account.id).where(Account.id.in_(ids[i:i + CHUNK]))
                  .order_by(Account.id).with_for_update())


def account_id(s: Session, number: str) -> int | None:
    found = s.scalar(select(Account.id).where(Account.account_number == number))
    return None if found is None else int(found)


def existing_line_keys(s: Session, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` already stored as bank lines."""
    seen: set[str] = set()
    for i in range(0, len(keys), CHUNK):
        seen.update(str(k) for k in s.scalars(
            select(BankLine.line_key).where(BankLine.line_key.in_(keys[i:i + CHUNK]))))
    return seen


def statement_id(s: Session, bank_account: str, statement_ref: str) -> int | None:
    found = s.scalar(select(BankStatement.id).where(
        BankStatement.bank_account == bank_account,
        BankStatement.statement_ref == statement_ref))
    return None if found is None else int(found)


def insert_statement(s: Session, *, bank_account: str, statement_ref: str, file_name: str,
                     currency: str, opening_minor: int | None, closing_minor: int | None,
                     user_id: int | None) -> int:
    return int(s.execute(insert(BankStatement).values(
        bank_account=bank_account, statement_ref=statement_ref, file_name=file_name,
        currency=currency, opening_minor=opening_minor, closing_minor=closing_minor,
        user_id=user_id).returning(BankStatement.id)).scalar_one())


def insert_line(s: Session, *, statement_id: int, line_key: str, booked_on: date,
                amount_minor: int, currency: str, reference: str, status: str,
                review_reason: str | None, account_id: int | None,
                payment_id: int | None) -> None:
    s.execute(insert(BankLine).values(
        statement_id=statement_id, line_key=line_key, booked_on=booked_on,
        amount_minor=amount_minor, currency=currency, reference=reference, status=status,
        review_reason=review_reason, account_id=account_id, payment_id=payment_id))


def review_rows(s: Session, limit: int) -> list[tuple[Any, ...]]:
    """Lines waiting for review, oldest first: (id, booked on, amount minor, currency,
    reference, bank account, statement ref, status, review reason)."""
    return [tuple(r) for r in s.execute(
        select(BankLine.id, BankLine.booked_on, BankLine.amount_minor, BankLine.currency,
               BankLine.reference, BankStatement.bank_account, BankStatement.statement_ref,
               BankLine.status, BankLine.review_reason)
        .join(BankStatement, BankStatement.id == BankLine.statement_id)
        .where(BankLine.status == "review")
        .order_by(BankLine.booked_on, BankLine.id).limit(limit))]


def line_locked(s: Session, line_id: int) -> BankLine | None:
    """The line with its row lock, None if there is none."""
    return s.get(BankLine, line_id, with_for_update=True)


def set_line_status(s: Session, line_id: int, status: str, *,
                    account_id: int | None = None, payment_id: int | None = None) -> None:
    """Decide a review line: ``assigned`` (with its account and payment) or ``ignored``."""
    values: dict[str, object] = {"status": status}
    if account_id is not None:
        values.update(account_id=account_id, payment_id=payment_id)
    s.execute(update(BankLine).where(BankLine.id == line_id).values(**values))
