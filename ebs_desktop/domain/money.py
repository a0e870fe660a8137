"""Money: an exact amount in integer minor units of one ISO 4217 currency.

Why integer minor units: the ledger, receipts and bank statements deal in cents (or
fils, or paisa); storing them as integers makes sums exact and comparisons trivial, and
the database column is a plain BIGINT on both SQLite and PostgreSQL.

A ``Money`` is built from ``str``, ``int`` or ``Decimal`` only. A float is refused with
a ``TypeError``: ``0.1 + 0.2`` is not ``0.3`` and must never reach a bill.

Amounts with more precision than the currency has (``120 kWh x 4.4567``) are computed
as ``Decimal`` and turned into ``Money`` through :func:`ebs_desktop.domain.rounding.to_money`,
the one place where rounding happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import total_ordering

# Minor-unit exponents of the currencies a utility is likely to use; others default to 2.
# (ISO 4217 list; Babel knows them too but the core must not depend on locale data.)
_EXPONENTS: dict[str, int] = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}


_SEEN: dict[str, int] = {}

# -- the ceiling ---------------------------------------------------------------------------
#: The one ceiling on any single money amount that enters EBS (a payment, a tender, a bill
#: line, a bank line, a tariff's fixed charge, a count of notes), in minor units of any
#: currency: 999,999,999,999 minor units (USD 9,999,999,999.99; KWD 999,999,999.999;
#: JPY/VND 999,999,999,999). Why this number: a signed 64-bit column holds 9.2e18, so
#: 9.2 million amounts at the ceiling still sum inside it; a large utility's year
#: (10 million accounts x 12 bills, each far below the ceiling) sums to a few 1e14 at most.
#: Sums (balances, report totals) are bounded by MAX_TOTAL_MINOR instead.
MAX_AMOUNT_MINOR = 10**12 - 1
#: Bound on stored running totals (account balances, shift takings, statement balances):
#: 1,000x the amount ceiling, still 9,000x inside a signed 64-bit integer.
MAX_TOTAL_MINOR = 10**15 - 1
#: The ceiling on a quantity (kWh, kW, kvarh) entering EBS: stored as integer thousandths,
#: 999,999,999.999 is 1e12 thousandths.
MAX_QUANTITY = Decimal("999999999.999")


def check_amount_minor(minor: int, *, field: str = "amount") -> int:
    """``minor`` if it is within +/- MAX_AMOUNT_MINOR, else ValueError naming ``field``."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"{field}: expected int minor units, got {type(minor).__name__}")
    if -MAX_AMOUNT_MINOR <= minor <= MAX_AMOUNT_MINOR:
        return minor
    raise ValueError(
        f"{field}: {minor} minor units is beyond the ceiling of {MAX_AMOUNT_MINOR} "
        "on a single amount")


def currency_exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3)."""
    try:
        return _SEEN[currency]  # hot path: a billing run asks millions of times
    except (KeyError, TypeError):
        pass
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha() or (
            not currency.isupper()):
        raise ValueError(f"currency must be an ISO 4217 code like 'USD', got {currency!r}")
    _SEEN[currency] = _EXPONENTS.get(currency, 2)
    return _SEEN[currency]


def parse_decimal(value: str | int | Decimal, *, field: str = "value") -> Decimal:
    """Decimal from str/int/Decimal, refusing floats, NaN and infinities, naming ``field``."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"{field}: floats are not accepted for exact amounts ({value!r})")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{field}: {value!r} is not a number") from None
    else:
        raise TypeError(f"{field}: expected str, int or Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{field}: {value!r} is not a finite number")
    return result


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: ``minor`` units of ``currency`` (``Money(12345, "USD")`` is 123.45)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError(f"Money.minor must be int, got {type(self.minor).__name__}")
        currency_exponent(self.currency)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Money from a major-unit amount ("123.45"); refuses more decimals than the currency has.

        Use :func:`ebs_desktop.domain.rounding.to_money` where rounding is intended.
        """
        value = parse_decimal(amount, field="amount")
        exp = currency_exponent(currency)
        scaled = value.scaleb(exp)
        if scaled != scaled.to_integral_value():
            raise ValueError(
                f"amount {amount!r} has more than {exp} decimal places for {currency}"
            )
        return cls(int(scaled), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    # -- views ---------------------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        """The major-unit value as an exact Decimal (12345 USD cents -> Decimal('123.45'))."""
        exp = currency_exponent(self.currency)
        return Decimal(self.minor).scaleb(-exp)

    def __str__(self) -> str:
        """Plain decimal string with the currency's places: the form used in JSON and CSV."""
        exp = currency_exponent(self.currency)
        return f"{self.amount:.{exp}f}"

    def __repr__(self) -> str:
        return f"Money({str(self)!r}, {self.currency!r})"

    # -- arithmetic (same currency only) -------------------------------------------------
    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.minor + self._check(other).minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.minor - self._check(other).minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int; use rounding.to_money")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.minor < self._check(other).minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def is_negative(self) -> bool:
        return self.minor < 0


def sum_money(items: list[Money] | tuple[Money, ...], currency: str) -> Money:
    """Sum of amounts in one currency (an empty list sums to zero of ``currency``)."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
