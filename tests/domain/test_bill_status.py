"""A bill's status as the portal shows it (pure)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ebs_desktop.domain.bill_status import STATUSES, bill_status, replaced_revisions

DUE = date(2026, 3, 31)


def test_the_worked_example() -> None:
    assert bill_status(12000, 5000, DUE, date(2026, 3, 31)) == "partly paid"
    assert bill_status(12000, 5000, DUE, date(2026, 4, 1)) == "overdue"
    assert bill_status(12000, 0, DUE, date(2026, 3, 1)) == "open"
    assert bill_status(12000, 12000, DUE, date(2026, 5, 1)) == "paid"
    assert bill_status(12000, 0, DUE, date(2026, 5, 1), cancelled=True) == "cancelled"
    assert bill_status(12000, 0, DUE, date(2026, 5, 1), replaced=True) == "replaced"


@given(st.integers(0, 10**9), st.integers(0, 10**9), st.dates(), st.dates())
def test_paid_means_nothing_left_and_overdue_means_late_and_unpaid(
        total: int, paid: int, due: date, today: date) -> None:
    status = bill_status(total, paid, due, today)
    assert status in STATUSES
    assert (status == "paid") == (paid >= total)
    assert (status == "overdue") == (paid < total and today > due)


def test_older_revisions_of_a_period_are_replaced() -> None:
    bills = [("B3", "2026-03", 1), ("B2", "2026-03", 0), ("B1", "2026-02", 0)]
    assert replaced_revisions(bills) == {"B2"}
