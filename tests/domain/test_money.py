"""Money: exact, built from str/int/Decimal only, rounding in one place."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.money import Money, currency_exponent, parse_decimal, sum_money
from ebs_desktop.domain.rounding import round_to_step, to_money


def test_construction_and_text() -> None:
    assert Money.of("123.45", "USD") == Money(12345, "USD")
    assert str(Money(12345, "USD")) == "123.45"
    assert str(Money(-5, "USD")) == "-0.05"
    assert str(Money(1234, "JPY")) == "1234"
    assert str(Money(1234, "KWD")) == "1.234"
    assert Money.of(7, "USD").minor == 700
    assert Money.of(Decimal("0.10"), "USD").minor == 10


def test_floats_and_bad_values_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        Money.of(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        Money.of("1.005", "USD")
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal("12,50", field="amount")
    with pytest.raises(ValueError, match="finite"):
        parse_decimal("NaN")
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_exponent("usd")


def test_currency_mismatch_is_refused() -> None:
    with pytest.raises(ValueError, match="currency mismatch"):
        _ = Money(1, "USD") + Money(1, "EUR")


def test_rounding_rules_worked_examples() -> None:
    # the examples in ebs_desktop/domain/rounding.py
    assert to_money(Decimal("120") * Decimal("4.4567"), "USD") == Money.of("534.80", "USD")
    assert to_money(Decimal("3") * Decimal("0.125"), "USD") == Money.of("0.38", "USD")
    assert to_money(Decimal("-0.375"), "USD") == Money.of("-0.38", "USD")
    step = Money.of("0.05", "USD")
    assert round_to_step(Money.of("102.47", "USD"), step) == Money.of("102.45", "USD")
    assert round_to_step(Money.of("102.48", "USD"), step) == Money.of("102.50", "USD")
    assert round_to_step(Money.of("102.50", "USD"), Money.of("1.00", "USD")) == Money.of(
        "103.00", "USD")


@given(st.lists(st.integers(min_value=-10**12, max_value=10**12), max_size=50))
def test_sum_is_exact(values: list[int]) -> None:
    assert sum_money([Money(v, "USD") for v in values], "USD").minor == sum(values)


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_text_round_trip(value: Decimal) -> None:
    money = Money.of(value, "USD")
    assert Money.of(str(money), "USD") == money
    assert money.amount == value


@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from([1, 5, 10, 100]))
def test_step_rounding_is_within_half_a_step(minor: int, step: int) -> None:
    rounded = round_to_step(Money(minor, "USD"), Money(step, "USD"))
    assert rounded.minor % step == 0
    assert abs(rounded.minor - minor) * 2 <= step
