"""Rounding: every place where EBS Desktop turns an exact Decimal into money.

Rules (one module, so an auditor can read them all at once):

1. **Line rounding.** A bill line is computed exactly in Decimal (``quantity x rate``) and
   rounded once, to the currency's minor unit, ``ROUND_HALF_UP`` (half away from zero),
   the rule customers and most tariff orders expect: 120 kWh x 4.4567 = 534.804 -> 534.80;
   3 kWh x 0.125 = 0.375 -> 0.38; a credit of -0.375 -> -0.38.
   Intermediate results (a slab's share, a prorated fixed charge) are *not* rounded;
   only the line amount is.
2. **Bill total rounding.** The sum of the rounded lines is rounded to the cash step in the
   settings (0.01, 0.05 or 1.00), half up. The difference becomes its own bill line,
   ``ROUNDING``, posted to the ledger like any other line, so the ledger and the printed
   total always agree and no fraction disappears: lines 102.47 -> step 0.05 -> total 102.45,
   rounding line -0.02; lines 102.48 -> total 102.50, rounding line +0.02.
3. **Cash change** is computed in minor units and never rounded (a cash step applies only
   to what the customer is asked to pay).
4. **Quantities** (kWh, kW) are Decimals with three decimal places (meters show 0.001 kWh);
   consumption is never rounded before pricing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ebs_desktop.domain.money import Money, currency_exponent

LINE_ROUNDING = ROUND_HALF_UP
QUANTITY_PLACES = Decimal("0.001")


def to_money(value: Decimal, currency: str) -> Money:
    """Round an exact Decimal to the currency's minor unit (rule 1) and return Money."""
    exp = currency_exponent(currency)
    minor = value.scaleb(exp).to_integral_value(rounding=LINE_ROUNDING)
    return Money(int(minor), currency)


def round_to_step(amount: Money, step: Money) -> Money:
    """Round an amount to a cash step (rule 2): 102.47 with step 0.05 -> 102.45."""
    if step.currency != amount.currency:
        raise ValueError("step and amount must be in the same currency")
    if step.minor <= 0:
        raise ValueError(f"rounding step must be positive, got {step}")
    units = (Decimal(amount.minor) / Decimal(step.minor)).to_integral_value(rounding=LINE_ROUNDING)
    return Money(int(units) * step.minor, amount.currency)


def quantity(value: Decimal) -> Decimal:
    """Normalise a quantity to three decimal places, refusing values that need more."""
    q = value.quantize(QUANTITY_PLACES)
    if q != value:
        raise ValueError(f"quantity {value} has more than three decimal places")
    return q
