"""What goes into and comes out of the bill calculation.

A :class:`BillLine` is a plain tuple (cheap to build a million times, ready for a bulk
insert) whose text is made only when asked: ``explanation`` (``"120 kWh x 4.50 = 540.00"``)
and ``description`` (label plus explanation, what a bill prints and what ``bill-calc``
shows). ``amount_minor`` is the rounded amount in minor units; ``amount`` wraps it in Money.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ebs_desktop.domain.money import Money, currency_exponent
from ebs_desktop.errors import ValidationError

_EXPONENTS: dict[str, int] = {}


def _num(value: Decimal) -> str:
    """A Decimal as written (``0.08``), never in exponent notation (``1E+2``)."""
    text = str(value)
    return f"{value:f}" if "E" in text else text


def _money_text(minor: int, exp: int) -> str:
    """Minor units as a plain decimal string (``-5`` cents -> ``-0.05``), by integer math."""
    if exp == 0:
        return str(minor)
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{'-' if minor < 0 else ''}{whole}.{frac:0{exp}d}"


class BillLine(NamedTuple):
    code: str
    label: str
    quantity: Decimal
    unit: str  # kWh, kW, month, day, % (quantity is then the base amount), or ""
    rate: Decimal
    amount_minor: int
    currency: str
    version_ref: str | None
    how: str = ""  # when set, replaces "quantity unit x rate" in the explanation
    suffix: str = ""  # appended to "quantity unit x rate", e.g. " x 17/31 month"
    # Pre-built text of a ladder line (" kWh x 0.08 = "), so that the description a billing
    # run stores for every line costs one string join: head + quantity + mid + amount.
    head: str = ""
    mid: str = ""
    text: str = ""  # the whole description, for lines shared by many bills (fixed, full slabs)

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def explanation(self) -> str:
        """The arithmetic of the line, reproducible by hand: ``120 kWh x 4.50 = 540.00``."""
        exp = currency_exponent(self.currency)
        amount = _money_text(self.amount_minor, exp)
        if self.how:
            return f"{self.how} = {amount}"
        if self.unit == "%":
            base = f"{self.quantity:.{exp}f}"
            return f"{_num((self.rate * 100).normalize())}% of {base} = {amount}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{_num(self.quantity)}{unit} x {_num(self.rate)}{self.suffix} = {amount}"

    @property
    def description(self) -> str:
        if self.text:
            return self.text
        if self.mid:
            exp = _EXPONENTS.get(self.currency)
            if exp is None:
                exp = _EXPONENTS[self.currency] = currency_exponent(self.currency)
            amount = _money_text(self.amount_minor, exp)
            return f"{self.head}{_num(self.quantity)}{self.mid}{amount}"
        return f"{self.label}: {self.explanation}"


class AmountOverLimit(ValidationError):
    """A bill whose total or a line would pass the ceiling on a single amount."""


@dataclass(frozen=True, slots=True)
class Usage:
    """Consumption of the billing period: total kWh, TOU registers, maximum demand, and the
    maximum demand in each time-of-use demand period (``demand_registers``, kW by demand
    register, for tariffs with time-of-use demand)."""

    kwh: Decimal
    registers: Mapping[str, Decimal] = field(default_factory=dict)
    demand_kw: Decimal | None = None
    demand_registers: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the account contributes to its bill besides consumption.

    ``prompt_payment_earned``: the billing service decided the rebate was earned (the
    previous bill was paid in full by its due date). ``overdue`` is the arrears still unpaid
    ``days_past_due`` days after their due date (late surcharge applies after the grace days).
    """

    category: str = ""
    sanctioned_load_kw: Decimal | None = None
    prompt_payment_earned: bool = False
    overdue: Decimal = Decimal(0)
    days_past_due: int = 0


@dataclass(frozen=True, slots=True)
class BillCalculation:
    """A calculated bill: ``total`` always equals the sum of the lines (ROUNDING included).

    ``after_due`` is what the customer owes if this bill is paid after its due date plus the
    grace days (total + the version's late surcharge on it); equal to ``total`` without one.
    """

    lines: tuple[BillLine, ...]
    total: Money
    after_due: Money
    period_start: date
    period_end: date
    kwh: Decimal
