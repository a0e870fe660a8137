"""Gapless number series: consecutive, and a rollback gives the numbers back."""

from __future__ import annotations

import pytest

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.numbering import take_number, take_numbers


@pytest.mark.books_broken  # takes numbers of the bills' series without writing bills
def test_numbers_are_consecutive_and_rollback_leaves_no_gap(db: Database) -> None:
    with db.write() as s:
        assert take_number(s, "BILL-2026", "B26-") == ("B26-0000001", 1)
        assert take_number(s, "BILL-2026", "B26-") == ("B26-0000002", 2)
    with pytest.raises(RuntimeError), db.write() as s:
        take_number(s, "BILL-2026", "B26-")
        raise RuntimeError("crash before commit")
    with db.write() as s:
        assert take_numbers(s, "BILL-2026", "B26-", 10) == ("B26-", 3)
        assert take_number(s, "BILL-2026", "B26-")[1] == 13
        assert take_number(s, "RC01-2026", "C01-26-")[1] == 1  # other series independent
