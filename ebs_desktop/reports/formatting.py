"""How figures are written on paper: exact strings built from integers and Decimals.

Why not Babel here: the printed figure must be the stored figure, digit for digit, and a
bill run formats hundreds of thousands of amounts; grouping the digits of ``str(Money)``
is exact and cheap. (The GUI may use Babel for on-screen display.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ebs_desktop.domain.money import Money


def group_digits(plain: str, sep: str = ",") -> str:
    """``-1234567.89`` -> ``-1,234,567.89`` (the string's digits are kept as they are)."""
    sign = ""
    if plain.startswith("-"):
        sign, plain = "-", plain[1:]
    whole, dot, frac = plain.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + sep.join(groups) + dot + frac


def format_amount(amount: Money) -> str:
    """Amount without currency, grouped: ``Money(123456, "USD")`` -> ``1,234.56``."""
    return group_digits(str(amount))


def format_money(amount: Money) -> str:
    """Amount with its currency code: ``1,234.56 USD``."""
    return f"{group_digits(str(amount))} {amount.currency}"


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """A quantity, grouped; with ``places`` it is shown to that many places (never rounded:
    a value needing more places is shown in full)."""
    if places is not None:
        quantized = value.quantize(Decimal(1).scaleb(-places))
        if quantized == value:
            value = quantized
    text = format(value, "f")
    return group_digits(text)


def format_date(day: date) -> str:
    return day.isoformat()
