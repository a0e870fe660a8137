"""Validating a bank statement whole: currency, amounts, dates and the balance equation.

Why refuse a whole file for one bad figure: a statement is a bank's account of money that
moved; a line cut short, a date that does not exist or a balance that does not add up
means the file is not what the bank sent (damaged, truncated, hand-edited) or that we
misread it. Either way no line of it may be posted. The import stores a file in one
transaction, so refusing here leaves the database exactly as it was.

Rules (each error names the file:line, the statement, the field and the value):

* the currency is a current ISO 4217 code (:func:`~ebs_desktop.domain.iso4217.known_currency`)
  and an amount has no more decimals than that currency's minor unit (KWD 45.500 is
  45500 fils, JPY 4550 is 4550 yen; neither is ever read as cents);
* every entry is within the single-amount ceiling ``MAX_AMOUNT_MINOR`` and every
  balance within ``MAX_TOTAL_MINOR`` (see :mod:`ebs_desktop.domain.money`);
* every entry is in the statement's currency;
* the balances agree with the entries (:meth:`~.records.BankStatement.balance_fault`):
  in the entries' currency, and opening + entries = closing wherever the file states both.

Only the last rule can be overridden (``balances=False``): a bank may confirm that a
statement is complete although its stated balances disagree (test exports, a bank that
reports the closing balance in another currency). Such a statement is read and its fault
kept on the record; the importer audits the override and puts every line of it to
review. A figure that cannot be read is never overridable.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from ebs_desktop.domain.bankstatements.records import BankStatement
from ebs_desktop.domain.iso4217 import known_currency
from ebs_desktop.domain.money import (
    MAX_AMOUNT_MINOR,
    MAX_TOTAL_MINOR,
    Money,
    check_amount_minor,
    currency_exponent,
    parse_decimal,
)
from ebs_desktop.errors import ValidationError


def statement_currency(code: str, *, where: str, what: str) -> str:
    """``code`` if it is a currency we can book, else a located error."""
    known_currency_at(code, where=where, what=what)
    return code


def read_money(value: str | Decimal, currency: str, *, where: str, what: str,
               total: bool = False) -> Money:
    """A major-unit amount (``"45.500"``) as Money, refused with its place if it cannot be one.

    ``total`` marks a balance (bounded by MAX_TOTAL_MINOR) rather than a single amount.
    """
    exponent = known_currency_at(currency, where=where, what=what)
    shown = f"{str(value)[:40]} {currency}"
    try:
        number = value if isinstance(value, Decimal) else parse_decimal(value, field=what)
    except (ValueError, TypeError):
        raise ValidationError(f"{what}: {shown} is not a number", location=where) from None
    ceiling = MAX_TOTAL_MINOR if total else MAX_AMOUNT_MINOR
    # compared in major units first: scaling a number of any size is not done
    if number.copy_abs() > ceiling or number.copy_abs().scaleb(exponent) > ceiling:
        kind = "a balance" if total else "a single amount"
        raise ValidationError(
            f"{what}: {shown} is beyond the ceiling of {ceiling} minor units on {kind}",
            location=where)
    scaled = number.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"{what}: {shown} has more than {exponent} decimal places, "
                              f"the minor unit of {currency}", location=where)
    minor = int(scaled)
    if not total:
        check_amount_minor(minor, field=what)
    return Money(minor, currency)


def known_currency_at(code: str, *, where: str, what: str) -> int:
    """The currency's exponent, or a located error if it is not one we can book."""
    try:
        return known_currency(code)
    except ValueError as exc:
        raise ValidationError(f"{what}: {exc}", location=where) from None


class UnbalancedStatement(ValidationError):
    """A statement whose balances disagree with its entries; ``reason`` says how."""

    def __init__(self, reason: str, *, location: str | None = None) -> None:
        self.reason = reason
        super().__init__(reason, location=location)


def check_balances(st: BankStatement, label: str) -> None:
    """Refuse ``st`` with :class:`UnbalancedStatement` if its balances disagree."""
    fault = st.balance_fault()
    if fault is not None:
        raise UnbalancedStatement(f"{label}: {fault}; the file may be damaged or cut short",
                                  location=st.location)


def check_statement(st: BankStatement, label: str, *, balances: bool = True) -> None:
    """Refuse a statement whose currency or entries are wrong, or whose balances disagree.

    ``label`` names the statement in messages ("statement 2 (:20: 940S140102)").
    ``balances=False`` lets a statement whose balances disagree through (the override).
    """
    statement_currency(st.currency, where=st.location, what=f"{label}: currency")
    for number, entry in enumerate(st.entries, start=1):
        if entry.amount.currency != st.currency:
            raise ValidationError(
                f"{label}, entry {number}: amount in {entry.amount.currency}, the statement "
                f"in {st.currency}", location=entry.location)
        if abs(entry.amount.minor) > MAX_AMOUNT_MINOR:
            raise ValidationError(f"{label}, entry {number}: amount {entry.amount} is beyond "
                                  "the ceiling", location=entry.location)
    if balances:
        check_balances(st, label)


#: Bounds on an exchange rate typed by a person (units of the utility's currency per unit
#: of the line's): VND to KWD is about 0.000012, KWD to VND about 85,000.
MIN_RATE = Decimal("0.000000001")
MAX_RATE = Decimal("1000000000")


def check_conversion(original: Money, amount: Money, rate: Decimal) -> None:
    """Refuse unless ``amount`` is ``original`` x ``rate`` to within rounding of its currency.

    "Within rounding" is half a minor unit of ``amount``'s currency either way, so a bank
    that rounds half-even and one that rounds half-up are both accepted: KWD 45.500 at
    3.2535 is USD 148.034..., so USD 148.03 is accepted and 148.04 refused.
    """
    if not rate.is_finite() or not MIN_RATE <= rate <= MAX_RATE:
        raise ValidationError(f"the rate must be between {MIN_RATE} and {MAX_RATE}, got "
                              f"{rate}", location="rate")
    if amount.minor <= 0:
        raise ValidationError(f"the amount must be positive, got {amount}", location="amount")
    with localcontext() as ctx:
        ctx.prec = 80  # exact: 13 digits of amount x a rate of up to 60 digits
        exact = original.amount.copy_abs() * rate
        half_unit = Decimal(1).scaleb(-currency_exponent(amount.currency)) / 2
        off = abs(exact - amount.amount) > half_unit
    if off:
        raise ValidationError(
            f"{original.currency} {original} x {rate} = {amount.currency} "
            f"{exact.normalize():f}, not {amount}: give the amount and the rate the bank "
            "used", location="amount")
