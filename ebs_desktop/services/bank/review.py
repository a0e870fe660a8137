"""The review list: bank credits that could not be paid to an account automatically.

Why staff assign rather than the program guessing by name or amount: a wrong match
credits the wrong family and shows the right one in arrears; a person who reads the
reference ("for my mother's flat, acc 1234...") decides, and the assignment posts the
same payment an automatic match would (key ``bank:<line key>``, so a double click or a
second clerk assigning the same line cannot post twice).

Every line of a statement imported on the balances override (its stated balances disagree
with its entries) is here too, debits included, with that reason: a person checks it
with the bank, then assigns a credit or ignores the line.

A line in another currency than the utility's (a KWD credit for a utility that books USD)
is shown in its own currency and can only be assigned with the amount it is worth in the
utility's currency and the rate, which must agree to within rounding
(:func:`~ebs_desktop.domain.bankstatements.checks.check_conversion`); the audit entry
keeps the original amount, its currency and the rate next to the amount posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.domain.bankstatements.checks import check_conversion
from ebs_desktop.domain.money import (
    MAX_AMOUNT_MINOR,
    Money,
    check_amount_minor,
    parse_decimal,
)
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import BankLine
from ebs_desktop.persistence.stores import bank as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.bank.importer import UNBALANCED, foreign_reason, post_bank_credit
from ebs_desktop.services.counter.posting import payment_by_key
from ebs_desktop.services.counter.records import PaymentResult
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency


@dataclass(frozen=True)
class BankLineInfo:
    line_id: int
    booked_on: date
    amount: Money
    """In the line's own currency (``amount.currency``), which may not be the utility's."""
    reference: str
    bank_account: str
    statement_ref: str
    status: str
    reason: str
    """Why the line waits for a person ("in KWD, not the utility's USD: ...")."""
    foreign: bool
    """In another currency than the utility's: assigning it needs an amount and a rate."""

    def to_json(self) -> dict[str, object]:
        return {"line": self.line_id, "booked_on": self.booked_on.isoformat(),
                "amount": str(self.amount), "currency": self.amount.currency,
                "reference": self.reference, "bank_account": self.bank_account,
                "statement": self.statement_ref, "status": self.status,
                "reason": self.reason, "foreign": self.foreign}


def review_lines(db: Database, actor: Actor, limit: int = 500) -> list[BankLineInfo]:
    require(actor, "bank.assign")
    with db.read() as s:
        currency = utility_currency(s)
        out = []
        for r in store.review_rows(s, limit):
            line_currency = str(r[3])
            foreign = line_currency != currency
            # the currency decides first: the utility's may have changed since the import;
            # a statement imported on the balances override says so too
            reason = r[8] or ""
            if foreign:
                own = foreign_reason(line_currency, currency)
                reason = f"{own}; {reason}" if reason.startswith(UNBALANCED) else own
            out.append(BankLineInfo(int(r[0]), r[1], Money(int(r[2]), line_currency), r[4],
                                    r[5], r[6], r[7], reason, foreign))
        return out


def _line_for_review(s: Session, line_id: int) -> BankLine:
    """The line, locked, if it is still waiting for someone to decide about it."""
    line = store.line_locked(s, line_id)
    if line is None:
        raise NotFound(f"no bank line {line_id}")
    if line.status != "review":
        raise ConflictError(f"bank line {line_id} is {line.status}, not waiting for review")
    return line


def _converted(original: Money, currency: str, amount: str | Decimal | None,
               rate: str | Decimal | None) -> tuple[Money, Decimal | None]:
    """What the line is posted as in the utility's ``currency``, and the rate if converted."""
    if original.currency == currency:
        if amount is not None or rate is not None:
            raise ValidationError(f"the line is in {currency}, the utility's currency: it is "
                                  "posted as it is, without an amount or a rate",
                                  location="amount")
        return Money(original.minor, currency), None
    if amount is None or rate is None:
        raise ValidationError(
            f"the line is {original.currency} {original}, not in the utility's {currency}: "
            f"give the amount received in {currency} and the rate ({currency} per "
            f"{original.currency})", location="amount" if amount is None else "rate")
    try:
        number = parse_decimal(amount, field="amount")
        if number.copy_abs() > MAX_AMOUNT_MINOR:  # before scaling a number of any size
            raise ValueError(f"amount: {amount} is beyond the ceiling")
        value = Money.of(number, currency)
        check_amount_minor(value.minor, field="amount")
    except (ValueError, TypeError) as exc:
        raise ValidationError(str(exc), location="amount") from None
    try:
        factor = parse_decimal(rate, field="rate")
    except (ValueError, TypeError) as exc:
        raise ValidationError(str(exc), location="rate") from None
    check_conversion(original, value, factor)
    return value, factor


def assign_line(db: Database, actor: Actor, line_id: int, account_number: str, *,
                amount: str | Decimal | None = None,
                rate: str | Decimal | None = None) -> PaymentResult:
    """Post a review line to an account as a bank payment.

    A line in another currency needs ``amount`` (in the utility's currency) and ``rate``
    (utility currency per unit of the line's) that agree; one in the utility's needs neither.
    """
    require(actor, "bank.assign")
    with db.write() as s:
        line = _line_for_review(s, line_id)
        original = Money(line.amount_minor, line.currency)
        if line.amount_minor <= 0:
            raise ValidationError("only credits can be assigned to an account",
                                  location=f"line {line_id}")
        currency = utility_currency(s)
        value, factor = _converted(original, currency, amount, rate)
        number = account_number.strip()
        account_id = store.account_id(s, number)
        if account_id is None:
            raise NotFound(no_account_message(account_number))
        reference = line.reference[:140]
        if factor is not None:
            reference = f"{original.currency} {original} @ {factor} | {line.reference}"[:140]
        payment_id, _receipt = post_bank_credit(
            s, actor, line.line_key, number, None, value, reference)
        store.set_line_status(s, line_id, "assigned", account_id=account_id,
                              payment_id=payment_id)
        after: dict[str, object] = {"account": number, "payment": payment_id,
                                    "amount": str(value), "currency": currency}
        if factor is not None:
            after.update(original_amount=str(original), original_currency=original.currency,
                         rate=str(factor))
        audit.record(s, actor, "bank.assign", "bank_line", line_id, after=after)
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
        store.set_line_status(s, line_id, "ignored")
        audit.record(s, actor, "bank.ignore", "bank_line", line_id, after={"reason": reason})
