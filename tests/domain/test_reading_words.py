"""Reading problems in words, at the meter's own resolution."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ebs_desktop.domain.readings.rules import (
    RegisterFacts,
    check_reading,
    figure,
    resolution,
)

TODAY = date(2026, 11, 5)


def _facts(previous: str, avg: str | None = "10") -> RegisterFacts:
    return RegisterFacts(dials=6, previous_value=Decimal(previous),
                         previous_read_on=date(2026, 10, 1),
                         daily_average=None if avg is None else Decimal(avg))


def test_figures_keep_the_meters_digits_and_group_thousands() -> None:
    assert figure(Decimal("7123.000")) == "7,123"
    assert figure(Decimal("7647.760")) == "7,647.76"
    assert figure(Decimal("1234567")) == "1,234,567"
    assert (resolution(Decimal("7123.000")), resolution(Decimal("7647.762")),
            resolution(None)) == (0, 3, 0)


def test_lower_than_previous_reads_as_a_sentence() -> None:
    check = check_reading(_facts("7123.000"), TODAY, Decimal("7000"), TODAY)
    (error,) = check.errors
    assert error.sentence() == ("7000 is lower than the previous reading 7,123 of 1 Oct 2026, "
                                "and not a rollover of the 6-dial meter")


def test_use_warnings_read_as_sentences() -> None:
    high = check_reading(_facts("7123"), TODAY, Decimal("9000"), TODAY)
    assert [p.sentence() for p in high.warnings] == [
        "9000 is high: 53.6 a day since 1 Oct 2026, against an average of 10 a day"]
    turned = check_reading(_facts("999950"), TODAY, Decimal("120"), TODAY)
    assert [p.sentence() for p in turned.warnings] == [
        "120 is lower than the previous reading 999,950 of 1 Oct 2026: taken as a rollover "
        "of 170 units"]
