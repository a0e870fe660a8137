"""Money: an exact amount in integer minor units of one ISO 4217 currency.

Why integer minor units: the ledger, receipts and bank statements deal in cents (or
fils, or paisa); storing them as integers makes sums exact and comparisons trivial, and
the database column is a plain BIGINT on both SQLite and PostgreSQL.

A ``Money`` is built from ``str``, ``int`` or ``Decimal`` only. A float is refused with
a ``TypeError``: ``0.1 + 0.2`` is not ``0.3`` and must never reach a bill.

Amounts with more precision than the currency has (``120 kWh x 4.4567``) are computed
as ``Decimal`` and turned into ``Money`` through :func:`ebs_desktop.domain.rounding.to_money`,
the one place where rounding happens.

The ceiling (issue 17): every single amount that enters EBS is at most
``MAX_AMOUNT_MINOR`` (999,999,999,999 minor units: USD 9,999,999,999.99) in absolute
value, every stored total (a balance, a run total) at most ``MAX_TOTAL_MINOR``
(999,999,999,999,999 minor units), every quantity at most ``MAX_QUANTITY`` (999,999,999.999
kWh). Where each is enforced:

- ``Money.of`` refuses an amount beyond ``MAX_AMOUNT_MINOR`` (``ceiling=`` raises it to
  ``MAX_TOTAL_MINOR`` for a total read back, such as a statement balance), and ``Money``
  itself refuses ``minor`` beyond ``MAX_TOTAL_MINOR``, so no sum of amounts can grow
  unnoticed towards the 64-bit limit of the database column (9.2e18);
- :func:`parse_money` and :func:`parse_quantity` read what a person or a file typed
  (CLI options, GUI fields, cash counts, reading sheets, tariff files) and refuse anything
  else with one :class:`ebs_desktop.errors.ValidationError` naming the field: text that is
  not a plain decimal number, NaN, infinities, more decimals than the currency has, values
  beyond the ceiling (``1e309``, ``99999999999999999999``, ``1e999999999``);
- the database CHECKs every money column against the same bounds (migration 0004), and on
  SQLite that it holds an integer: SQLite turns an integer overflow into a float, which
  must never become a balance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DecimalException
from functools import total_ordering

from ebs_desktop.errors import ValidationError

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
_LOWEST = -MAX_TOTAL_MINOR
#: The ceiling on a quantity (kWh, kW, kvarh) entering EBS: stored as integer thousandths,
#: 999,999,999.999 is 1e12 thousandths.
MAX_QUANTITY = Decimal("999999999.999")
_MAX_QUANTITY_MILLI = int(MAX_QUANTITY * 1000)


def check_amount_minor(minor: int, *, field: str = "amount",
                       ceiling: int = MAX_AMOUNT_MINOR) -> int:
    """``minor`` if it is within +/- ``ceiling`` (MAX_AMOUNT_MINOR), else ValueError naming
    ``field``."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"{field}: expected int minor units, got {type(minor).__name__}")
    if -ceiling <= minor <= ceiling:
        return minor
    what = "on a single amount" if ceiling == MAX_AMOUNT_MINOR else "on a total"
    raise ValueError(f"{field}: {minor} minor units is beyond the ceiling of {ceiling} {what}")


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
        except DecimalException:
            raise ValueError(f"{field}: {_shown(value)} is not a number") from None
    else:
        raise TypeError(f"{field}: expected str, int or Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{field}: {_shown(value)} is not a finite number")
    return result


def _shown(value: object) -> str:
    """The offending value for a message: repr (a Decimal as its digits), cut to 40
    characters."""
    text = f"'{value}'" if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _to_minor(value: Decimal, exp: int, ceiling: int) -> int:
    """``value`` (major units, finite) as exact minor units with ``exp`` decimals;
    ValueError saying what is wrong (the caller names the value and the field).

    Exact integer arithmetic on the digits: ``scaleb`` and ``quantize`` round to the
    context's 28 digits, so ``100.0000000000000000000000000001`` would pass as 100.00, and
    ``1e999999999`` overflows them. The magnitude is checked before any power of ten is
    built, so no input is expensive.
    """
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    coefficient = "".join(map(str, digits)).lstrip("0")
    if not coefficient:
        return 0
    stripped = coefficient.rstrip("0")
    exponent += len(coefficient) - len(stripped)
    if exponent + exp < 0:
        raise ValueError(f"has more than {exp} decimal places")
    too_big = f"is beyond the ceiling of {_major(ceiling, exp)}"
    if len(stripped) + exponent + exp > len(str(ceiling)):
        raise ValueError(too_big)
    minor = int(stripped + "0" * (exponent + exp))
    if minor > ceiling:
        raise ValueError(too_big)
    return -minor if sign else minor


def _major(minor: int, exp: int) -> str:
    return f"{Decimal(minor).scaleb(-exp):.{exp}f}"


# A plain decimal number as a person types it: sign, ASCII digits, one point, an optional
# exponent. Decimal() alone would also take "Infinity", "NaN", "1_000" and Arabic-Indic or
# full-width digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,9})?")
_MAX_TEXT = 100


