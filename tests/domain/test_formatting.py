"""Locale formatting of money, quantities and dates (display only, never floats)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.formatting import (
    format_date,
    format_decimal,
    format_money,
    normalise_locale,
)
from ebs_desktop.domain.money import Money

NNBSP = "\u202f"
NBSP = "\xa0"


def test_money_us_english() -> None:
    assert format_money(Money(123450, "USD"), "en_US") == "$1,234.50"
    assert format_money(Money(-5, "USD"), "en_US") == "-$0.05"


def test_money_french_uses_comma_and_narrow_spaces() -> None:
    assert format_money(Money(123450, "EUR"), "fr_FR") == f"1{NNBSP}234,50{NBSP}€"


def test_money_shows_the_ledger_places_not_cldr() -> None:
    # KWD has three decimals, JPY none: exactly what the ledger holds.
    assert format_money(Money(1234500, "KWD"), "en_US").endswith("1,234.500")
    assert format_money(Money(1500, "JPY"), "en_US") == "¥1,500"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_money_digits_roundtrip_in_english(minor: int) -> None:
    text = format_money(Money(minor, "USD"), "en_US")
    digits = "".join(ch for ch in text if ch.isdigit())
    assert int(digits) == abs(minor)
    assert text.startswith("-") == (minor < 0)


def test_decimal_places_for_quantities() -> None:
    assert format_decimal(Decimal("1234.5"), "en_US", places=3) == "1,234.500"
    assert format_decimal(Decimal("1234.5"), "fr_FR", places=3) == f"1{NNBSP}234,500"
    assert format_decimal(Decimal("0.0001234"), "en_US") == "0.0001234"
    assert format_decimal(7, "de_DE", places=0) == "7"


def test_decimal_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_decimal(1.5, "en_US")  # type: ignore[arg-type]


def test_dates() -> None:
    assert format_date(date(2024, 3, 31), "en_US") == "Mar 31, 2024"
    assert format_date(date(2024, 3, 31), "fr_FR") == "31 mars 2024"
    assert format_date(date(2024, 3, 31), "fr_FR", length="short") == "31/03/2024"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("fr_FR.UTF-8", "fr_FR"), ("fr-FR", "fr_FR"), ("C", "en_US"), (None, "en_US"),
     ("xx_NOPE", "en_US"), ("de", "de")],
)
def test_normalise_locale(raw: str | None, expected: str) -> None:
    assert normalise_locale(raw) == expected
