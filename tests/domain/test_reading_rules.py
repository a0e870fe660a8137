"""Reading rules: consumption, rollover, high/low/zero, dates, exchange (examples + hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ebs_desktop.domain.readings import RegisterFacts, check_exchange, check_reading
from ebs_desktop.domain.readings.rules import expected_range

TODAY = date(2026, 6, 15)
PREV_ON = date(2026, 5, 15)


def facts(prev: str | None = "1000", dials: int = 6, mult: str = "1",
          avg: str | None = "10") -> RegisterFacts:
    return RegisterFacts(dials, Decimal(mult), "energy",
                         None if prev is None else Decimal(prev),
                         None if prev is None else PREV_ON,
                         None if avg is None else Decimal(avg))


def test_consumption_with_multiplier() -> None:
    check = check_reading(facts(mult="40", avg="400"), TODAY, Decimal("1300.5"), TODAY)
    assert check.ok and not check.warnings
    assert check.consumption == Decimal("12020.000")  # 300.5 x 40


def test_rollover_when_it_fits_and_error_when_not() -> None:
    turned = check_reading(facts("999950", avg="5.5"), TODAY, Decimal("120"), TODAY)
    assert turned.consumption == Decimal("170.000") and "rollover" in turned.flags
    assert [p.code for p in turned.warnings] == ["rollover"]
    lower = check_reading(facts("500000"), TODAY, Decimal("400000"), TODAY)
    assert [p.code for p in lower.errors] == ["lower_than_previous"]
    assert lower.errors[0].field == "value" and lower.errors[0].value == "400000"


def test_dates_future_and_before_previous() -> None:
    future = check_reading(facts(), TODAY + timedelta(days=1), Decimal("1200"), TODAY)
    assert [p.code for p in future.errors] == ["future"]
    early = check_reading(facts(), PREV_ON - timedelta(days=1), Decimal("1200"), TODAY)
    assert [p.code for p in early.errors] == ["before_previous"]
    assert early.errors[0].field == "read_at"


def test_high_low_zero_need_confirmation() -> None:
    assert [p.code for p in check_reading(facts(), TODAY, Decimal("2000"), TODAY).warnings] \
        == ["high"]  # 1000 in 31 days = 32/day > 3 x 10
    assert [p.code for p in check_reading(facts(), TODAY, Decimal("1050"), TODAY).warnings] \
        == ["low"]  # 1.6/day < 0.3 x 10
    zero = check_reading(facts(), TODAY, Decimal("1000"), TODAY)
    assert zero.consumption == 0 and zero.flags == ("zero",)
    assert check_reading(facts(avg=None), TODAY, Decimal("5000"), TODAY).warnings == ()


def test_value_checks_and_duplicates() -> None:
    assert [p.code for p in check_reading(facts(), TODAY, Decimal("1000000"), TODAY).errors] \
        == ["too_many_digits"]
    assert [p.code for p in check_reading(facts(), TODAY, Decimal("1200.0001"),
                                          TODAY).errors] == ["precision"]
    assert next(p.code for p in check_reading(facts(), TODAY, Decimal("-1"), TODAY).errors) \
        == "negative"
    assert check_reading(facts(), PREV_ON, Decimal("1000"), TODAY).duplicate
    assert [p.code for p in check_reading(facts(), PREV_ON, Decimal("1001"),
                                          TODAY).errors] == ["same_day"]
    assert check_reading(facts(), TODAY, None, TODAY, "no_access").skipped
    assert check_reading(facts(), TODAY, None, TODAY).errors[0].code == "missing"
    first = check_reading(facts(prev=None), TODAY, Decimal("5"), TODAY)
    assert first.ok and first.consumption is None


def test_exchange_final_and_first() -> None:
    ok = check_exchange(facts(), Decimal("1100"), TODAY, TODAY, 5, Decimal("0"), "kwh")
    assert not ok.errors and ok.consumption == Decimal("100.000")
    bad = check_exchange(facts("500000"), Decimal("400000"), TODAY, TODAY, 5,
                         Decimal("100000"), "kwh")
    assert {p.field for p in bad.errors} == {"old kwh value", "new kwh value"}


values = st.decimals(min_value=0, max_value=Decimal("999999.999"), places=3)


@settings(max_examples=500, deadline=None)
@given(values, values, st.integers(1, 120), st.sampled_from(["1", "0.5", "40", "2.5"]))
def test_consumption_never_negative_and_matches_difference(
        prev: Decimal, value: Decimal, days: int, mult: str) -> None:
    f = RegisterFacts(6, Decimal(mult), "energy", prev, TODAY - timedelta(days=days), None)
    check = check_reading(f, TODAY, value, TODAY)
    if check.errors:
        assert value < prev and Decimal(10) ** 6 - prev + value >= Decimal(10) ** 6 / 2
        assert check.consumption is None
        return
    assert check.consumption is not None and check.consumption >= 0
    raw = value - prev if value >= prev else Decimal(10) ** 6 - prev + value
    assert check.consumption == (raw * Decimal(mult)).quantize(Decimal("0.001"), ROUND_HALF_UP)
    assert ("rollover" in check.flags) == (value < prev)


@settings(max_examples=300, deadline=None)
@given(values, st.decimals(min_value=Decimal("0.1"), max_value=500, places=2),
       st.integers(1, 90))
def test_values_inside_expected_range_need_no_confirmation(prev: Decimal, avg: Decimal,
                                                           days: int) -> None:
    f = RegisterFacts(7, Decimal(1), "energy", prev, TODAY - timedelta(days=days), avg)
    low, high = expected_range(f, TODAY)
    assert low <= high
    middle = ((low + high) / 2).quantize(Decimal("0.001"))
    check = check_reading(f, TODAY, middle, TODAY)
    assert check.ok and not (set(check.flags) & {"high", "low", "rollover"})