def parse_number(value: object, *, field: str = "value") -> Decimal:
    """Decimal from typed text (or an int/Decimal), else ValidationError naming ``field``:
    the syntax every parser here shares, with no bound (a meter register's value is bounded
    by its dials, see :mod:`ebs_desktop.domain.readings.rules`)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{value} is not a finite number", location=field)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if not isinstance(value, str):
        raise ValidationError(f"expected a number as text, got {type(value).__name__}",
                              location=field)
    text = value.strip()
    if not text:
        raise ValidationError("a number is required", location=field)
    if len(text) > _MAX_TEXT or _NUMBER.fullmatch(text) is None:
        raise ValidationError(f"{_shown(value)} is not a number (write e.g. 1234.50)",
                              location=field)
    return Decimal(text)


def parse_money(value: object, currency: str, *, field: str = "amount",
                ceiling: int = MAX_AMOUNT_MINOR, allow_negative: bool = False) -> Money:
    """What a person or a file typed as an amount of ``currency``, as ``Money``.

    Any input ends in a ``Money`` within +/- ``ceiling`` minor units or in one
    ``ValidationError`` located at ``field`` (an option, a form field, ``file:line``):
    text that is not a plain decimal number (ASCII digits, one point, an optional
    exponent), more decimals than the currency has, a value beyond the ceiling, a negative
    amount unless ``allow_negative``.
    """
    number = parse_number(value, field=field)
    try:
        exp = currency_exponent(currency)
        minor = _to_minor(number, exp, ceiling)
    except ValueError as exc:
        raise ValidationError(f"{_shown(value)} {exc} ({currency})", location=field) from None
    if minor < 0 and not allow_negative:
        raise ValidationError(f"{_shown(value)} must not be negative", location=field)
    return Money(minor, currency)


def parse_amount(value: object, *, field: str = "amount",
                 allow_negative: bool = False) -> Decimal:
    """A typed amount whose currency is not known yet (a command-line option is read before
    the database is opened): a plain decimal number within the loosest bound any currency
    allows, at most three decimals (KWD) and MAX_AMOUNT_MINOR whole units (JPY).
    :func:`parse_money` of the result then applies the currency's own rule."""
    number = parse_number(value, field=field)
    try:
        minor = _to_minor(number, 3, MAX_AMOUNT_MINOR * 1000)
    except ValueError as exc:
        reason = str(exc) if "decimal" in str(exc) else (
            f"is beyond the ceiling on a single amount ({MAX_AMOUNT_MINOR:,} minor units)")
        raise ValidationError(f"{_shown(value)} {reason}", location=field) from None
    if minor < 0 and not allow_negative:
        raise ValidationError(f"{_shown(value)} must not be negative", location=field)
    return number


def parse_quantity(value: object, *, field: str = "quantity",
                   allow_negative: bool = False) -> Decimal:
    """A typed quantity (kWh, kW): at most three decimals, within +/- MAX_QUANTITY.

    Same contract as :func:`parse_money`: a ``Decimal`` or one located ``ValidationError``.
    """
    number = parse_number(value, field=field)
    try:
        milli = _to_minor(number, 3, _MAX_QUANTITY_MILLI)
    except ValueError as exc:
        raise ValidationError(f"{_shown(value)} {exc}", location=field) from None
    if milli < 0 and not allow_negative:
        raise ValidationError(f"{_shown(value)} must not be negative", location=field)
    return Decimal(milli) / 1000


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: ``minor`` units of ``currency`` (``Money(12345, "USD")`` is 123.45)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        # A billing run builds millions: the exact-int fast path pays for the bound check
        # (two comparisons with module constants; measured in docs/performance.md).
        minor = self.minor
        if type(minor) is not int and (isinstance(minor, bool) or not isinstance(minor, int)):
            raise TypeError(f"Money.minor must be int, got {type(minor).__name__}")
        if not _LOWEST <= minor <= MAX_TOTAL_MINOR:
            raise ValueError(f"{minor} minor units is beyond the ceiling of "
                             f"{MAX_TOTAL_MINOR} on any amount or total")
        currency_exponent(self.currency)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str, *,
           ceiling: int = MAX_AMOUNT_MINOR) -> Money:
        """Money from a major-unit amount ("123.45"); refuses more decimals than the currency
        has, and amounts beyond ``ceiling`` minor units (MAX_AMOUNT_MINOR; pass
        MAX_TOTAL_MINOR for a total such as a statement balance). ValueError/TypeError:
        input typed by a person goes through :func:`parse_money` instead.

        Use :func:`ebs_desktop.domain.rounding.to_money` where rounding is intended.
        """
        value = parse_decimal(amount, field="amount")
        exp = currency_exponent(currency)
        try:
            minor = _to_minor(value, exp, ceiling)
        except ValueError as exc:
            raise ValueError(f"amount {_shown(amount)} {exc} for {currency}") from None
        return cls(minor, currency)

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
