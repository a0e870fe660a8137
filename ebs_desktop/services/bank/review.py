"""The review list: bank credits no account number could be matched to.

Why staff assign rather than the program guessing by name or amount: a wrong match
credits the wrong family and shows the right one in arrears; a person who reads the
reference ("for my mother's flat, acc 1234...") decides, and the assignment posts the
same payment an automatic match would (key ``bank:<line key>``, so a double click or a
second clerk assigning the same line cannot post twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, BankLine, BankStatement
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.bank.importer import post_bank_credit
from ebs_desktop.services.counter.posting import payment_by_key
from ebs_desktop.services.counter.records import PaymentResult
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings


@dataclass(frozen=True)
class BankLineInfo:
    line_id: int
    booked_on: date
    amount: Money
    reference: str
    bank_account: str
    statement_ref: str
    status: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line_id, "booked_on": self.booked_on.isoformat(),
                "amount": str(self.amount), "reference": self.reference,
                "bank_account": self.bank_account, "statement": self.statement_ref,
                "status": self.status}


def review_lines(db: Database, actor: Actor, limit: int = 500) -> list[BankLineInfo]:
    require(actor, "bank.assign")
    with db.read() as s:
        currency = get_settings(s).currency
        rows = s.execute(select(BankLine.id, BankLine.booked_on, BankLine.amount_minor,
                                BankLine.reference, BankStatement.bank_account,
                                BankStatement.statement_ref, BankLine.status)
                         .join(BankStatement, BankStatement.id == BankLine.statement_id)
                         .where(BankLine.status == "review")
                         .order_by(BankLine.booked_on, BankLine.id).limit(limit))
        return [BankLineInfo(int(r[0]), r[1], Money(int(r[2]), currency), r[3], r[4], r[5],
                             r[6]) for r in rows]


def _line_for_review(s: Session, line_id: int) -> BankLine:
    """The line, locked, if it is still waiting for someone to decide about it."""
    line = s.get(BankLine, line_id, with_for_update=True)
    if line is None:
        raise NotFound(f"no bank line {line_id}")
    if line.status != "review":
        raise ConflictError(f"bank line {line_id} is {line.status}, not waiting for review")
    return line


def assign_line(db: Database, actor: Actor, line_id: int, account_number: str) -> PaymentResult:
    """Post a review line to an account as a bank payment."""
    require(actor, "bank.assign")
    with db.write() as s:
        line = _line_for_review(s, line_id)
        if line.amount_minor <= 0:
            raise ValidationError("only credits can be assigned to an account",
                                  location=f"line {line_id}")
        account_id = s.scalar(select(Account.id).where(
            Account.account_number == account_number.strip()))
        if account_id is None:
            raise NotFound(f"no account {account_number!r}")
        currency = get_settings(s).currency
        payment_id, _receipt = post_bank_credit(
            s, actor, line.line_key, account_number.strip(), None,
            (line.amount_minor, line.reference[:140]), currency)
        s.execute(update(BankLine).where(BankLine.id == line_id).values(
            status="assigned", account_id=account_id, payment_id=payment_id))
        audit.record(s, actor, "bank.assign", "bank_line", line_id,
                     after={"account": account_number, "payment": payment_id})
        found = payment_by_key(s, f"bank:{line.line_key}"[:64])
        assert found is not None
        return PaymentResult(found.payment_id, found.receipt_number, found.account_number,
                             found.amount, found.balance, found.change, found.allocations,
                             found.credit, replayed=False)


def ignore_line(db: Database, actor: Actor, line_id: int, reason: str) -> None:
    """Take a line off the review list (a refund from a supplier, a test transfer...)."""
    require(actor, "bank.assign")
    with db.write() as s:
        _line_for_review(s, line_id)
        s.execute(update(BankLine).where(BankLine.id == line_id).values(status="ignored"))
        audit.record(s, actor, "bank.ignore", "bank_line", line_id, after={"reason": reason})
