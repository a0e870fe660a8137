"""Allocation of a payment to open bills: oldest first, override, remainder as credit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.payment_allocation import allocate
from ebs_desktop.errors import ValidationError

BILLS = [(7, date(2025, 3, 1), 3000), (3, date(2025, 1, 1), 1000), (5, date(2025, 2, 1), 2000)]


def test_oldest_first_partial() -> None:
    result = allocate(Money(2500, "USD"), BILLS)
    assert result.lines == ((3, 1000), (5, 1500))
    assert result.credit == Money(0, "USD")


def test_overpayment_stays_as_credit() -> None:
    result = allocate(Money(7000, "USD"), BILLS)
    assert result.lines == ((3, 1000), (5, 2000), (7, 3000))
    assert result.credit == Money(1000, "USD")


def test_override_first_then_oldest() -> None:
    result = allocate(Money(3500, "USD"), BILLS, override=[7])
    assert result.lines == ((7, 3000), (3, 500))


def test_advance_payment_without_bills() -> None:
    assert allocate(Money(999, "USD"), []).credit == Money(999, "USD")


def test_bad_override_and_amount() -> None:
    with pytest.raises(ValidationError) as exc:
        allocate(Money(1, "USD"), BILLS, override=[99])
    assert exc.value.location == "override"
    with pytest.raises(ValidationError):
        allocate(Money(0, "USD"), BILLS)


bills_strategy = st.lists(
    st.tuples(st.integers(1, 10_000), st.integers(0, 400), st.integers(-500, 50_000)),
    max_size=12,
    unique_by=lambda b: b[0],
).map(lambda rows: [(i, date(2024, 1, 1) + timedelta(days=d), m) for i, d, m in rows])


@given(bills_strategy, st.integers(1, 200_000))
def test_allocation_properties(bills: list[tuple[int, date, int]], amount: int) -> None:
    result = allocate(Money(amount, "USD"), bills)
    open_by_id = {b[0]: b[2] for b in bills}
    assert result.applied_total + result.credit.minor == amount
    assert result.credit.minor >= 0
    for bill_id, part in result.lines:
        assert 0 < part <= open_by_id[bill_id]
    # Oldest first: every bill before the last one touched is paid in full.
    paid = [bill_id for bill_id, _ in result.lines]
    for bill_id, part in result.lines[:-1]:
        assert part == open_by_id[bill_id]
    order = sorted((b for b in bills if b[2] > 0), key=lambda b: (b[1], b[0]))
    assert paid == [b[0] for b in order[: len(paid)]]
    if result.credit.minor > 0:
        assert len(paid) == len(order)
