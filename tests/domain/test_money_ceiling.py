"""The money ceiling at the domain boundary (issue 17, point 2): Money, the typed-input
parsers and the cash count refuse what is beyond it, exactly, with a located error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ebs_desktop.domain.cash_count import count_cash
from ebs_desktop.domain.money import (
    MAX_AMOUNT_MINOR,
    MAX_QUANTITY,
    MAX_TOTAL_MINOR,
    Money,
    parse_amount,
    parse_money,
    parse_number,
    parse_quantity,
)
from ebs_desktop.errors import ValidationError

# The inputs of issue 17 that were accepted or crashed, plus their relatives.
HUGE = ["92233720368547758.07", "1e309", "99999999999999999999", "1e999999999", "1e30",
        "-1e309", "9" * 5000]


def test_the_ceiling_is_exact() -> None:
    assert parse_money("9999999999.99", "USD").minor == MAX_AMOUNT_MINOR
    assert parse_money("999999999999", "JPY").minor == MAX_AMOUNT_MINOR
    assert parse_money("999999999.999", "KWD").minor == MAX_AMOUNT_MINOR
    assert parse_amount("999999999999") == Decimal("999999999999")  # JPY's ceiling
    for text, currency in (("10000000000.00", "USD"), ("1000000000000", "JPY"),
                           ("1000000000.000", "KWD")):
        with pytest.raises(ValidationError, match="beyond the ceiling"):
            parse_money(text, currency, field="--amount")
    assert parse_quantity("999999999.999") == MAX_QUANTITY
    with pytest.raises(ValidationError, match="beyond the ceiling"):
        parse_quantity("1000000000")


@pytest.mark.parametrize("text", HUGE)
def test_huge_amounts_are_refused_with_the_field_named(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_money(text, "USD", field="--amount", allow_negative=True)
    assert refused.value.location == "--amount"
    with pytest.raises(ValidationError):
        parse_amount(text, field="--amount", allow_negative=True)
    with pytest.raises(ValueError):
        Money.of(text, "USD")


def test_decimals_are_checked_exactly_not_at_28_digits() -> None:
    # Decimal's context rounds scaleb() to 28 digits: this passed as 100.00 before
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        parse_money("100.0000000000000000000000000001", "USD")
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        Money.of("100.0000000000000000000000000001", "USD")
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        parse_money("1e-999999999", "USD")
    assert parse_money("12.5000", "USD").minor == 1250
    assert parse_money("0e999999999", "USD").minor == 0
    assert parse_money("1e2", "USD").minor == 10000


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "1_000", "\u0661\u0662",
                                  "\uff11\uff12", "12,50", "", "  ", "0x10", "1e", "--1",
                                  "\udcff", "1.2.3", "1e1234567890"])
def test_anything_but_a_plain_number_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_number(text, field="value")
    assert refused.value.location == "value"


def test_negative_amounts_only_when_allowed() -> None:
    with pytest.raises(ValidationError, match="negative"):
        parse_money("-5", "USD")
    assert parse_money("-5", "USD", allow_negative=True).minor == -500


def test_money_itself_is_bounded_by_the_total_ceiling() -> None:
    Money(MAX_TOTAL_MINOR, "USD")
    Money(-MAX_TOTAL_MINOR, "USD")
    with pytest.raises(ValueError, match="ceiling"):
        Money(MAX_TOTAL_MINOR + 1, "USD")
    with pytest.raises(ValueError, match="ceiling"):
        _ = Money(MAX_TOTAL_MINOR, "USD") + Money(1, "USD")
    big = Money.of("10000000000", "USD", ceiling=MAX_TOTAL_MINOR)  # a statement balance
    assert big.minor == 10**12


def test_a_cash_count_is_bounded() -> None:
    assert count_cash("USD", {"100": 99_999_999}).total == Money.of("9999999900", "USD")
    with pytest.raises(ValidationError, match="ceiling") as refused:
        count_cash("USD", {"20": 99999999999999999999})
    assert refused.value.location == "count[20]"
    with pytest.raises(ValidationError, match="ceiling"):
        count_cash("USD", {"100": 60_000_000, "50": 90_000_000})


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60),
                 st.from_regex(r"\A[+-]?[0-9]{0,25}(\.[0-9]{0,25})?([eE][+-]?[0-9]{1,12})?\Z")))
def test_any_text_is_money_within_the_ceiling_or_one_located_error(text: str) -> None:
    for currency in ("USD", "JPY", "KWD"):
        try:
            money = parse_money(text, currency, field="f", allow_negative=True)
        except ValidationError as exc:
            assert exc.location == "f"
            continue
        assert -MAX_AMOUNT_MINOR <= money.minor <= MAX_AMOUNT_MINOR
        assert money.amount == Decimal(text.strip())  # exact: nothing rounded away
