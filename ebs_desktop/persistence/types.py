"""Column types that keep money and quantities exact on SQLite and PostgreSQL alike.

- Money is stored as BIGINT minor units (``*_minor`` columns); the currency is the
  utility's, held once in settings, so it is not repeated on every row.
- Quantities (kWh, kW) are stored as BIGINT thousandths through :class:`Quantity`:
  SQLite has no exact decimal type (its NUMERIC turns ``12345.678`` into a float), and a
  scaled integer is exact, compact and fast on both backends.
- Rates with many decimals (a URDB rate of 0.0123456 $/kWh) are stored as text through
  :class:`DecimalText`; they are read far more often than they are summed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_THOUSAND = Decimal(1000)


def quantity_to_milli(value: Decimal) -> int:
    """Decimal kWh -> integer thousandths; refuses values with more than three decimals."""
    scaled = value * _THOUSAND
    integral = scaled.to_integral_value()
    if scaled != integral:
        raise ValueError(f"quantity {value} has more than three decimal places")
    return int(integral)


def milli_to_quantity(value: int) -> Decimal:
    return (Decimal(value) / _THOUSAND).quantize(Decimal("0.001"))


class Quantity(TypeDecorator[Decimal]):
    """Decimal with three places, stored as BIGINT thousandths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not accepted for quantities")
        return quantity_to_milli(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else milli_to_quantity(int(value))


class DecimalText(TypeDecorator[Decimal]):
    """Exact Decimal stored as its canonical text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not accepted for exact decimals")
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
